import type { ParallelogramTheory } from '../landscape/families/parallelogram/theory.js';
import type { Summary } from './summary.js';

/** The parallelogram family's prediction extra: the Hessian at the linear solution. */
const structureOf = (s: Summary) => s.prediction?.structure as ParallelogramTheory | undefined;

/**
 * Liu et al.'s two training-set checks over a scan of the parallelogram family (trainFraction x dataSeed):
 * the probability of reaching the linear structure against the training fraction, measured (a training set
 * counts as reaching it when at least half its particles end in the escape target, RQI > 0.95) beside the
 * exact probability that lambda_3 > 0 over the same training sets; and the time to structure against
 * 1/(lambda_3 eta), over the training sets where every particle reached it (so the mean is not censored).
 */
export interface StructureRow {
  trainFraction: number;
  trainingSets: number;
  /** Fraction of the training sets whose particles reached RQI > 0.95 (at least half of them). */
  reached: number;
  /** Fraction of the same training sets with lambda_3 > 0 (exact). */
  unique: number;
  /** Mean over uncensored training sets of the measured mean time to structure, in steps. */
  meanSteps: number | null;
  /** Mean over the same training sets of 1/(lambda_3 dt). */
  meanPredictedSteps: number | null;
}

export interface StructureReport {
  rows: StructureRow[];
  /** Least-squares slope of ln(measured mean steps) on ln(1/(lambda_3 dt)) over training sets: 1 if t ~ 1/lambda_3. */
  slope: number | null;
  /** Mean of measured / (1/(lambda_3 dt)) over the same training sets: the constant ln(initial distance/delta). */
  ratio: number | null;
  /** Training sets used for the slope, and those left out because some particles never reached structure. */
  timed: number;
  censored: number;
}

export function structureReport(summaries: Summary[]): StructureReport {
  const byFraction = new Map<number, Summary[]>();
  for (const s of summaries) {
    const r = s.parameters.trainFraction;
    byFraction.set(r, [...(byFraction.get(r) ?? []), s]);
  }
  const timed: { measured: number; predicted: number }[] = [];
  let censored = 0;
  const rows = [...byFraction.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([trainFraction, runs]) => {
      const to = runs[0].escape?.to;
      const reached =
        runs.filter((s) => to !== undefined && (s.populations.final[to] ?? 0) >= 0.5).length / runs.length;
      const unique = runs.filter((s) => structureOf(s)?.linearStructureUnique).length / runs.length;
      const own: { measured: number; predicted: number }[] = [];
      for (const s of runs) {
        const predicted = structureOf(s)?.predictedSteps;
        if (predicted == null || !s.escape || s.escape.mfpt == null) continue;
        if (s.escape.censored > 0) {
          censored++;
          continue;
        }
        own.push({ measured: s.escape.mfpt / s.dt, predicted });
      }
      timed.push(...own);
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
      return {
        trainFraction,
        trainingSets: runs.length,
        reached,
        unique,
        meanSteps: mean(own.map((t) => t.measured)),
        meanPredictedSteps: mean(own.map((t) => t.predicted)),
      };
    });
  let slope: number | null = null;
  let ratio: number | null = null;
  if (timed.length >= 2) {
    const x = timed.map((t) => Math.log(t.predicted));
    const y = timed.map((t) => Math.log(t.measured));
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    const sxx = x.reduce((a, v) => a + (v - mx) ** 2, 0);
    slope = sxx > 0 ? x.reduce((a, v, i) => a + (v - mx) * (y[i] - my), 0) / sxx : null;
  }
  if (timed.length) ratio = timed.reduce((a, t) => a + t.measured / t.predicted, 0) / timed.length;
  return { rows, slope, ratio, timed: timed.length, censored };
}

export function formatStructure(r: StructureReport): string {
  const g = (v: number | null) => (v == null ? '-' : Number(v.toPrecision(3)).toString());
  const lines = ['trainFraction  sets  reached  exact(lambda_3>0)  mean steps  mean 1/(lambda_3 dt)'];
  for (const row of r.rows) {
    lines.push(
      `${String(row.trainFraction).padEnd(13)}  ${String(row.trainingSets).padStart(4)}  ${g(row.reached).padStart(7)}  ${g(row.unique).padStart(17)}  ${g(row.meanSteps).padStart(10)}  ${g(row.meanPredictedSteps).padStart(20)}`,
    );
  }
  lines.push(
    `time to structure vs 1/(lambda_3 dt) over ${r.timed} training sets (${r.censored} left out: not every particle reached structure): log-log slope ${g(r.slope)}, mean ratio ${g(r.ratio)}`,
  );
  return lines.join('\n');
}
