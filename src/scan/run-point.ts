import type { Backend } from '../engine/backend.js';
import { DivergenceError } from '../engine/simulation.js';
import { ScenarioError } from '../scenario/errors.js';
import { resolveScenario } from '../landscape/resolve.js';
import { runScenario } from '../observe/run-scenario.js';
import { predict } from '../landscape/predict.js';
import { summarizeRun } from '../report/summary.js';
import { pointSource, type ScanPoint } from './points.js';
import type { PointResult, ScanSpec } from './store.js';

export class PointInterrupted extends Error {}

/** Whether an error is the point's own (its values diverge or are refused), not the scan's or the machine's. */
export const isPointFailure = (e: unknown): e is Error => e instanceof DivergenceError || e instanceof ScenarioError;

/** Runs one scan point in this process; throws PointInterrupted if `signal` aborts it (nothing is kept). */
export async function runPoint(
  spec: ScanSpec,
  point: ScanPoint,
  backend: Backend,
  signal?: AbortSignal,
): Promise<PointResult> {
  const s = resolveScenario(
    spec.scenarioFile,
    { ...spec.overrides, ...point.values, seed: point.seed },
    pointSource(point.values),
  );
  const run = await runScenario(s, backend, { signal });
  await run.sim.destroy();
  if (run.interrupted) throw new PointInterrupted();
  const { summary } = await summarizeRun(s, run, predict(s), signal);
  if (signal?.aborted) throw new PointInterrupted(); // cut short in the family's measures
  return { ...summary, point };
}
