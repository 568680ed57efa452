/** Poisson GLM with log link and offset, fitted by iteratively reweighted least squares. */
import { AnalysisError } from './errors.js';

export interface PoissonFit {
  /** Coefficients, one per column of X. */
  coef: number[];
  /** Inverse Fisher information (XᵀWX)⁻¹ at the fit: the asymptotic covariance of coef. */
  cov: number[][];
  /** Residual deviance 2 Σ [y ln(y/μ) - (y - μ)] (the y ln y term is 0 at y = 0). */
  deviance: number;
  /** Fitted means μ = exp(Xβ + offset). */
  fitted: number[];
  iterations: number;
  /** Relative deviance change below 1e-12 within the iteration limit (R's glm uses 1e-8). */
  converged: boolean;
}

/** Cholesky factor L (lower) of a symmetric positive-definite matrix; null when it is not. */
function cholesky(a: number[][]): number[][] | null {
  const p = a.length;
  const l = a.map(() => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let s = a[j][j];
    for (let k = 0; k < j; k++) s -= l[j][k] * l[j][k];
    if (!(s > 1e-13 * Math.abs(a[j][j])) || !(s > 0)) return null;
    l[j][j] = Math.sqrt(s);
    for (let i = j + 1; i < p; i++) {
      let t = a[i][j];
      for (let k = 0; k < j; k++) t -= l[i][k] * l[j][k];
      l[i][j] = t / l[j][j];
    }
  }
  return l;
}

function choleskySolve(l: number[][], b: number[]): number[] {
  const p = l.length;
  const y = new Array<number>(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

function poissonDeviance(y: number[], mu: number[]): number {
  let dev = 0;
  for (let i = 0; i < y.length; i++) dev += 2 * ((y[i] > 0 ? y[i] * Math.log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
  return dev;
}

/** Unit deviance residual sign(y - μ) √(2 [y ln(y/μ) - (y - μ)]). */
export function poissonDevianceResidual(y: number, mu: number): number {
  const d = 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
  return Math.sign(y - mu) * Math.sqrt(Math.max(0, d));
}

/**
 * Fit y_i ~ Poisson(μ_i), ln μ_i = X_i·β + offset_i. X has one row per observation; include an intercept
 * column yourself. Starts from μ = y + 1/2 (so zero counts are fine), halves steps that raise the deviance,
 * and stops when the relative deviance change is below 1e-12 (at most 100 iterations). Counts need not be
 * integers (the quasi-likelihood is the same). Coefficients of groups whose counts are all zero run off
 * towards -∞ (no finite MLE); the fit then stops on the deviance criterion with a huge variance, as R does.
 */
export function poissonRegression(X: number[][], y: number[], offset: number[]): PoissonFit {
  const n = y.length;
  if (n === 0) throw new AnalysisError('poissonRegression: no observations');
  if (X.length !== n || offset.length !== n) {
    throw new AnalysisError(
      `poissonRegression: X has ${X.length} rows, y ${n}, offset ${offset.length}; they must match`,
    );
  }
  const p = X[0].length;
  if (p === 0) throw new AnalysisError('poissonRegression: X has no columns');
  for (let i = 0; i < n; i++) {
    if (X[i].length !== p)
      throw new AnalysisError(`poissonRegression: row ${i} of X has ${X[i].length} columns, expected ${p}`);
    if (!X[i].every(Number.isFinite)) throw new AnalysisError(`poissonRegression: row ${i} of X is not finite`);
    if (!(y[i] >= 0) || !Number.isFinite(y[i]))
      throw new AnalysisError(`poissonRegression: count ${i} must be >= 0 and finite, got ${y[i]}`);
    if (!Number.isFinite(offset[i]))
      throw new AnalysisError(`poissonRegression: offset ${i} must be finite, got ${offset[i]}`);
  }
  if (n < p) throw new AnalysisError(`poissonRegression: ${n} observations cannot identify ${p} coefficients`);

  // One weighted least-squares step: solve (XᵀWX) β = XᵀWz with W = μ, z = η - offset + (y - μ)/μ.
  const wls = (mu: number[], eta: number[]): { beta: number[]; chol: number[][] } => {
    const xtwx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const xtwz = new Array<number>(p).fill(0);
    for (let i = 0; i < n; i++) {
      const w = mu[i];
      const z = eta[i] - offset[i] + (y[i] - mu[i]) / mu[i];
      const xi = X[i];
      for (let a = 0; a < p; a++) {
        xtwz[a] += w * xi[a] * z;
        for (let b = 0; b <= a; b++) xtwx[a][b] += w * xi[a] * xi[b];
      }
    }
    for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) xtwx[a][b] = xtwx[b][a];
    const chol = cholesky(xtwx);
    if (!chol)
      throw new AnalysisError('poissonRegression: the design is singular (collinear columns or too few distinct rows)');
    return { beta: choleskySolve(chol, xtwz), chol };
  };
  const predict = (beta: number[]): { eta: number[]; mu: number[] } => {
    const eta = new Array<number>(n);
    const mu = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let s = offset[i];
      for (let a = 0; a < p; a++) s += X[i][a] * beta[a];
      eta[i] = s;
      mu[i] = Math.max(Math.exp(s), 1e-300);
    }
    return { eta, mu };
  };

  let mu = y.map((v) => v + 0.5);
  let eta = mu.map(Math.log);
  let dev = poissonDeviance(y, mu);
  let beta: number[] = new Array<number>(p).fill(0);
  let converged = false;
  let iterations = 0;
  const maxIter = 100;
  for (let it = 1; it <= maxIter; it++) {
    iterations = it;
    let next = wls(mu, eta).beta;
    let fit = predict(next);
    let newDev = poissonDeviance(y, fit.mu);
    // Step halving (not on the first step: the starting μ is not of the model's form).
    for (let h = 0; it > 1 && h < 50 && !(newDev <= dev * (1 + 1e-12) + 1e-12); h++) {
      next = next.map((b, a) => (b + beta[a]) / 2);
      fit = predict(next);
      newDev = poissonDeviance(y, fit.mu);
    }
    const change = Math.abs(newDev - dev) / (Math.abs(newDev) + 0.1);
    beta = next;
    mu = fit.mu;
    eta = fit.eta;
    dev = newDev;
    if (it > 1 && change < 1e-12) {
      converged = true;
      break;
    }
  }
  // Covariance at the final μ.
  const { chol } = wls(mu, eta);
  const cov = Array.from({ length: p }, (_, a) => {
    const e = new Array<number>(p).fill(0);
    e[a] = 1;
    return choleskySolve(chol, e);
  });
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) cov[a][b] = cov[b][a] = (cov[a][b] + cov[b][a]) / 2;
  return { coef: beta, cov, deviance: dev, fitted: mu, iterations, converged };
}
