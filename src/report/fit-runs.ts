import {
  arrheniusFit,
  eyringFit,
  logTimeSlope,
  type ArrheniusFit,
  type EyringFit,
  type LogTimeSlopeFit,
} from '../analysis/index.js';
import { RunsError } from './load-runs.js';
import type { Summary } from './summary.js';

export interface FitPoint {
  source: string;
  temperature: number;
  x: number | null;
  events: number;
  exposure: number;
  /** 95% upper bound on the rate when the run saw no escape. */
  rateUpperBound: number | null;
  /** The run's predicted mean first-passage time (summary.prediction.mfpt), null where theory gives none. */
  predictedMfpt: number | null;
}

/**
 * The slope theory predicts for a log-time fit: the same Poisson regression fitted to the counts the
 * predictions expect, exposure_i / prediction.mfpt_i, so with the same weights as the measured fit (where
 * ln prediction.mfpt is linear in x this is its slope exactly; where it is curved, it is the line the measured
 * fit tends to as the runs grow).
 */
export interface PredictedSlope {
  /** d ln tau / dx of the predictions. */
  slope: number;
  /** ln tau at x = 0 of the same line. */
  intercept: number;
  /** How the runs' MFPTs were predicted (summary.prediction.method; distinct methods joined by '; '). */
  method: string;
}

/**
 * The barriers theory predicts for a temperature fit: the same Eyring and Arrhenius regressions fitted to the
 * counts the predictions expect, exposure_i / prediction.mfpt_i (as PredictedSlope): compare dH and Ea with
 * these, not with the barrier height, which they equal only up to the prefactor's temperature dependence.
 */
export interface PredictedBarriers {
  deltaH: number;
  deltaS: number;
  activationEnergy: number;
  method: string;
}

export interface FitGroup {
  /** The values that are fixed within the group (parameters that vary across the runs, except the fitted one). */
  fixed: Record<string, number>;
  points: FitPoint[];
  eyring?: EyringFit;
  arrhenius?: ArrheniusFit;
  logTime?: LogTimeSlopeFit & { against: string };
  /**
   * With `logTime`: the slope the runs' predicted MFPTs give (see PredictedSlope), or null when a run of the
   * group has no predicted MFPT.
   */
  predictedSlope?: PredictedSlope | null;
  /** With `eyring`: the predictions' own fit (see PredictedBarriers), or null when a run has no predicted MFPT. */
  predicted?: PredictedBarriers | null;
}

export interface FitReport {
  scenario: string;
  runs: number;
  convention: string;
  groups: FitGroup[];
}

const predictedMfptOf = (s: Summary): number | null => {
  const m = s.prediction?.mfpt;
  return typeof m === 'number' && m > 0 && Number.isFinite(m) ? m : null;
};

/**
 * The line of ln tau against x that predicted MFPTs give under the same Poisson regression as the measured
 * fit: the expected counts exposure_i / mfpt_i fitted with the runs' exposures (equal exposures where none).
 */
export function predictedLogTimeLine(points: { x: number; mfpt: number; exposure?: number }[]): {
  slope: number;
  intercept: number;
} {
  const fit = logTimeSlope(
    points.map((p) => ({ x: p.x, events: (p.exposure ?? 1) / p.mfpt, exposure: p.exposure ?? 1 })),
  );
  return { slope: fit.slope, intercept: fit.intercept };
}

/** How the runs' MFPTs were predicted: their distinct `prediction.method`s, joined by '; '. */
const methodsOf = (summaries: Summary[]): string => [...new Set(summaries.map((s) => s.prediction!.method))].join('; ');

/** The predicted slope of a group's log-time fit, or null when a run has no predicted MFPT. */
function predictedSlope(points: FitPoint[], summaries: Summary[]): PredictedSlope | null {
  if (points.some((p) => p.predictedMfpt === null || p.x === null)) return null;
  const line = predictedLogTimeLine(points.map((p) => ({ x: p.x!, mfpt: p.predictedMfpt!, exposure: p.exposure })));
  return { ...line, method: methodsOf(summaries) };
}

/** The predicted barriers of a group's temperature fit, or null when a run has no predicted MFPT. */
function predictedBarriers(points: FitPoint[], summaries: Summary[]): PredictedBarriers | null {
  if (points.some((p) => p.predictedMfpt === null)) return null;
  const expected = points.map((p) => ({
    temperature: p.temperature,
    events: p.exposure / p.predictedMfpt!,
    exposure: p.exposure,
  }));
  const eyring = eyringFit(expected);
  return {
    deltaH: eyring.deltaH,
    deltaS: eyring.deltaS,
    activationEnergy: arrheniusFit(expected).activationEnergy,
    method: methodsOf(summaries),
  };
}

