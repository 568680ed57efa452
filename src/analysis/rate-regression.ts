/**
 * The one-covariate rate model behind the Eyring, Arrhenius and log-time fits:
 * events_i ~ Poisson(exposure_i k_i), ln k_i = extra_i + b0 + b1 (x_i - c), c = the plain mean of the x_i.
 * For censored exponential escape data this Poisson likelihood is the exact likelihood (up to a constant).
 */
import { AnalysisError } from './errors.js';
import { poissonDevianceResidual, poissonRegression } from './poisson-regression.js';
import { chiSquareSf, zCritical } from '../math/special.js';

export interface RatePoint {
  x: number;
  events: number;
  exposure: number;
  /** Known additive term of ln k (e.g. ln T + ln ν0 for Eyring); 0 if none. */
  extra: number;
}

export interface Residual {
  events: number;
  /** Fitted expected count exposure · k̂. */
  expected: number;
  /** (events - expected) / √expected. */
  pearson: number;
  /** sign(events - expected) √(2 [events ln(events/expected) - (events - expected)]). */
  deviance: number;
}

export interface RateRegression {
  /** Intercept at x = centre and slope of ln k in x. */
  b0: number;
  b1: number;
  /** Covariance of (b0, b1). */
  cov: [[number, number], [number, number]];
  centre: number;
  residuals: Residual[];
  deviance: number;
  dof: number;
  /** P(χ²_dof > deviance): small values mean more scatter than Poisson noise (null when dof = 0). */
  gofPValue: number | null;
  converged: boolean;
}

/** 95% Wald half-width factor, 1.959964. */
export const Z95 = zCritical(0.95);

export function waldCI(estimate: number, se: number): [number, number] {
  return [estimate - Z95 * se, estimate + Z95 * se];
}

/** Var and Cov of the linear combinations u = a·β and v = b·β for a 2x2 covariance. */
export function linearCov(cov: number[][], a: [number, number], b: [number, number]): number {
  return a[0] * (cov[0][0] * b[0] + cov[0][1] * b[1]) + a[1] * (cov[1][0] * b[0] + cov[1][1] * b[1]);
}

export function fitRateRegression(points: RatePoint[], fn: string, xName: string): RateRegression {
  if (!Array.isArray(points) || points.length === 0) throw new AnalysisError(`${fn}: no points`);
  points.forEach((p, i) => {
    if (!Number.isFinite(p.x)) throw new AnalysisError(`${fn}: point ${i}: ${xName} must be finite, got ${p.x}`);
    if (!(p.exposure > 0) || !Number.isFinite(p.exposure)) {
      throw new AnalysisError(`${fn}: point ${i}: exposure must be positive and finite, got ${p.exposure}`);
    }
    if (!(p.events >= 0) || !Number.isFinite(p.events)) {
      throw new AnalysisError(`${fn}: point ${i}: events must be a non-negative count, got ${p.events}`);
    }
  });
  const distinct = new Set(points.map((p) => p.x));
  if (distinct.size < 2)
    throw new AnalysisError(`${fn}: need at least two distinct ${xName} values, got ${distinct.size}`);
  const total = points.reduce((s, p) => s + p.events, 0);
  if (total === 0)
    throw new AnalysisError(`${fn}: all event counts are zero; no rate can be fitted (only upper bounds)`);
  const withEvents = new Set(points.filter((p) => p.events > 0).map((p) => p.x));
  if (withEvents.size < 2) {
    throw new AnalysisError(
      `${fn}: events at only one ${xName} value; the slope has no finite estimate (need events at two or more)`,
    );
  }
  const centre = points.reduce((s, p) => s + p.x, 0) / points.length;
  const X = points.map((p) => [1, p.x - centre]);
  const y = points.map((p) => p.events);
  const offset = points.map((p) => Math.log(p.exposure) + p.extra);
  const fit = poissonRegression(X, y, offset);
  const residuals = points.map((p, i): Residual => {
    const mu = fit.fitted[i];
    return {
      events: p.events,
      expected: mu,
      pearson: (p.events - mu) / Math.sqrt(mu),
      deviance: poissonDevianceResidual(p.events, mu),
    };
  });
  const dof = points.length - 2;
  return {
    b0: fit.coef[0],
    b1: fit.coef[1],
    cov: [
      [fit.cov[0][0], fit.cov[0][1]],
      [fit.cov[1][0], fit.cov[1][1]],
    ],
    centre,
    residuals,
    deviance: fit.deviance,
    dof,
    gofPValue: dof > 0 ? chiSquareSf(Math.max(0, fit.deviance), dof) : null,
    converged: fit.converged,
  };
}
