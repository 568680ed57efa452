/**
 * Special functions: log-gamma, regularized incomplete gamma,
 * chi-square and normal distribution functions and quantiles. Pure float64, no dependencies: the base
 * layer that analysis (escape statistics) and model families (closed-form accuracies) both read. Arguments
 * outside a function's domain throw RangeError.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LN_SQRT_2PI = 0.9189385332046727;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: relative error ~1e-15); reflection for x < 0.5. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: argument must be positive, got ${x}`);
  if (x < 0.5) {
    // Γ(x) Γ(1-x) = π / sin(πx), with Γ(x) > 0 on (0, 0.5).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** ln Γ(a) - [(a - 1/2) ln a - a + ln √(2π)]: Stirling's series to a^-9, error < 1e-17 for a >= 20. */
function stirlingCorrection(a: number): number {
  const r = 1 / (a * a);
  return (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / a;
}

/**
 * ln of x^a e^-x / Γ(a), the common factor of both incomplete-gamma expansions. For a >= 20 it is written
 * as a (log1p(u) - u) + ln √(a / 2π) - stirling(a), u = (x - a)/a, which avoids cancelling terms of size
 * a ln a (at a = 1e7 the direct form loses ~1e-8 relative).
 */
function logGammaPrefactor(a: number, x: number): number {
  if (a < 20) return a * Math.log(x) - x - logGamma(a);
  const u = (x - a) / a;
  return a * (Math.log1p(u) - u) + 0.5 * Math.log(a) - LN_SQRT_2PI - stirlingCorrection(a);
}

const EPS = 1e-16;
const TINY = 1e-300;

/** Series for P(a, x), good for x < a + 1. Needs O(sqrt(a)) terms near x = a. */
function lowerSeries(a: number, x: number): number {
  const maxIter = 1000 + Math.ceil(50 * Math.sqrt(a));
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < maxIter; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(logGammaPrefactor(a, x));
}

/** Continued fraction (modified Lentz) for Q(a, x), good for x >= a + 1. */
function upperFraction(a: number, x: number): number {
  const maxIter = 1000 + Math.ceil(50 * Math.sqrt(a));
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= maxIter; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(logGammaPrefactor(a, x)) * h;
}

function checkGammaArgs(a: number, x: number, name: string): void {
  if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`${name}: shape a must be positive and finite, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`${name}: x must be >= 0, got ${x}`);
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function gammaP(a: number, x: number): number {
  checkGammaArgs(a, x, 'gammaP');
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), accurate in the upper tail. */
export function gammaQ(a: number, x: number): number {
  checkGammaArgs(a, x, 'gammaQ');
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

function checkDof(dof: number, name: string): void {
  if (!(dof > 0) || !Number.isFinite(dof))
    throw new RangeError(`${name}: degrees of freedom must be positive and finite, got ${dof}`);
}

/** Chi-square CDF with `dof` degrees of freedom (dof > 0, need not be an integer). */
export function chiSquareCdf(x: number, dof: number): number {
  checkDof(dof, 'chiSquareCdf');
  if (x <= 0) return 0;
  return gammaP(dof / 2, x / 2);
}

/** Chi-square survival function 1 - CDF, accurate in the upper tail. */
export function chiSquareSf(x: number, dof: number): number {
  checkDof(dof, 'chiSquareSf');
  if (x <= 0) return 1;
  return gammaQ(dof / 2, x / 2);
}

/** Chi-square density. */
export function chiSquarePdf(x: number, dof: number): number {
  checkDof(dof, 'chiSquarePdf');
  if (x < 0) return 0;
  const a = dof / 2;
  if (x === 0) return a < 1 ? Infinity : a === 1 ? 0.5 : 0;
  return Math.exp((a - 1) * Math.log(x / 2) - x / 2 - logGamma(a)) / 2;
}

/**
 * Chi-square quantile: the x with CDF(x) = p. Solved in u = ln x on the log of the smaller tail
 * (ln P(x) = ln p for p <= 1/2, ln Q(x) = ln(1 - p) otherwise), which is close to linear in u in both tails,
 * by Newton steps kept inside a bracket (bisection when a step leaves it). Converges to |Δu| < 1e-14,
 * i.e. ~1e-13 relative in x, limited by the incomplete gamma (~1e-14 relative, ~1e-10 at dof ~ 1e6).
 * p = 0 gives 0, p = 1 gives Infinity.
 */
export function chiSquareQuantile(p: number, dof: number): number {
  checkDof(dof, 'chiSquareQuantile');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`chiSquareQuantile: probability must be in [0, 1], got ${p}`);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const a = dof / 2;
  const lower = p <= 0.5;
  const logTarget = Math.log(lower ? p : 1 - p);
  // φ(u) increasing in u; zero at the quantile.
  const phi = (u: number): { value: number; slope: number } => {
    const x = Math.exp(u);
    const h = x / 2;
    const tail = lower ? gammaP(a, h) : gammaQ(a, h);
    // x f(x) = h^a e^-h / Γ(a): the derivative of P with respect to ln x.
    const xf = Math.exp(logGammaPrefactor(a, h));
    const lt = Math.log(tail);
    return lower ? { value: lt - logTarget, slope: xf / tail } : { value: logTarget - lt, slope: xf / tail };
  };
  // Starting point: Wilson-Hilferty, or the small-x power law where that fails.
  const z = normalQuantile(p);
  const w = 2 / (9 * dof);
  let x0 = dof * (1 - w + z * Math.sqrt(w)) ** 3;
  const small = 2 * Math.exp((Math.log(p) + logGamma(a + 1)) / a);
  if (!(x0 > 0) || (p < 0.1 && small < x0)) x0 = small;
  let u = Math.log(x0);
  let f = phi(u);
  // Bracket [lo, hi] with φ(lo) < 0 < φ(hi).
  let lo = u;
  let hi = u;
  let step = 0.5;
  if (f.value < 0) {
    for (let i = 0; i < 200; i++) {
      hi = u + step;
      if (phi(hi).value >= 0) break;
      lo = hi;
      step *= 2;
    }
  } else {
    for (let i = 0; i < 200; i++) {
      lo = u - step;
      if (phi(lo).value <= 0) break;
      hi = lo;
      step *= 2;
    }
  }
  // Newton from the starting point when it lies in the bracket (it is usually one of its ends).
  const u0 = Math.log(x0);
  u = u0 >= lo && u0 <= hi ? u0 : (lo + hi) / 2;
  for (let i = 0; i < 300; i++) {
    f = phi(u);
    if (f.value === 0) break;
    if (f.value < 0) lo = u;
    else hi = u;
    let next = u - f.value / f.slope;
    if (!Number.isFinite(next) || next <= lo || next >= hi) next = (lo + hi) / 2;
    const du = Math.abs(next - u);
    u = next;
    if (du < 1e-14 * Math.max(1, Math.abs(u)) || hi - lo < 1e-15 * Math.max(1, Math.abs(u))) break;
  }
  return Math.exp(u);
}

// Wichura, Algorithm AS 241 (PPND16), Appl. Statist. 37 (1988) 477: relative accuracy ~1e-16.
const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852545925,
];
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

function poly(c: number[], x: number): number {
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * x + c[i];
  return s;
}

/** Standard normal quantile Φ⁻¹(p) (AS 241). p = 0 and 1 give ∓Infinity. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: probability must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = poly(C, r) / poly(D, r);
  } else {
    r -= 5;
    x = poly(E, r) / poly(F, r);
  }
  return q < 0 ? -x : x;
}

/** Standard normal CDF Φ(x), via Q(1/2, x²/2) = erfc(|x|/√2): accurate in both tails. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('normalCdf: argument is NaN');
  const half = 0.5 * gammaQ(0.5, (x * x) / 2);
  return x < 0 ? half : 1 - half;
}

/** Two-sided standard normal critical value for a central interval of probability `level` (1.96 for 0.95). */
export function zCritical(level = 0.95): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`zCritical: level must be in (0, 1), got ${level}`);
  return normalQuantile(0.5 + level / 2);
}
