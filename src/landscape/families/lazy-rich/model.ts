import { dataGaussian, fmix24, keyFromSeed, particleKey, type RngKey } from '../../../engine/rng.js';
import { symmetricEigen } from '../../../math/symmetric-eigen.js';

/**
 * Host (float64) side of the lazy-rich family: its datasets and starts, drawn reproducibly, and the exact
 * observables the kernels compute in float32 (for measures, predictions and tests).
 *
 * Network: f(w, x) = (alpha/N) sum_i phi(w_i . x), phi(h) = h + (eps/2) h^2, weights w_i in R^D stored as
 * coordinate i D + j. Being a quadratic form in x, f(w, x) = A(w) . x + x^T Q(w) x / 2 with
 * A = (alpha/N) sum_i w_i and Q = (alpha eps / N) sum_i w_i w_i^T. Target y = (beta* . x)^2 / 2 with
 * beta* = sqrt(targetScale) (1, ..., 1) (so |beta*|^2 = targetScale D). The centred residual
 * f(w, x) - f(w0, x) - y = a . x + x^T B x / 2 with a = A(w) - A(w0), B = Q(w) - Q(w0) - beta* beta*^T, so
 * for x ~ N(0, I/D) (E[x_j x_k] = delta_jk / D, Isserlis for the fourth moments, odd moments vanish):
 *   test MSE = E[(a.x + x^T B x / 2)^2] = |a|^2 / D + ((tr B)^2 + 2 tr B^2) / (4 D^2).
 * At the start the centred output is 0, so the initial test MSE is E[y^2] = 3 |beta*|^4 / (4 D^2) = 3 s^2 / 4.
 *
 * Random streams (grokscape's counter-based generator, src/engine/rng.ts), keys derived from a seed as
 * (fmix24(k0 ^ a), fmix24(k1 ^ b)) with (k0, k1) = keyFromSeed(seed):
 *   shared training set: seed = dataSeed, (a, b) = (0x1a2b3c, 0x4d5e6f), particle 0;
 *   own training set:    seed = run seed, same (a, b), particle p;  x_mu,j = dataGaussian(pk, mu, j) / sqrt(D);
 *   start:               seed = run seed, (a, b) = (0x5eed01, 0x1a2e11), particle p; w_i,j = dataGaussian(pk, i, j).
 */
export interface LazyRichParams {
  D: number;
  P: number;
  N: number;
  eps: number;
  alpha: number;
  lrScale: number;
  targetScale: number;
  dataSeed: number;
  ownData: number;
  fitThreshold: number;
  generalizeThreshold: number;
  memorizeFloor: number;
}

function derivedKey(seed: number, a: number, b: number): RngKey {
  const k = keyFromSeed(seed);
  return { k0: fmix24(k.k0 ^ a), k1: fmix24(k.k1 ^ b) };
}

/** Training inputs x_mu ~ N(0, I/D): P rows of D values (the shared set: particle 0 of the dataSeed key). */
export function trainingInputs(seed: number, particle: number, P: number, D: number): Float64Array[] {
  const pk = particleKey(derivedKey(seed, 0x1a2b3c, 0x4d5e6f), particle, 0);
  const s = 1 / Math.sqrt(D);
  return Array.from({ length: P }, (_, mu) => Float64Array.from({ length: D }, (_, j) => s * dataGaussian(pk, mu, j)));
}

/** The start w_i ~ N(0, I) of particle p, flat (neuron i, component j at i D + j). */
export function initialWeights(seed: number, particle: number, N: number, D: number): Float64Array {
  const pk = particleKey(derivedKey(seed, 0x5eed01, 0x1a2e11), particle, 0);
  return Float64Array.from({ length: N * D }, (_, r) => dataGaussian(pk, Math.floor(r / D), r % D));
}

/** The inputs particle p trains on: its own set or the shared one. */
export function inputsOf(q: LazyRichParams, seed: number, particle: number): Float64Array[] {
  return q.ownData === 1 ? trainingInputs(seed, particle, q.P, q.D) : trainingInputs(q.dataSeed, 0, q.P, q.D);
}

/** beta* . x with beta* = sqrt(s) (1, ..., 1). */
const betaDot = (q: LazyRichParams, x: ArrayLike<number>, off = 0): number => {
  let t = 0;
  for (let j = 0; j < q.D; j++) t += x[off + j];
  return Math.sqrt(q.targetScale) * t;
};

export const target = (q: LazyRichParams, x: ArrayLike<number>): number => 0.5 * betaDot(q, x) ** 2;

/** f(w, x), uncentred. */
export function output(q: LazyRichParams, w: ArrayLike<number>, x: ArrayLike<number>): number {
  let f = 0;
  for (let i = 0; i < q.N; i++) {
    let h = 0;
    for (let j = 0; j < q.D; j++) h += w[i * q.D + j] * x[j];
    f += h + 0.5 * q.eps * h * h;
  }
  return (q.alpha / q.N) * f;
}