/** Names whose value may vary between runs and then separate groups (temperature and seed never do). */
const settingsOf = (s: Summary): Record<string, number> => ({ ...s.parameters, dt: s.dt });

/**
 * Fits Eyring and Arrhenius lines across temperatures (within groups of equal other settings) and, with
 * `against`, the slope of ln tau against that parameter (within groups of equal temperature and settings).
 */
export function fitRuns(runs: { source: string; summary: Summary }[], against?: string): FitReport {
  if (runs.length === 0) throw new RunsError('no runs to fit');
  const scenarios = [...new Set(runs.map((r) => r.summary.scenario))];
  if (scenarios.length > 1)
    throw new RunsError(`runs of different scenarios cannot be fitted together: ${scenarios.join(', ')}`);
  for (const r of runs)
    if (!r.summary.escape) throw new RunsError(`${r.source}: the run defines no escape, nothing to fit`);
  if (against !== undefined && !runs.every((r) => Object.hasOwn(settingsOf(r.summary), against))) {
    throw new RunsError(
      `--against ${against}: not a parameter of these runs (parameters: ${Object.keys(settingsOf(runs[0].summary)).join(', ')})`,
    );
  }
  const all = runs.map((r) => settingsOf(r.summary));
  const varying = Object.keys(all[0]).filter((k) => new Set(all.map((a) => a[k])).size > 1);
  const point = (r: { source: string; summary: Summary }): FitPoint => {
    const e = r.summary.escape!;
    return {
      source: r.source,
      temperature: r.summary.temperature,
      x: against === undefined ? null : settingsOf(r.summary)[against],
      events: e.events,
      exposure: e.exposure,
      rateUpperBound: e.events === 0 ? e.rateCI95[1] : null,
      predictedMfpt: predictedMfptOf(r.summary),
    };
  };
  const summaryOf = new Map<FitPoint, Summary>();
  const groupBy = (keys: string[], extra: (s: Summary) => Record<string, number>) => {
    const groups = new Map<string, FitGroup>();
    for (const r of runs) {
      const fixed = { ...Object.fromEntries(keys.map((k) => [k, settingsOf(r.summary)[k]])), ...extra(r.summary) };
      const id = JSON.stringify(fixed);
      if (!groups.has(id)) groups.set(id, { fixed, points: [] });
      const pt = point(r);
      summaryOf.set(pt, r.summary);
      groups.get(id)!.points.push(pt);
    }
    return [...groups.values()];
  };

  let groups: FitGroup[];
  if (against === undefined) {
    groups = groupBy(varying, () => ({}));
    const fittable = groups.filter((g) => new Set(g.points.map((p) => p.temperature)).size >= 2);
    if (fittable.length === 0) {
      throw new RunsError(
        'an Eyring fit needs runs at two or more temperatures (with the other settings equal); use --against NAME to fit another parameter',
      );
    }
    for (const g of fittable) {
      g.eyring = eyringFit(g.points);
      g.arrhenius = arrheniusFit(g.points);
      g.predicted = predictedBarriers(
        g.points,
        g.points.map((p) => summaryOf.get(p)!),
      );
    }
  } else {
    groups = groupBy(
      varying.filter((k) => k !== against),
      (s) => ({ temperature: s.temperature }),
    );
    const fittable = groups.filter((g) => new Set(g.points.map((p) => p.x)).size >= 2);
    if (fittable.length === 0)
      throw new RunsError(
        `a fit against ${against} needs runs at two or more values of it (with the other settings equal)`,
      );
    for (const g of fittable) {
      g.logTime = {
        ...logTimeSlope(g.points.map((p) => ({ x: p.x!, events: p.events, exposure: p.exposure }))),
        against,
      };
      g.predictedSlope = predictedSlope(
        g.points,
        g.points.map((p) => summaryOf.get(p)!),
      );
    }
  }
  const convention =
    groups.find((g) => g.eyring)?.eyring?.convention ?? 'attempt frequency nu0 = 1 (ln(k/T) = ln nu0 + dS - dH/T)';
  return { scenario: scenarios[0], runs: runs.length, convention, groups };
}
