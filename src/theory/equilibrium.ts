import { simpson } from './grid.js';

export interface EquilibriumInput {
  U: (x: number) => number;
  T: number;
  lower: number;
  upper: number;
  classify: (x: number) => string;
  /** Every name the classifier can return (fractions are reported for all, 0 when absent). */
  regionNames: string[];
}

/**
 * Gibbs fractions ∫_R e^{-U/T} / Z of the regions a classifier defines on [lower, upper]. Region boundaries
 * are located by bisection and each piece is integrated by Simpson's rule, so piecewise-constant
 * classifiers are integrated to quadrature accuracy.
 */
export function equilibriumFractions1d(o: EquilibriumInput): Record<string, number> {
  const { U, T, lower, upper, classify } = o;
  const n = 4000;
  const grid = Array.from({ length: n + 1 }, (_, i) => lower + ((upper - lower) * i) / n);
  const cuts = [lower];
  for (let i = 1; i <= n; i++) {
    if (classify(grid[i]) !== classify(grid[i - 1])) {
      let a = grid[i - 1];
      let b = grid[i];
      const left = classify(a);
      for (let k = 0; k < 60; k++) {
        const m = (a + b) / 2;
        if (classify(m) === left) a = m;
        else b = m;
      }
      cuts.push((a + b) / 2);
    }
  }
  cuts.push(upper);
  let ref = Number.POSITIVE_INFINITY;
  for (const x of grid) ref = Math.min(ref, U(x));
  const w = (x: number) => Math.exp(-(U(x) - ref) / T);
  const mass: Record<string, number> = Object.fromEntries(o.regionNames.map((r) => [r, 0]));
  let total = 0;
  for (let i = 1; i < cuts.length; i++) {
    const a = cuts[i - 1];
    const b = cuts[i];
    if (b <= a) continue;
    const m = simpson(w, a, b, 2000);
    const name = classify((a + b) / 2);
    mass[name] = (mass[name] ?? 0) + m;
    total += m;
  }
  return Object.fromEntries(Object.entries(mass).map(([k, v]) => [k, v / total]));
}