/** Initial test MSE E[y^2] = 3 s^2 / 4 (the centred network outputs 0 at the start): the regions' scale. */
export const initialTestMse = (q: LazyRichParams): number => 0.75 * q.targetScale ** 2;

/** Learning rate eta = lrScale N / alpha^2 (the paper's 0.5 N / alpha^2 at lrScale = 0.5). */
export const learningRate = (q: LazyRichParams): number => (q.lrScale * q.N) / (q.alpha * q.alpha);

/** E[(a.x + x^T B x / 2)^2] for x ~ N(0, I/D): |a|^2/D + ((tr B)^2 + 2 tr B^2)/(4 D^2). B is D x D, row-major. */
export function quadraticFormMse(a: ArrayLike<number>, B: ArrayLike<number>, D: number): number {
  let aa = 0;
  let tr = 0;
  let tr2 = 0;
  for (let j = 0; j < D; j++) {
    aa += a[j] * a[j];
    tr += B[j * D + j];
    for (let k = 0; k < D; k++) tr2 += B[j * D + k] * B[k * D + j];
  }
  return aa / D + (tr * tr + 2 * tr2) / (4 * D * D);
}

/** a and B of the centred residual f(w, x) - f(w0, x) - y (see the header). */
export function residualForm(
  q: LazyRichParams,
  w: ArrayLike<number>,
  w0: ArrayLike<number>,
): { a: Float64Array; B: Float64Array } {
  const { D, N } = q;
  const a = new Float64Array(D);
  const B = new Float64Array(D * D);
  const c = (q.alpha * q.eps) / N;
  const b = Math.sqrt(q.targetScale);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) {
      a[j] += (q.alpha / N) * (w[i * D + j] - w0[i * D + j]);
      for (let k = 0; k < D; k++) B[j * D + k] += c * (w[i * D + j] * w[i * D + k] - w0[i * D + j] * w0[i * D + k]);
    }
  }
  for (let j = 0; j < D * D; j++) B[j] -= b * b;
  return { a, B };
}

/** Exact test MSE of particle weights w (start w0). */
export const testMse = (q: LazyRichParams, w: ArrayLike<number>, w0: ArrayLike<number>): number => {
  const { a, B } = residualForm(q, w, w0);
  return quadraticFormMse(a, B, q.D);
};

/** Train MSE: mean over the training set of (f(w, x) - f(w0, x) - y)^2. */
export function trainMse(q: LazyRichParams, w: ArrayLike<number>, w0: ArrayLike<number>, xs: Float64Array[]): number {
  let s = 0;
  for (const x of xs) s += (output(q, w, x) - output(q, w0, x) - target(q, x)) ** 2;
  return s / xs.length;
}

/**
 * Cosine similarity of M = (1/N) sum_i w_i w_i^T with beta* beta*^T (Frobenius):
 * sum_i (w_i . b)^2 / sqrt(sum_ik (w_i . w_k)^2), b the unit vector along beta*. 1 when every w_i is along beta*.
 */
export function alignment(q: LazyRichParams, w: ArrayLike<number>): number {
  const { D, N } = q;
  let num = 0;
  let den = 0;
  for (let i = 0; i < N; i++) {
    const wb = betaDot(q, w, i * D) / Math.sqrt(q.targetScale * D);
    num += wb * wb;
    for (let k = 0; k < N; k++) {
      let d = 0;
      for (let j = 0; j < D; j++) d += w[i * D + j] * w[k * D + j];
      den += d * d;
    }
  }
  return den > 0 ? num / Math.sqrt(den) : 0;
}

/** Solves the symmetric positive definite system A z = b (n x n, row-major) by Cholesky; A is overwritten. */
function solveSpd(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j];
    for (let k = 0; k < j; k++) d -= A[j * n + k] ** 2;
    if (!(d > 0)) throw new Error('lazy-rich: kernel matrix not positive definite');
    const l = Math.sqrt(d);
    A[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= A[i * n + k] * A[j * n + k];
      A[i * n + j] = s / l;
    }
  }
  const z = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) z[i] -= A[i * n + k] * z[k];
    z[i] /= A[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) z[i] -= A[k * n + i] * z[k];
    z[i] /= A[i * n + i];
  }
  return z;
}

