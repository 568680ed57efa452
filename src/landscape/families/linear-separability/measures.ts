import type { ModelRun } from '../../family.js';
import type { Measures, RunEnd } from '../../scenario.js';
import { normalCdf, normalQuantile } from '../../../math/special.js';
import { kaplanMeier } from '../../../analysis/kaplan-meier.js';
import { setGeometry, setMargin } from './geometry.js';

/** At most this many sets are decided (the first particles'). */
export const GEOMETRY_SAMPLE = 4096;

/**
 * A set costs about N d^2 multiply-adds per Newton iteration on the host; the sample is cut so that the sets'
 * N d^2 sum to at most this (deterministic, so a seed always names the same sample): all 4096 sets up to
 * d = 50, 312 at d = 200 (about 45 s here: 256 sets took 38 s), 18 at d = 512, N = 1024 (about as long).
 */
export const GEOMETRY_WORK = 5e9;

/** How many sets a run decides: all particles up to GEOMETRY_SAMPLE, fewer where GEOMETRY_WORK binds. */
export function geometrySample(particles: number, n: number, d: number): number {
  return Math.max(1, Math.min(particles, GEOMETRY_SAMPLE, Math.floor(GEOMETRY_WORK / (n * d * d))));
}

/**
 * The order statistic at rank `q` (0..1) of `sorted` (ascending, Infinity for a particle that never
 * arrived), with a distribution-free 95% interval from the binomial ranks; null where a value is not reached.
 */
function quantileInterval(sorted: number[], q: number): Measures {
  const n = sorted.length;
  if (n === 0) return { value: null, lo: null, hi: null, n: 0 };
  const at = (k: number) => {
    const v = sorted[Math.min(n - 1, Math.max(0, k))];
    return Number.isFinite(v) ? v : null;
  };
  const half = 1.96 * Math.sqrt(n * q * (1 - q));
  return { value: at(Math.floor(q * n)), lo: at(Math.floor(q * n - half)), hi: at(Math.ceil(q * n + half)), n };
}

/**
 * Kaplan-Meier median of first-passage times `times` (Infinity: not arrived by `censorAt`, censored there)
 * with a 95% interval from the Greenwood band (Brookmeyer-Crowley style): `lo` is the first event time where
 * S <= 1/2 + 1.96 SE, `hi` the first where S <= 1/2 - 1.96 SE (null where the curve never gets that low within
 * the budget, so a point with many censored sets has an open interval instead of a dropped one). `censored`
 * counts the sets still outside the region at `censorAt`; `meanLogTime` is the mean of ln t over the sets
 * that arrived (null unless every set did: with censoring it would be biased low).
 */
export function censoredMedian(times: number[], censorAt: number): Measures {
  const events = times.filter(Number.isFinite);
  const censored = times.length - events.length;
  const base = { n: times.length, censored, censorAt };
  if (events.length === 0) return { value: null, lo: null, hi: null, ...base, meanLogTime: null };
  const km = kaplanMeier(events, { count: censored, time: censorAt });
  const first = (test: (s: number, se: number) => boolean) => {
    for (let j = 0; j < km.time.length; j++) if (test(km.survival[j], km.se[j])) return km.time[j];
    return null;
  };
  return {
    value: first((s) => s <= 0.5),
    lo: first((s, se) => s <= 0.5 + 1.96 * se),
    hi: first((s, se) => s <= 0.5 - 1.96 * se),
    ...base,
    meanLogTime: censored === 0 ? events.reduce((a, t) => a + Math.log(t), 0) / events.length : null,
  };
}

/** Particle p of the end state (`rows`: coordinates w1..wd, b) meets the threshold: b/|w| > z, fresh accuracy > Phi(z), as the region kernels compare. */
function endMeetsThreshold(rows: Float32Array[], d: number, p: number, z: number): boolean {
  let ww = 0;
  for (let j = 0; j < d; j++) ww += rows[j][p] ** 2;
  return rows[d][p] > z * Math.sqrt(ww);
}

