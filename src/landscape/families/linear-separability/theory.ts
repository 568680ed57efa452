/**
 * Large-d limit of the linear-separability model (Beck, Levi, Bar-Sinai; science.md §4): the length of the
 * late-time weights w_inf = argmin_w sum_i exp(-w.x_i) of a non-separable set, x_i ~ N(0, I_d), N = d/lambda,
 * as d -> infinity at fixed lambda < 1/2.
 *
 * Minimizing sum_i rho(x_i.w) with rho(m) = e^(-m) over Gaussian x_i is an unregularized M-estimation
 * problem with no signal, and its minimizer's length r = |w_inf| concentrates on the solution of the
 * two-equation system of El Karoui et al. (PNAS 2013; also the convex Gaussian min-max theorem), with
 * Z ~ N(0, 1), kappa = lambda and prox_c(x) = argmin_y c rho(y) + (y - x)^2 / 2 = x + W(c e^(-x)) (Lambert W):
 *   E[prox_c'(r Z)] = 1 - lambda,      E[(r Z - prox_c(r Z))^2] = lambda r^2,
 * where prox_c'(x) = 1 / (1 + W(c e^(-x))). r is finite for lambda < 1/2 and diverges as lambda -> 1/2
 * (Wendel's threshold, where the sets become separable). Checked against |w_inf| of sampled sets at finite d
 * (tests/theory/separability.test.ts). The late fresh accuracy grows like Phi(ln t / |w_inf|): the larger
 * |w_inf|, the slower a set generalizes (docs/scenarios.md measures the time per set).
 */

/** W(e^L), the principal Lambert W of e^L, for any real L (the argument itself may overflow a double). */
export function lambertWOfExp(L: number): number {
  // u = ln W solves u + e^u = L (increasing and convex in u): Newton from a start on the right side.
  let u = L < 1 ? L - Math.log1p(Math.exp(L)) : Math.log(L);
  for (let k = 0; k < 100; k++) {
    const e = Math.exp(u);
    const du = (u + e - L) / (1 + e);
    u -= du;
    if (Math.abs(du) < 1e-15 * Math.max(1, Math.abs(u))) break;
  }
  return Math.exp(u);
}

// Trapezoid nodes for E over Z ~ N(0, 1) on [-9, 9]: the integrands are smooth, with a transition of width
// about 1/r near Z = ln(c)/r, resolved by the spacing 0.0045 for the r this module solves for (up to about 41).
const NODES = 4001;
const Z_MAX = 9;
const zs = Float64Array.from({ length: NODES }, (_, k) => -Z_MAX + (2 * Z_MAX * k) / (NODES - 1));
const weights = (() => {
  const w = Float64Array.from(zs, (z) => Math.exp((-z * z) / 2));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
})();

/** E[prox_c'(r Z)], its derivative in ln c, and E[(r Z - prox_c(r Z))^2] / r^2, at ln c = lc. */
function moments(r: number, lc: number): { slope: number; dSlope: number; spread: number } {
  let slope = 0;
  let dSlope = 0;
  let spread = 0;
  for (let k = 0; k < NODES; k++) {
    const W = lambertWOfExp(lc - r * zs[k]);
    const q = 1 / (1 + W);
    slope += weights[k] * q;
    dSlope -= weights[k] * W * q * q * q; // dW/dL = W / (1 + W)
    spread += weights[k] * W * W;
  }
  return { slope, dSlope, spread: spread / (r * r) };
}

/** ln c solving the first equation at this r: E[prox'] falls from 1 to 0 as c grows (safeguarded Newton). */
function logC(r: number, lambda: number, start: number): number {
  let lo = -(40 + 12 * r);
  let hi = 40 + 12 * r;
  let lc = Math.min(hi, Math.max(lo, start));
  for (let k = 0; k < 200; k++) {
    const { slope, dSlope } = moments(r, lc);
    const f = slope - (1 - lambda);
    if (f > 0) lo = lc;
    else hi = lc;
    let next = lc - f / dSlope;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - lc) < 1e-12 * Math.max(1, Math.abs(lc)) || hi - lo < 1e-12) return next;
    lc = next;
  }
  return lc;
}

/** Closest approach to 1/2 solved for: r(0.4995) is about 41, within the quadrature's resolution. */
export const LAMBDA_MAX = 0.4995;

/**
 * r(lambda) = |w_inf| in the large-d limit, for 0 < lambda < 1/2 (bisection on ln r after a scan for the
 * first sign change of the second equation; about 0.15 s).
 */
export function wInfLargeD(lambda: number): number {
  if (!(lambda > 0 && lambda <= LAMBDA_MAX))
    throw new RangeError(`wInfLargeD: lambda must be in (0, ${LAMBDA_MAX}], got ${lambda}`);
  let lc = 0;
  const excess = (lnR: number) => {
    const r = Math.exp(lnR);
    lc = logC(r, lambda, lc);
    return moments(r, lc).spread - lambda;
  };
  // At small r the excess is large and positive; the solution is its first crossing below zero.
  let lo = Math.log(0.05);
  let prev = excess(lo);
  const stepLn = Math.log(1.5);
  for (let hi = lo + stepLn; hi < Math.log(100); hi += stepLn) {
    const cur = excess(hi);
    if (prev > 0 && cur <= 0) {
      for (let k = 0; k < 40; k++) {
        const mid = (lo + hi) / 2;
        if (excess(mid) > 0) lo = mid;
        else hi = mid;
      }
      return Math.exp((lo + hi) / 2);
    }
    lo = hi;
    prev = cur;
  }
  throw new Error(`wInfLargeD: no solution found for lambda = ${lambda}`);
}
