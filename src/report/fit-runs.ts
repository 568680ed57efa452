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
}

export interface FitGroup {
  /** The values that are fixed within the group (parameters that vary across the runs, except the fitted one). */
  fixed: Record<string, number>;
  points: FitPoint[];
  eyring?: EyringFit;
  arrhenius?: ArrheniusFit;
  logTime?: LogTimeSlopeFit & { against: string };
}

export interface FitReport {
  scenario: string;
  runs: number;
  convention: string;
  groups: FitGroup[];
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
    };
  };
  const groupBy = (keys: string[], extra: (s: Summary) => Record<string, number>) => {
    const groups = new Map<string, FitGroup>();
    for (const r of runs) {
      const fixed = { ...Object.fromEntries(keys.map((k) => [k, settingsOf(r.summary)[k]])), ...extra(r.summary) };
      const id = JSON.stringify(fixed);
      if (!groups.has(id)) groups.set(id, { fixed, points: [] });
      groups.get(id)!.points.push(point(r));
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
    }
  }
  const convention =
    groups.find((g) => g.eyring)?.eyring?.convention ?? 'attempt frequency nu0 = 1 (ln(k/T) = ln nu0 + dS - dH/T)';
  return { scenario: scenarios[0], runs: runs.length, convention, groups };
}