/**
 * Each particle's training set (`rows`: the run's datasets in the kernel layout) decided by its geometry (separable from the origin or not, and |w_inf| of a
 * non-separable one: geometry.ts), and the first-passage time into
 * `generalizing` over the non-separable sets only: the sets that generalize at late times, so the time is not
 * mixed with the share that never does (Wendel's P_sep).
 *
 * `lateTime`: the late-time limit of the region rule (b/|w| > z: fresh accuracy Phi(b/|w|) > Phi(z)), set by
 * set from the geometry (geometry.ts setMargin): a set that is not separable tends to accuracy 1, a separable one
 * to Phi(1/gamma), gamma its max margin from the origin. `limit` is the fraction whose limit reaches the threshold
 * (1 - P_sep plus `separableAccurate`, the separable sets with 1/gamma >= z; a separable set whose
 * margin is not decided within the sweep budget, `marginUndecided`, is counted as not reaching it);
 * `generalizingAtEnd` is the same rule applied to the end state, and `agreement` the fraction of sets where the
 * two say the same. `wendelLimit` = 1 - P_sep is the limit only as z -> infinity (docs/scenarios.md).
 *
 * `nonSeparable.timeToGeneralizeKM`: the same per-set times as a censored sample (a set not in the region at the
 * end is censored at the run's time, stepsDone x dt): the Kaplan-Meier median with its 95% interval
 * (censoredMedian), the estimate the divergence as lambda -> 1/2 is measured with (docs/scenarios.md).
 */
export async function linearSeparabilityMeasures(
  run: ModelRun,
  end: RunEnd,
  rows: Float32Array[],
  n: number,
  d: number,
  wendel: number,
  z = normalQuantile(0.95),
): Promise<Measures> {
  const sample = geometrySample(run.particles, n, d);
  const x = new Float64Array(n * d);
  let separable = 0;
  let undecided = 0;
  const norms: number[] = [];
  const times: number[] = [];
  // Late-time limit of the fresh accuracy, set by set (geometry.ts setMargin): 1 for a set that is not separable,
  // Phi(1/gamma) for one that is. Only which side of the threshold it lies on is decided (gamma against 1/z).
  const split = 1 / z;
  const endRows = Array.from({ length: d + 1 }, (_, i) => end.row(i));
  const maxSweeps = Math.max(100, Math.floor(GEOMETRY_WORK / (sample * n * d)));
  let separableAccurate = 0;
  let marginUndecided = 0;
  let generalizingAtEnd = 0;
  let agree = 0;
  // Yield to the event loop every ~2e7 multiply-adds, so an interrupt is seen (and a second one can exit).
  const perYield = Math.max(1, Math.floor(2e7 / (n * d * d)));
  let P = 0;
  for (let p = 0; p < sample; p++) {
    if (p % perYield === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (end.signal?.aborted) break;
    }
    P++;
    for (let k = 0; k < n * d; k++) x[k] = rows[k][p];
    const g = setGeometry(x, n, d);
    const atEnd = endMeetsThreshold(endRows, d, p, z);
    if (atEnd) generalizingAtEnd++;
    if (g.separable === true) {
      separable++;
      const m = setMargin(x, n, d, { split, maxSweeps });
      if (!m.decided) marginUndecided++;
      else {
        const accurate = m.hi < split;
        if (accurate) separableAccurate++;
        if (accurate === atEnd) agree++;
      }
    } else if (g.separable === null) undecided++;
    else {
      if (atEnd) agree++;
      norms.push(g.wInfNorm!);
      const s = end.escapeSteps[p];
      times.push(s >= 0 ? s * run.dt : Infinity);
    }
  }
  norms.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const arrived = times.filter(Number.isFinite).length;
  return {
    geometry: {
      sets: P,
      separable: P ? separable / P : null,
      separableSe: P ? Math.sqrt((wendel * (1 - wendel)) / P) : null,
      wendel,
      undecided,
    },
    lateTime: {
      accuracy: normalCdf(z),
      accuracyZ: z,
      limit: P ? (P - separable - undecided + separableAccurate) / P : null,
      separableAccurate: P ? separableAccurate / P : null,
      marginUndecided,
      wendelLimit: 1 - wendel,
      generalizingAtEnd: P ? generalizingAtEnd / P : null,
      agreement: P ? agree / P : null,
    },
    nonSeparable: {
      sets: norms.length,
      generalized: norms.length ? arrived / norms.length : null,
      timeToGeneralize: quantileInterval(times, 0.5),
      timeToGeneralizeKM: censoredMedian(times, end.stepsDone * run.dt),
      wInfNorm: quantileInterval(norms, 0.5),
    },
  };
}
