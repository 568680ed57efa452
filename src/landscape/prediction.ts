/**
 * What theory says about a scenario. The common fields are optional in value (null) because not every
 * landscape has a theory; a family adds named extras (e.g. `threshold`) that it declares in its definition
 * (landscape/family.ts `extras`), which also says how `predict` prints each.
 */
export interface Prediction {
  /** How the numbers were obtained, e.g. "exact 1D quadrature". */
  method: string;
  /** Equilibrium (Gibbs) fraction of each region, 'other' included. */
  populations: Record<string, number> | null;
  /** Mean first-passage time from the start point into escape.to. */
  mfpt: number | null;
  /** High-barrier rate theory, with the barrier it used and when it holds. */
  kramers: { rate: number; time: number; barrier: number; note: string } | null;
  /** Free-energy barrier along the order coordinate (where a 1D reduction has one). */
  freeEnergyBarrier?: number | null;
  /** Equilibrium mean of the scenario's observable over particles (a model family's theory). */
  observableMean?: number | null;
  notes: string[];
  /** A family's named extras. */
  [extra: string]: unknown;
}

/** The fields every prediction may have; any other key is a family's extra. */
export const COMMON_PREDICTION_FIELDS = new Set([
  'method',
  'populations',
  'mfpt',
  'kramers',
  'freeEnergyBarrier',
  'observableMean',
  'notes',
]);

/** A number as predictions print it: `digits` significant digits, 'n/a' for none. */
export const sig = (v: number | null | undefined, digits = 4): string =>
  // from 1e9 on in exponent form: 43860000000000000000 reads worse than 4.386e+19
  v == null ? 'n/a' : Math.abs(v) >= 1e9 ? v.toPrecision(digits) : Number(v.toPrecision(digits)).toString();
