import { firstOrderTransition, orderedMinimum } from '../first-order/theory.js';

/** Parameters of the first-order-network family (family.ts). */
export interface NetworkParams {
  d: number;
  N: number;
  sigma2: number;
  u: number;
  kappa: number;
  linear: number;
  phiOrdered: number;
  level: number;
  start: number;
}

/**
 * The overlap g(Phi) of one erf neuron with the cubic target mode along w* = e1 (the first-order family's
 * reduction: |w|^2 in the erf normalization replaced by Phi^2 + sigma2), and its derivative in Phi.
 */
export function overlap(phi: number, p: { sigma2: number; linear: number }): { g: number; dg: number } {
  const a = 1 + 2 * (phi * phi + p.sigma2);
  const s = Math.sqrt(a);
  const a15 = a * s;
  const p2 = phi * phi;
  return {
    g: (p.linear * phi) / s + (phi * p2) / a15,
    dg: p.linear / s - (2 * p.linear * p2) / a15 + (3 * p2) / a15 - (6 * p2 * p2) / (a15 * a),
  };
}

/**
 * The network's action (family.ts): V(w_1..w_N) = d [ sum_k |w_k|^2/(2 sigma2) - N (u/2) m/(1 + kappa m) ],
 * m = (1/N) sum_k g(Phi_k)^2. Neuron k feels dV/dw_k = d [ w_k/sigma2 - u_eff g_k g'_k e1 ] with the
 * self-consistent coupling u_eff = u/(1 + kappa m)^2 (kappa = 0: the first-order family's fixed u).
 */
export function networkAction(phis: number[], perp: number, p: NetworkParams): number {
  const n = phis.length;
  const m = phis.reduce((a, f) => a + overlap(f, p).g ** 2, 0) / n;
  const prior = (phis.reduce((a, f) => a + f * f, 0) + perp) / (2 * p.sigma2);
  return p.d * (prior - n * (p.u / 2) * (p.kappa === 0 ? m : m / (1 + p.kappa * m)));
}

export const effectiveCoupling = (u: number, kappa: number, m: number): number => u / (1 + kappa * m) ** 2;

/**
 * One neuron's exact Phi marginal at a fixed coupling u' (temperature T): exp(-d [Phi^2/(2 sigma2) - (u'/2)
 * g^2]/T) (the transverse coordinates are Gaussian and independent of Phi under the reduction), by a
 * trapezoid rule in log space (weights relative to their maximum, so a deep ordered well at any u' is exact
 * to float64). Returns <g^2> and the probability that |Phi| > phiOrdered.
 */
export function neuronAverages(uEff: number, p: NetworkParams, T: number): { g2: number; ordered: number } {
  const q = { ...p, u: uEff };
  const m = orderedMinimum(q);
  const hi = Math.max(3, 2 * (m ?? 0)) + 8 * Math.sqrt((p.sigma2 * T) / p.d);
  const n = 8000;
  const logw = new Float64Array(n + 1);
  const xs = new Float64Array(n + 1);
  let top = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= n; i++) {
    const x = -hi + (2 * hi * i) / n;
    const { g } = overlap(x, p);
    xs[i] = x;
    logw[i] = (-p.d * ((x * x) / (2 * p.sigma2) - (uEff / 2) * g * g)) / T;
    top = Math.max(top, logw[i]);
  }
  let z = 0;
  let g2 = 0;
  let ordered = 0;
  for (let i = 0; i <= n; i++) {
    const w = Math.exp(logw[i] - top) * (i === 0 || i === n ? 0.5 : 1);
    z += w;
    g2 += w * overlap(xs[i], p).g ** 2;
    if (Math.abs(xs[i]) > p.phiOrdered) ordered += w;
  }
  return { g2: g2 / z, ordered: ordered / z };
}

/**
 * The self-consistent mean field of a wide network (N -> infinity) at finite d: the m with
 * m = <g^2> at u_eff = u/(1 + kappa m)^2. <g^2> grows with u_eff and u_eff falls with m, so the root is
 * unique (bisection). Returns m, u_eff and the ordered fraction P(|Phi| > phiOrdered) at u_eff.
 */
export function meanField(p: NetworkParams, T: number): { m: number; uEff: number; ordered: number } {
  const hiM = (Math.abs(p.linear) / Math.SQRT2 + 2 ** -1.5) ** 2;
  const excess = (m: number) => neuronAverages(effectiveCoupling(p.u, p.kappa, m), p, T).g2 - m;
  let lo = 0;
  let hi = hiM;
  if (p.kappa === 0) {
    const r = neuronAverages(p.u, p, T);
    return { m: r.g2, uEff: p.u, ordered: r.ordered };
  }
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (excess(mid) > 0) lo = mid;
    else hi = mid;
  }
  const m = (lo + hi) / 2;
  const uEff = effectiveCoupling(p.u, p.kappa, m);
  return { m, uEff, ordered: neuronAverages(uEff, p, T).ordered };
}

/**
 * The mixed phase at large d (derived here, not a formula of the paper): each neuron is either disordered
 * (g ~ 0) or ordered; a fraction f ordered gives m = f G_c, and coexistence pins u_eff at the one-neuron
 * transition u_c (equal f), so (1 + kappa f G_c)^2 = u/u_c: f = (sqrt(u/u_c) - 1)/(kappa G_c) on
 * u_c <= u <= u_c (1 + kappa G_c)^2, linear in sqrt(u), i.e. in the sample size (u grows as its square).
 * G_c = g(Phi_c)^2 at the ordered minimum Phi_c at u_c.
 */
export function mixedPhase(p: NetworkParams): { uc: number; us: number; gc: number; upper: number } | null {
  const t = firstOrderTransition(p);
  if (t.transition === null || t.spinodal === null) return null;
  const phic = orderedMinimum({ ...p, u: t.transition });
  if (phic === null) return null;
  const gc = overlap(phic, p).g ** 2;
  return { uc: t.transition, us: t.spinodal, gc, upper: t.transition * (1 + p.kappa * gc) ** 2 };
}

/** The large-d ordered fraction in the mixed phase (mixedPhase), clamped to [0, 1]. */
export function mixedFraction(p: NetworkParams): number | null {
  const mp = mixedPhase(p);
  if (mp === null) return null;
  if (p.u <= mp.uc) return 0;
  if (p.kappa === 0) return 1;
  return Math.min(1, (Math.sqrt(p.u / mp.uc) - 1) / (p.kappa * mp.gc));
}
