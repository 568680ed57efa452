/**
 * The exponential check with a lag: escapes become memoryless only after the particles have relaxed into
 * the well. Find the smallest lag after which the censored escape times are consistent with an exponential.
 */
import { censoredExponential, type RateEstimate } from './censored.js';
import { AnalysisError } from './errors.js';
import {
  KS_BOOTSTRAP_MAX_N,
  KS_BOOTSTRAP_REPLICATES,
  ksCriticalExponential,
  ksDistanceExponential,
} from './ks-null.js';

export interface LagCandidate {
  lag: number;
  /** Particles neither escaped nor censored at the lag. */
  atRisk: number;
  events: number;
  exposure: number;
  rate: number;
  ksDistance: number;
  ksCritical: number;
  consistent: boolean;
}

export interface LagFit {
  lag: number;
  /** Rate from the escapes after the lag over the exposure after the lag. */
  rateAfterLag: RateEstimate;
  ksDistance: number;
  ksCritical: number;
  /** true when the chosen lag passed the test; false when no candidate did (then the lag is the best one). */
  exponentialConsistent: boolean;
  criterion: string;
  /** The candidates examined, in increasing lag (the scan stops at the first that passes). */
  candidates: LagCandidate[];
}

/** Probabilities of the event-time quantiles tried as lags (besides 0). */
export const LAG_QUANTILES = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];
/** A candidate lag needs at least this many escapes after it (0 is always tried). */
export const LAG_MIN_EVENTS = 10;

function criterion(alpha: number, dt: number): string {
  return (
    `lag = smallest L in {0} and the event-time quantiles ${LAG_QUANTILES.map((p) => `${Math.round(p * 1000) / 10}%`).join(', ')} ` +
    `(with >= ${LAG_MIN_EVENTS} escapes after L) at which D_L = max over event times t in (L, Tobs] and Tobs of ` +
    `|S_KM(t)/S_KM(L) - exp(-k_L (t - L))| (right limits), k_L = escapes after L / exposure after L, is at most ` +
    `the ${Math.round((1 - alpha) * 1000) / 10}% point of D_L's null distribution (parametric bootstrap: ${KS_BOOTSTRAP_REPLICATES} ` +
    `censored exponential samples of the same size and censored fraction, rate re-estimated in each; above ` +
    `${KS_BOOTSTRAP_MAX_N} at risk simulated at ${KS_BOOTSTRAP_MAX_N} and scaled by sqrt(${KS_BOOTSTRAP_MAX_N}/n)); ` +
    `if no candidate passes, the one with the smallest D_L/critical, and exponentialConsistent = false` +
    (dt > 0 ? `; escapes monitored every dt = ${dt}: event exposure counted to interval midpoints (-dt/2 each)` : '')
  );
}

/**
 * `eventTimes`: first-passage times of the escaped particles (entries that are not finite or exceed
 * `censorTime` count as censored); `nParticles`: all particles started at time 0; `censorTime`: Tobs.
 * The Kaplan-Meier survival here is the empirical survival, since every particle is observed to Tobs.
 * `alpha` (default 0.05) is the level of each test: on exactly exponential data the lag is 0 with probability
 * 1 - alpha. A lag chosen too late costs only precision (escapes after it are still memoryless); one chosen
 * too early biases the rate, which is why the tests are not made stricter.
 * `dt` (optional): the monitoring interval when escapes are only detected at steps, so each recorded time is
 * the first checked step at or after the true crossing (on average dt/2 late, for dt << 1/k). Exposure is
 * then counted to the interval midpoints (each event's exposure reduced by dt/2), which removes the O(k dt)
 * bias of the rate; the distance compares the survival at the checked steps, where it is unbiased.
 */
export function fitLag(
  eventTimes: ArrayLike<number>,
  nParticles: number,
  censorTime: number,
  opts: { alpha?: number; dt?: number } = {},
): LagFit {
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new AnalysisError(`fitLag: alpha must be in (0, 1), got ${alpha}`);
  const dt = opts.dt ?? 0;
  if (!(dt >= 0) || !Number.isFinite(dt)) throw new AnalysisError(`fitLag: dt must be >= 0 and finite, got ${dt}`);
  if (!(censorTime > 0) || !Number.isFinite(censorTime)) {
    throw new AnalysisError(`fitLag: censor time must be positive and finite, got ${censorTime}`);
  }
  if (!Number.isInteger(nParticles) || nParticles < 1 || nParticles < eventTimes.length) {
    throw new AnalysisError(
      `fitLag: nParticles (${nParticles}) must be a positive integer >= the number of times (${eventTimes.length})`,
    );
  }
  const events: number[] = [];
  for (let i = 0; i < eventTimes.length; i++) {
    const t = eventTimes[i];
    if (t < 0) throw new AnalysisError(`fitLag: negative first-passage time ${t}`);
    if (Number.isFinite(t) && t <= censorTime) events.push(t);
  }
  events.sort((a, b) => a - b);
  const d = events.length;
  const censored = nParticles - d;

  const lags = [0];
  for (const p of LAG_QUANTILES) {
    if (d === 0) break;
    const q = events[Math.max(0, Math.ceil(p * d) - 1)];
    if (q > lags[lags.length - 1] && q < censorTime) lags.push(q);
  }

  const candidates: LagCandidate[] = [];
  let chosen: LagCandidate | null = null;
  let start = 0; // first event index with time > lag
  for (const lag of lags) {
    while (start < d && events[start] <= lag) start++;
    const dL = d - start;
    if (lag > 0 && dL < LAG_MIN_EVENTS) break;
    const atRisk = dL + censored;
    const tau = censorTime - lag;
    const shifted = new Float64Array(dL);
    let sum = 0;
    for (let i = 0; i < dL; i++) {
      shifted[i] = events[start + i] - lag;
      sum += shifted[i];
    }
    const exposure = sum + censored * tau - (dL * dt) / 2;
    if (!(exposure > 0)) {
      throw new AnalysisError(
        `fitLag: exposure after lag ${lag} is not positive (${exposure}); is dt larger than the recorded times?`,
      );
    }
    const rate = dL / exposure;
    const ksDistance = ksDistanceExponential(shifted, atRisk, tau, rate);
    const ksCritical = ksCriticalExponential(atRisk, Math.exp(-rate * tau), alpha);
    const c: LagCandidate = {
      lag,
      atRisk,
      events: dL,
      exposure,
      rate,
      ksDistance,
      ksCritical,
      consistent: ksDistance <= ksCritical,
    };
    candidates.push(c);
    if (c.consistent) {
      chosen = c;
      break;
    }
  }
  const best =
    chosen ??
    candidates.reduce((a, b) =>
      b.ksDistance / Math.max(b.ksCritical, 1e-300) < a.ksDistance / Math.max(a.ksCritical, 1e-300) ? b : a,
    );
  return {
    lag: best.lag,
    rateAfterLag: censoredExponential(best.events, best.exposure),
    ksDistance: best.ksDistance,
    ksCritical: best.ksCritical,
    exponentialConsistent: chosen !== null,
    criterion: criterion(alpha, dt),
    candidates,
  };
}