/** The NTK's features at weights w of each training input: psi_i(x) = (alpha/N) phi'(w_i . x) x, N D values. */
function ntkFeatures(q: LazyRichParams, w: ArrayLike<number>, xs: Float64Array[]): Float64Array[] {
  const { D, N } = q;
  return xs.map((x) => {
    const row = new Float64Array(N * D);
    for (let i = 0; i < N; i++) {
      let h = 0;
      for (let j = 0; j < D; j++) h += w[i * D + j] * x[j];
      for (let j = 0; j < D; j++) row[i * D + j] = (q.alpha / N) * (1 + q.eps * h) * x[j];
    }
    return row;
  });
}

/**
 * Exact test MSE of the linearized network f(w0) + psi . dw (centred): its output dw . psi(x) = a . x +
 * x^T B x / 2 with a = (alpha/N) sum_i dw_i and B = (alpha eps / N) sum_i (w0_i dw_i^T + dw_i w0_i^T).
 */
function linearizedTestMse(q: LazyRichParams, w0: ArrayLike<number>, dw: ArrayLike<number>): number {
  const { D, N } = q;
  const a = new Float64Array(D);
  const B = new Float64Array(D * D);
  const c = (q.alpha * q.eps) / N;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) {
      a[j] += (q.alpha / N) * dw[i * D + j];
      for (let k = 0; k < D; k++) B[j * D + k] += c * (w0[i * D + j] * dw[i * D + k] + dw[i * D + j] * w0[i * D + k]);
    }
  }
  for (let j = 0; j < D * D; j++) B[j] -= q.targetScale;
  return quadraticFormMse(a, B, D);
}

/**
 * Test MSE of the lazy limit: kernel regression with the initial NTK, K(x, x') = psi(x) . psi(x'), i.e. the
 * linearized network f(w0) + psi . dw trained to convergence from dw = 0: the minimum-norm least-squares
 * dw = Psi^+ y (ridgeless; a relative ridge of 1e-10 keeps the solve stable).
 */
export function lazyTestMse(
  q: LazyRichParams,
  w0: ArrayLike<number>,
  xs: Float64Array[],
  at: StartKernel = startKernel(q, w0, xs),
): number {
  const F = q.N * q.D;
  const P = xs.length;
  const { psi } = at;
  const y = Float64Array.from(xs, (x) => target(q, x));
  const dw = new Float64Array(F);
  if (P <= F) {
    // dw = Psi^T (Psi Psi^T)^-1 y
    const K = Float64Array.from(at.gram());
    ridge(K, P);
    const z = solveSpd(K, y, P);
    for (let m = 0; m < P; m++) for (let k = 0; k < F; k++) dw[k] += psi[m][k] * z[m];
  } else {
    // dw = (Psi^T Psi)^-1 Psi^T y
    const G = new Float64Array(F * F);
    const r = new Float64Array(F);
    for (let m = 0; m < P; m++) {
      for (let k = 0; k < F; k++) {
        r[k] += psi[m][k] * y[m];
        for (let l = 0; l < F; l++) G[k * F + l] += psi[m][k] * psi[m][l];
      }
    }
    ridge(G, F);
    dw.set(solveSpd(G, r, F));
  }
  return linearizedTestMse(q, w0, dw);
}

/**
 * The initial NTK of one start on its training set, which its lazy reference and its kernel path share: the
 * features, and their Gram matrix computed on first use (read-only).
 */
export interface StartKernel {
  psi: Float64Array[];
  gram: () => Float64Array;
}

export function startKernel(q: LazyRichParams, w0: ArrayLike<number>, xs: Float64Array[]): StartKernel {
  const psi = ntkFeatures(q, w0, xs);
  let K: Float64Array | null = null;
  return { psi, gram: () => (K ??= gram(psi)) };
}

/** K = Psi Psi^T (P x P, row-major; symmetric, each entry summed once in feature order). */
function gram(psi: Float64Array[]): Float64Array {
  const P = psi.length;
  const K = new Float64Array(P * P);
  for (let m = 0; m < P; m++) {
    const a = psi[m];
    for (let n = m; n < P; n++) {
      const b = psi[n];
      let s = 0;
      for (let k = 0; k < a.length; k++) s += a[k] * b[k];
      K[m * P + n] = s;
      K[n * P + m] = s;
    }
  }
  return K;
}

/**
 * The lazy limit of the fit itself: the linearized network trained by the network's own gradient descent
 * (step `step` = eta dt on L = (1/(2P)) sum_mu r_mu^2) from dw = 0, until its train MSE first falls below
 * fitThreshold x E[y^2] (the network's clock tests the same state), for at most maxSteps steps. In function
 * space r <- r - (step / P) K r with dw = Psi^T z, z <- z - (step / P) r, exact for any rank of K, taken in
 * closed form in the eigenbasis of K (one P x P eigendecomposition, then O(P log maxSteps) to find the step:
 * the cost does not grow with the number of steps). Returns the step count of that first fitted state (null
 * if none within maxSteps) and its exact test MSE (at maxSteps if it never fits). This is kernel regression
 * with the initial NTK stopped at the network's fitting threshold: the alpha -> infinity limit of the
 * network's test MSE at its fit, which tends to lazyTestMse only as the threshold goes to 0 (the kernel's
 * weak quadratic directions converge last).
 */
