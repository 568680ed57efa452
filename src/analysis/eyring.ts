/**
 * Temperature and parameter scans of escape rates, fitted as Poisson regressions of the escape counts with
 * log-exposure offsets (science brief §3): uses censored data and is unbiased where least squares on ln k
 * is not. Confidence intervals are Wald intervals from the inverse Fisher information (good when every
 * point has tens of events or more; with few events they are approximate).
 */
import { AnalysisError } from './errors.js';
import { fitRateRegression, linearCov, waldCI, type RateRegression, type Residual } from './rate-regression.js';

export interface TemperaturePoint {
  temperature: number;
  events: number;
  exposure: number;
}

export interface TemperatureResidual extends Residual {
  temperature: number;
}

export interface EyringFit {
  /** ΔH‡ (k_B = 1, so in units of temperature/energy). */
  deltaH: number;
  deltaHCI95: [number, number];
  seDeltaH: number;
  /** ΔS‡ under the stated ν0 convention (extrapolated to 1/T = 0). */
  deltaS: number;
  deltaSCI95: [number, number];
  seDeltaS: number;
  /** Correlation between the ΔH‡ and ΔS‡ estimates (near ±1 when the temperatures span little of 1/T). */
  correlation: number;
  attemptFrequency: number;
  convention: string;
  /** The value of 1/T subtracted from the covariate: the plain (unweighted, exposure-free) mean of 1/T_i. */
  centre: number;
  residuals: TemperatureResidual[];
  deviance: number;
  /** points - 2. */
  dof: number;
  /** P(χ²_dof > deviance); null when dof = 0. */
  gofPValue: number | null;
  converged: boolean;
}

export interface ArrheniusFit {
  /** Ea in ln k = ln A - Ea / T (k_B = 1). */
  activationEnergy: number;
  activationEnergyCI95: [number, number];
  seActivationEnergy: number;
  lnPrefactor: number;
  lnPrefactorCI95: [number, number];
  seLnPrefactor: number;
  correlation: number;
  /** Plain mean of 1/T_i, the centring of the covariate. */
  centre: number;
  residuals: TemperatureResidual[];
  deviance: number;
  dof: number;
  gofPValue: number | null;
  converged: boolean;
}

export interface XPoint {
  x: number;
  events: number;
  exposure: number;
}

export interface XResidual extends Residual {
  x: number;
}

export interface LogTimeSlopeFit {
  /** d ln τ / dx with τ = 1/k. */
  slope: number;
  slopeCI95: [number, number];
  seSlope: number;
  /** ln τ at x = 0. */
  intercept: number;
  interceptCI95: [number, number];
  seIntercept: number;
  correlation: number;
  /** Plain mean of the x_i, the centring of the covariate. */
  centre: number;
  residuals: XResidual[];
  deviance: number;
  dof: number;
  gofPValue: number | null;
  converged: boolean;
}

interface Transformed {
  u: number;
  v: number;
  seU: number;
  seV: number;
  correlation: number;
}

/** Estimates, SEs and correlation of u = a·(b0, b1) and v = b·(b0, b1). */
function transform(r: RateRegression, a: [number, number], b: [number, number]): Transformed {
  const u = a[0] * r.b0 + a[1] * r.b1;
  const v = b[0] * r.b0 + b[1] * r.b1;
  const varU = linearCov(r.cov, a, a);
  const varV = linearCov(r.cov, b, b);
  const cuv = linearCov(r.cov, a, b);
  const seU = Math.sqrt(Math.max(0, varU));
  const seV = Math.sqrt(Math.max(0, varV));
  return { u, v, seU, seV, correlation: seU > 0 && seV > 0 ? cuv / (seU * seV) : 0 };
}

function checkTemperatures(points: TemperaturePoint[], fn: string): void {
  if (!Array.isArray(points)) throw new AnalysisError(`${fn}: points must be an array`);
  points.forEach((p, i) => {
    if (!(p.temperature > 0) || !Number.isFinite(p.temperature)) {
      throw new AnalysisError(`${fn}: point ${i}: temperature must be positive and finite, got ${p.temperature}`);
    }
  });
}

const withTemperature = (points: TemperaturePoint[], r: RateRegression): TemperatureResidual[] =>
  r.residuals.map((res, i) => ({ temperature: points[i].temperature, ...res }));

