/**
 * Right-censored exponential escape times: rate MLE with the exact (chi-square / Poisson) 95% interval,
 * and the events/exposure bookkeeping that feeds it.
 */
import { AnalysisError } from './errors.js';
import { chiSquareQuantile } from '../math/special.js';

/**
 * A rate estimate from d events over total exposure E. JSON-safe: every number is finite; where a bound is
 * unbounded (no events) it is null.
 */
export interface RateEstimate {
  events: number;
  exposure: number;
  /** MLE d / E (0 when d = 0). */
  rate: number;
  /** Exact central 95% interval [χ²_{0.025}(2d)/(2E), χ²_{0.975}(2d+2)/(2E)]; lower = 0 when d = 0. */
  rateCI95: [number, number];
  /** Mean first-passage time 1 / rate = E / d; null when d = 0. */
  mfpt: number | null;
  /** [1 / rateHi, 1 / rateLo]; the upper end is null (unbounded) when d = 0. */
  mfptCI95: [number, number | null];
  /** true when d = 0: only the upper rate bound (lower mfpt bound) is informative. */
  upperBoundOnly: boolean;
}

/**
 * Exact inference for a Poisson count d with mean k E, which is also the exact likelihood of right-censored
 * exponential first-passage times (d escapes, E = total observed time of all particles).
 * The interval is the Garwood (chi-square) interval: coverage >= 95% for every k.
 */
export function censoredExponential(events: number, exposure: number): RateEstimate {
  if (!Number.isInteger(events) || events < 0) {
    throw new AnalysisError(`censoredExponential: events must be a non-negative integer, got ${events}`);
  }
  if (!(exposure > 0) || !Number.isFinite(exposure)) {
    throw new AnalysisError(`censoredExponential: exposure must be positive and finite, got ${exposure}`);
  }
  const d = events;
  const rate = d / exposure;
  const lo = d > 0 ? chiSquareQuantile(0.025, 2 * d) / (2 * exposure) : 0;
  const hi = chiSquareQuantile(0.975, 2 * d + 2) / (2 * exposure);
  return {
    events: d,
    exposure,
    rate,
    rateCI95: [lo, hi],
    mfpt: d > 0 ? exposure / d : null,
    mfptCI95: [1 / hi, d > 0 ? 1 / lo : null],
    upperBoundOnly: d === 0,
  };
}

export interface Exposure {
  /** Escapes after the lag. */
  events: number;
  /** Σ over particles still in at the lag of (min(escape time, censor time) - lag). */
  exposure: number;
  /** Particles still in (neither escaped nor censored) at the lag: the ones that contribute. */
  atRisk: number;
  /** Particles left out because they escaped (or were censored) at or before the lag. */
  excluded: number;
}

/**
 * Events and exposure from first-passage times, counting only time after `lag`.
 *
 * - `times[i]` is particle i's first-passage time; an entry that is not finite or exceeds its censor time
 *   (Infinity, NaN, a sentinel) means the particle did not escape and is censored at its censor time.
 * - `censorTime` is the common observation end Tobs, or one per particle (same length as `times`).
 * - `nParticles` (default `times.length`): the total number of particles when `times` lists only those
 *   that escaped; the `nParticles - times.length` others are censored at `censorTime`.
 * - Particles that escape at or before the lag (or are censored by then) are excluded: they add neither
 *   events nor exposure. An escape exactly at the censor time counts as an escape.
 * - `dt` (default 0): the monitoring interval when escapes are detected only at steps (recorded time = the
 *   first checked step at or after the crossing). Each event's exposure is then counted to the middle of its
 *   last interval (dt/2 less), removing the O(k dt) bias of the rate.
 */
export function exposureFrom(
  times: ArrayLike<number>,
  censorTime: number | ArrayLike<number>,
  lag = 0,
  nParticles?: number,
  dt = 0,
): Exposure {
  if (!(dt >= 0) || !Number.isFinite(dt))
    throw new AnalysisError(`exposureFrom: dt must be >= 0 and finite, got ${dt}`);
  if (!(lag >= 0) || !Number.isFinite(lag))
    throw new AnalysisError(`exposureFrom: lag must be >= 0 and finite, got ${lag}`);
  const perParticle = typeof censorTime !== 'number';
  const n = nParticles ?? times.length;
  if (!Number.isInteger(n) || n < times.length) {
    throw new AnalysisError(
      `exposureFrom: nParticles (${n}) must be an integer >= the number of times (${times.length})`,
    );
  }
  if (perParticle) {
    if (censorTime.length !== times.length) {
      throw new AnalysisError(`exposureFrom: ${censorTime.length} censor times for ${times.length} particles`);
    }
    if (n !== times.length)
      throw new AnalysisError('exposureFrom: nParticles cannot be given with per-particle censor times');
  }
  const cOf = (i: number): number => (perParticle ? (censorTime as ArrayLike<number>)[i] : (censorTime as number));
  let events = 0;
  let exposure = 0;
  let atRisk = 0;
  for (let i = 0; i < times.length; i++) {
    const c = cOf(i);
    if (!(c >= 0) || !Number.isFinite(c))
      throw new AnalysisError(`exposureFrom: censor time must be >= 0 and finite, got ${c}`);
    const t = times[i];
    if (t < 0) throw new AnalysisError(`exposureFrom: negative first-passage time ${t} (particle ${i})`);
    const escaped = Number.isFinite(t) && t <= c;
    const end = escaped ? t : c;
    if (end <= lag) continue;
    atRisk++;
    exposure += end - lag;
    if (escaped) events++;
  }
  const rest = n - times.length;
  if (rest > 0) {
    const c = censorTime as number;
    if (!(c >= 0) || !Number.isFinite(c))
      throw new AnalysisError(`exposureFrom: censor time must be >= 0 and finite, got ${c}`);
    if (c > lag) {
      atRisk += rest;
      exposure += rest * (c - lag);
    }
  }
  exposure -= (events * dt) / 2;
  return { events, exposure, atRisk, excluded: n - atRisk };
}