export function lazyFit(
  q: LazyRichParams,
  w0: ArrayLike<number>,
  xs: Float64Array[],
  step: number,
  maxSteps: number,
  at: StartKernel = startKernel(q, w0, xs),
): { steps: number | null; testMse: number } {
  const P = xs.length;
  const { psi } = at;
  const { values, vectors } = symmetricEigen(at.gram(), P);
  const c = step / P;
  const fitSum = q.fitThreshold * initialTestMse(q) * P;
  // r_0 = -y in the eigenbasis of K: r_k = V diag(rho^k) V^T r_0, rho = 1 - c lambda
  const r0 = Float64Array.from(xs, (x) => -target(q, x));
  const a = new Float64Array(P);
  for (let k = 0; k < P; k++) for (let m = 0; m < P; m++) a[k] += vectors[m * P + k] * r0[m];
  const rho = values.map((l) => 1 - c * l);
  const rho2 = rho.map((x) => x * x);
  const se = (n: number): number => {
    let s = 0;
    for (let k = 0; k < P; k++) s += a[k] * a[k] * rho2[k] ** n;
    return s;
  };
  // se(n) is a sum of exponentials in n, so convex: below the threshold on one interval of n at most, which
  // starts before its minimum (the last step, when no mode grows)
  let lo = 0;
  let hi = maxSteps;
  if (rho2.some((x) => x > 1))
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (se(mid + 1) >= se(mid)) hi = mid;
      else lo = mid + 1;
    }
  let steps: number | null = null;
  if (se(hi) < fitSum) {
    lo = 0;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (se(mid) < fitSum) hi = mid;
      else lo = mid + 1;
    }
    steps = lo;
  }
  // z_n = -c sum_{j<n} r_j, mode by mode -c a (1 - rho^n)/(1 - rho) = -a (1 - rho^n)/lambda (-c n a at lambda 0)
  const n = steps ?? maxSteps;
  const z = new Float64Array(P);
  for (let k = 0; k < P; k++) {
    const cl = c * values[k];
    const sum =
      cl <= 0 ? c * n : rho[k] > 0 ? -Math.expm1(n * Math.log1p(-cl)) / values[k] : (1 - rho[k] ** n) / values[k];
    for (let m = 0; m < P; m++) z[m] -= vectors[m * P + k] * a[k] * sum;
  }
  const dw = new Float64Array(q.N * q.D);
  for (let m = 0; m < P; m++) for (let k = 0; k < dw.length; k++) dw[k] += psi[m][k] * z[m];
  return { steps, testMse: linearizedTestMse(q, w0, dw) };
}

function ridge(A: Float64Array, n: number): void {
  let tr = 0;
  for (let i = 0; i < n; i++) tr += A[i * n + i];
  for (let i = 0; i < n; i++) A[i * n + i] += (1e-10 * tr) / n;
}

/**
 * Gradient descent's stability number at weights w: step lambda_max(K(w)) / P, with K(w) = Psi Psi^T the NTK
 * Gram matrix at w, i.e. step times the largest eigenvalue of the Gauss-Newton Hessian (1/P) Psi^T Psi of
 * L = (1/(2P)) sum r^2 (the whole Hessian at an interpolating minimum). Gradient descent at this step can
 * settle only at minima where it is below 2; a run that ends above 2 oscillates at the edge of stability.
 * Power iteration from a fixed start (K is positive semidefinite), to 1e-10 relative or 1000 iterations: only
 * the top eigenvalue is needed, at O(P^2) an iteration, where math/symmetric-eigen.ts (all of them by Jacobi
 * sweeps, O(P^3) each) would cost P times more at the P of a scan.
 */
export function stabilityNumber(q: LazyRichParams, w: ArrayLike<number>, xs: Float64Array[], step: number): number {
  const P = xs.length;
  const K = gram(ntkFeatures(q, w, xs));
  let v = Float64Array.from({ length: P }, (_, m) => 1 + 0.5 * Math.sin(m + 1));
  let lambda = 0;
  for (let it = 0; it < 1000; it++) {
    const u = new Float64Array(P);
    for (let m = 0; m < P; m++) for (let n = 0; n < P; n++) u[m] += K[m * P + n] * v[n];
    const norm = Math.hypot(...u);
    if (norm === 0) return 0;
    const done = Math.abs(norm - lambda) <= 1e-10 * norm;
    lambda = norm;
    v = u.map((x) => x / norm);
    if (done) break;
  }
  return (step * lambda) / P;
}
