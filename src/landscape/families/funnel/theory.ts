import { equilibriumFractions1d } from '../../../theory/equilibrium.js';
import { gridMin } from '../../../theory/grid.js';
import { mfpt1d } from '../../../theory/mfpt.js';

/** The entropic funnel's parameters (see family.ts, which builds the same potential). */
export interface FunnelParams {
  modes: number;
  /** n_c, the stiff modes on the memorizing side (the data size); may be fractional here for root finding. */
  stiffModes: number;
  /** k, the modes that stay stiff on the generalizing side too (the rule the data satisfy); 0 if absent. */
  ruleModes?: number;
  kappaLo: number;
  kappaHi: number;
  kappaNeck: number;
  neckWidth: number;
  switchWidth: number;
  sMin: number;
  sMax: number;
  bias: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * ln kappa at s of a mode stiff on the memorizing side (`memorizing`), on the generalizing side
 * (`generalizing`), on both, or neither: ln kappaLo + [mem] w(s) L + [gen] (1 - w(s)) L + g(s) ln(kappaNeck/kappaLo),
 * L = ln(kappaHi/kappaLo).
 */
export function funnelLogKappa(memorizing: boolean, s: number, p: FunnelParams, generalizing = false): number {
  const w = sigmoid(-s / p.switchWidth);
  const g = Math.exp(-(s * s) / (2 * p.neckWidth ** 2));
  const L = Math.log(p.kappaHi / p.kappaLo);
  return (
    Math.log(p.kappaLo) +
    (memorizing ? w * L : 0) +
    (generalizing ? (1 - w) * L : 0) +
    g * Math.log(p.kappaNeck / p.kappaLo)
  );
}

/**
 * Exact marginal free energy along s: A(s) = V(s) + (T/2) sum_j ln kappa_j(s), up to a constant. Mode j is
 * stiff on the memorizing side for j <= n (the data size) and on the generalizing side for j <= k (the rule
 * modes); counts may be fractional here for root finding.
 */
export function funnelFreeEnergy(s: number, T: number, p: FunnelParams): number {
  const V = p.bias * (1 - sigmoid(-s / p.switchWidth));
  const n = p.stiffModes;
  const k = p.ruleModes ?? 0;
  const both = Math.min(n, k);
  const memOnly = n - both;
  const genOnly = k - both;
  const soft = p.modes - both - memOnly - genOnly;
  return (
    V +
    (T / 2) *
      (both * funnelLogKappa(true, s, p, true) +
        memOnly * funnelLogKappa(true, s, p) +
        genOnly * funnelLogKappa(false, s, p, true) +
        soft * funnelLogKappa(false, s, p))
  );
}

/** U(s, y) in plain JS, for cross-checks against the scenario's formula. */
export function funnelPotential(s: number, y: number[], p: FunnelParams): number {
  let u = p.bias * (1 - sigmoid(-s / p.switchWidth));
  y.forEach((yj, j) => {
    u += 0.5 * Math.exp(funnelLogKappa(j < p.stiffModes, s, p, j < (p.ruleModes ?? 0))) * yj * yj;
  });
  return u;
}

export interface FunnelRegions {
  memorizing: [number, number];
  generalizing: [number, number];
}

function fractions(p: FunnelParams, T: number, r: FunnelRegions) {
  const classify = (s: number) =>
    s >= r.memorizing[0] && s <= r.memorizing[1]
      ? 'memorizing'
      : s >= r.generalizing[0] && s <= r.generalizing[1]
        ? 'generalizing'
        : 'other';
  return equilibriumFractions1d({
    U: (s) => funnelFreeEnergy(s, T, p),
    T,
    lower: p.sMin,
    upper: p.sMax,
    classify,
    regionNames: ['memorizing', 'generalizing', 'other'],
  }) as {
    memorizing: number;
    generalizing: number;
    other: number;
  };
}

/**
 * Equilibrium populations from A(s) (exact: the transverse modes integrate out), and the mean first-passage
 * time from `start` to the generalizing region by the 1D reduction (diffusion with D = T in A(s), reflecting
 * at sMin), which is exact when the transverse modes relax much faster than s moves across the neck.
 */
export function funnelPredictions(p: FunnelParams, T: number, regions: FunnelRegions, start: number) {
  const A = (s: number) => funnelFreeEnergy(s, T, p);
  const b = regions.generalizing[0];
  const mfpt = start < b ? mfpt1d({ U: A, T, x0: start, b, lower: p.sMin }) : null;
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= 2000; i++) peak = Math.max(peak, A(start + ((b - start) * i) / 2000));
  const barrier = peak - gridMin(A, p.sMin, start);
  const relax = 1 / Math.min(p.kappaLo, p.kappaLo * Math.min(1, p.kappaNeck / p.kappaLo));
  const cross = (p.neckWidth * p.neckWidth) / T;
  const note = `1D reduction: transverse relaxation 1/kappa_min = ${relax.toPrecision(2)} vs neck crossing neckWidth^2/T = ${cross.toPrecision(2)}; the reduced MFPT is exact when the first is much smaller`;
  return { fractions: fractions(p, T, regions), mfpt, barrier, note };
}

/**
 * The data size at which generalizing overtakes memorizing at equilibrium (n_c treated as continuous),
 * and the fractions at each integer data size 0..modes.
 */
export function grokkingThreshold(
  p: FunnelParams,
  T: number,
  regions: FunnelRegions,
): { threshold: number | null; fractionsByDataSize: Record<string, Record<string, number>> } {
  const gap = (n: number) => {
    const f = fractions({ ...p, stiffModes: n }, T, regions);
    return Math.log(f.generalizing / f.memorizing);
  };
  const fractionsByDataSize: Record<string, Record<string, number>> = {};
  for (let n = 0; n <= p.modes; n++) fractionsByDataSize[n] = fractions({ ...p, stiffModes: n }, T, regions);
  let a = 0;
  let b = p.modes;
  const ga = gap(a);
  if (Math.sign(ga) === Math.sign(gap(b))) return { threshold: null, fractionsByDataSize };
  for (let k = 0; k < 50; k++) {
    const m = (a + b) / 2;
    if (Math.sign(gap(m)) === Math.sign(ga)) a = m;
    else b = m;
  }
  return { threshold: (a + b) / 2, fractionsByDataSize };
}
