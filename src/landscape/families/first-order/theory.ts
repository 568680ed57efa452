/** U(Phi): the same potential as the family's formula (family.ts) along w1, in plain JS. */
export function firstOrderPotential1d(
  phi: number,
  p: { d: number; sigma2: number; u: number; linear: number },
): number {
  const q = 1 + 2 * (phi * phi + p.sigma2);
  const g = (p.linear * phi) / Math.sqrt(q) + phi ** 3 / q ** 1.5;
  return p.d * ((phi * phi) / (2 * p.sigma2) - (p.u / 2) * g * g);
}

/** Parameters of the first-order family (family.ts builds the same potential). */
export interface FirstOrderParams {
  d: number;
  sigma2: number;
  u: number;
  linear: number;
}

/**
 * Exact marginal free energy of Phi = w1, up to a constant: U = d f(Phi) + d |w_perp|^2 / (2 sigma2) and the
 * transverse part is Gaussian and independent of Phi, so integrating it out only adds a constant.
 */
export const firstOrderFreeEnergy = (phi: number, p: FirstOrderParams): number => firstOrderPotential1d(phi, p);

/** The intensive action f(Phi) = U / d, which does not depend on d. */
const perDimension = (phi: number, p: FirstOrderParams) => firstOrderPotential1d(phi, { ...p, d: 1 });

/**
 * Half-width R such that U(Phi) - min U > 60 T for |Phi| > R: the search starts beyond the ordered minimum,
 * past which the prior term makes U grow. (Starting at 0.5, a deep ordered well, U(m) far below U(0.5),
 * stopped the search at once and cut the ordered phase out of the quadrature: u = 800 predicted an ordered
 * population of 0.)
 */
export function firstOrderRange(p: FirstOrderParams, T: number): number {
  const m = orderedMinimum(p);
  const floor = firstOrderMinimumValue(p);
  let r = Math.max(0.5, m === null ? 0 : 1.25 * m);
  while (r < 1e6 && firstOrderFreeEnergy(r, p) - floor < 60 * T) r *= 1.25;
  return r;
}

function firstOrderMinimumValue(p: FirstOrderParams): number {
  const m = orderedMinimum(p);
  return m === null ? firstOrderFreeEnergy(0, p) : Math.min(firstOrderFreeEnergy(0, p), firstOrderFreeEnergy(m, p));
}

/**
 * The ordered minimum: the largest local minimum of f at Phi > 0 that is separated from Phi = 0 by a
 * maximum, or null. Found on a grid out to where the prior term dominates (f grows like Phi^2/(2 sigma2)
 * while the interaction saturates at u/2 (linear/sqrt2 + 1/2^(3/2))^2).
 */
export function orderedMinimum(p: FirstOrderParams): number | null {
  const saturation = (p.u / 2) * (Math.abs(p.linear) / Math.SQRT2 + 2 ** -1.5) ** 2;
  const hi = Math.sqrt(2 * p.sigma2 * (saturation + 1)) * 2 + 1;
  const n = 4000;
  const f = Float64Array.from({ length: n + 1 }, (_, i) => perDimension((hi * i) / n, p));
  let seenMax = false;
  let best: number | null = null;
  for (let i = 1; i < n; i++) {
    if (f[i] > f[i - 1] && f[i] >= f[i + 1]) seenMax = true;
    if (seenMax && f[i] < f[i - 1] && f[i] <= f[i + 1]) best = (hi * i) / n;
  }
  return best;
}

/** Largest U on [from, to] minus U(from): the barrier from Phi = from towards `to` (grid maximum). */
export function barrierAlong(p: FirstOrderParams, from: number, to: number): number {
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= 4000; i++) peak = Math.max(peak, firstOrderFreeEnergy(from + ((to - from) * i) / 4000, p));
  return peak - firstOrderFreeEnergy(from, p);
}

function bisectU(p: FirstOrderParams, holds: (q: FirstOrderParams) => boolean): number | null {
  let hi = 1;
  while (!holds({ ...p, u: hi })) {
    hi *= 2;
    if (hi > 1e9) return null;
  }
  let lo = 0;
  for (let k = 0; k < 40; k++) {
    const m = (lo + hi) / 2;
    if (holds({ ...p, u: m })) hi = m;
    else lo = m;
  }
  return hi;
}

/**
 * The first-order transition in u, both intensive (U = d f, so neither depends on d or T): the spinodal
 * where the ordered minimum appears, and the mean-field transition where its f drops below f(0).
 */
export function firstOrderTransition(p: FirstOrderParams): { spinodal: number | null; transition: number | null } {
  const spinodal = bisectU(p, (q) => orderedMinimum(q) !== null);
  const transition = bisectU(p, (q) => {
    const m = orderedMinimum(q);
    return m !== null && perDimension(m, q) < perDimension(0, q);
  });
  return { spinodal, transition };
}
