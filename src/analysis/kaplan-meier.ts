/** Kaplan-Meier product-limit survival with Greenwood standard errors. */
import { AnalysisError } from './errors.js';

export interface KaplanMeier {
  /** Distinct event times, ascending. The curve is 1 before time[0] and steps down at each time[j]. */
  time: number[];
  /** S(time[j]) = Π_{i<=j} (1 - events[i] / atRisk[i]): survival just after time[j]. */
  survival: number[];
  /** Number at risk just before time[j] (not yet escaped and not censored before time[j]). */
  atRisk: number[];
  /** Escapes at time[j]. */
  events: number[];
  /** Greenwood SE: S √(Σ_{i<=j} d_i / (n_i (n_i - d_i))); 0 once S = 0. */
  se: number[];
}

/**
 * Product-limit estimator. `censorTimes` lists the censored observations, or `{count, time}` for `count`
 * particles all censored at `time`. Convention: an observation censored at the same time as an event is
 * still at risk at that event (censoring happens just after).
 */
export function kaplanMeier(
  eventTimes: number[],
  censorTimes: number[] | { count: number; time: number },
): KaplanMeier {
  for (const t of eventTimes) {
    if (!Number.isFinite(t)) throw new AnalysisError(`kaplanMeier: event times must be finite, got ${t}`);
  }
  const events = [...eventTimes].sort((a, b) => a - b);
  let censored: number[];
  let groupedCount = 0;
  let groupedTime = 0;
  if (Array.isArray(censorTimes)) {
    for (const t of censorTimes) {
      if (!Number.isFinite(t)) throw new AnalysisError(`kaplanMeier: censor times must be finite, got ${t}`);
    }
    censored = [...censorTimes].sort((a, b) => a - b);
  } else {
    const { count, time } = censorTimes;
    if (!Number.isInteger(count) || count < 0)
      throw new AnalysisError(`kaplanMeier: censored count must be a non-negative integer, got ${count}`);
    if (!Number.isFinite(time)) throw new AnalysisError(`kaplanMeier: censor time must be finite, got ${time}`);
    censored = [];
    groupedCount = count;
    groupedTime = time;
  }
  const total = events.length + censored.length + groupedCount;
  const out: KaplanMeier = { time: [], survival: [], atRisk: [], events: [], se: [] };
  let atRisk = total;
  let s = 1;
  let greenwood = 0;
  let ci = 0; // next censored observation (array form)
  let groupedLeft = groupedCount > 0;
  for (let i = 0; i < events.length; ) {
    const t = events[i];
    // Remove observations censored strictly before t.
    while (ci < censored.length && censored[ci] < t) {
      atRisk--;
      ci++;
    }
    if (groupedLeft && groupedTime < t) {
      atRisk -= groupedCount;
      groupedLeft = false;
    }
    let d = 0;
    while (i < events.length && events[i] === t) {
      d++;
      i++;
    }
    s *= 1 - d / atRisk;
    if (atRisk > d) greenwood += d / (atRisk * (atRisk - d));
    out.time.push(t);
    out.survival.push(s);
    out.atRisk.push(atRisk);
    out.events.push(d);
    out.se.push(s > 0 ? s * Math.sqrt(greenwood) : 0);
    atRisk -= d;
  }
  return out;
}