/**
 * Eyring-Polanyi fit: events_i ~ Poisson(exposure_i k(T_i)), ln(k/T) = ln ν0 + ΔS‡ - ΔH‡/T.
 * Poisson regression on the covariate (1/T - c), c = the plain mean of the 1/T_i, with offset
 * ln(exposure) + ln T + ln ν0; then ΔH‡ = -slope and ΔS‡ = intercept - slope·c.
 */
export function eyringFit(points: TemperaturePoint[], opts: { attemptFrequency?: number } = {}): EyringFit {
  checkTemperatures(points, 'eyringFit');
  const nu0 = opts.attemptFrequency ?? 1;
  if (!(nu0 > 0) || !Number.isFinite(nu0))
    throw new AnalysisError(`eyringFit: attemptFrequency must be positive and finite, got ${nu0}`);
  const r = fitRateRegression(
    points.map((p) => ({
      x: 1 / p.temperature,
      events: p.events,
      exposure: p.exposure,
      extra: Math.log(p.temperature) + Math.log(nu0),
    })),
    'eyringFit',
    'temperature',
  );
  // ΔH = -b1; ΔS = b0 - c b1.
  const t = transform(r, [0, -1], [1, -r.centre]);
  return {
    deltaH: t.u,
    deltaHCI95: waldCI(t.u, t.seU),
    seDeltaH: t.seU,
    deltaS: t.v,
    deltaSCI95: waldCI(t.v, t.seV),
    seDeltaS: t.seV,
    correlation: t.correlation,
    attemptFrequency: nu0,
    convention:
      `ln(k/T) = ln(nu0) + dS - dH/T with k_B = 1 and nu0 = ${nu0} (a convention: compare dS across conditions, ` +
      `not in absolute terms); fitted as a Poisson regression of counts on (1/T - ${r.centre}) ` +
      `(centre = plain mean of 1/T over the points) with offset ln(exposure) + ln T + ln nu0; dS is the value ` +
      `extrapolated to 1/T = 0; Wald 95% intervals.`,
    centre: r.centre,
    residuals: withTemperature(points, r),
    deviance: r.deviance,
    dof: r.dof,
    gofPValue: r.gofPValue,
    converged: r.converged,
  };
}

/** Arrhenius fit ln k = ln A - Ea/T, by the same Poisson regression with offset ln(exposure). */
export function arrheniusFit(points: TemperaturePoint[]): ArrheniusFit {
  checkTemperatures(points, 'arrheniusFit');
  const r = fitRateRegression(
    points.map((p) => ({ x: 1 / p.temperature, events: p.events, exposure: p.exposure, extra: 0 })),
    'arrheniusFit',
    'temperature',
  );
  // Ea = -b1; ln A = b0 - c b1.
  const t = transform(r, [0, -1], [1, -r.centre]);
  return {
    activationEnergy: t.u,
    activationEnergyCI95: waldCI(t.u, t.seU),
    seActivationEnergy: t.seU,
    lnPrefactor: t.v,
    lnPrefactorCI95: waldCI(t.v, t.seV),
    seLnPrefactor: t.seV,
    correlation: t.correlation,
    centre: r.centre,
    residuals: withTemperature(points, r),
    deviance: r.deviance,
    dof: r.dof,
    gofPValue: r.gofPValue,
    converged: r.converged,
  };
}

/**
 * ln τ = intercept + slope·x with τ = 1/k, for any scan parameter x (e.g. the data size N): the same Poisson
 * regression with covariate (x - mean x) and offset ln(exposure); slope = -b1, intercept = -(b0 - c b1).
 */
export function logTimeSlope(points: XPoint[]): LogTimeSlopeFit {
  if (!Array.isArray(points)) throw new AnalysisError('logTimeSlope: points must be an array');
  const r = fitRateRegression(
    points.map((p) => ({ x: p.x, events: p.events, exposure: p.exposure, extra: 0 })),
    'logTimeSlope',
    'x',
  );
  const t = transform(r, [0, -1], [-1, r.centre]);
  return {
    slope: t.u,
    slopeCI95: waldCI(t.u, t.seU),
    seSlope: t.seU,
    intercept: t.v,
    interceptCI95: waldCI(t.v, t.seV),
    seIntercept: t.seV,
    correlation: t.correlation,
    centre: r.centre,
    residuals: r.residuals.map((res, i) => ({ x: points[i].x, ...res })),
    deviance: r.deviance,
    dof: r.dof,
    gofPValue: r.gofPValue,
    converged: r.converged,
  };
}
