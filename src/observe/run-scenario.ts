import type { Backend } from '../engine/backend.js';
import { MAX_CHUNK, Simulation } from '../engine/simulation.js';
import { checkCapacityFor } from '../landscape/conditions.js';
import { toKernelModel } from '../landscape/kernel-model.js';
import type { Scenario } from '../landscape/scenario.js';
import { type DriveResult, drive, type Reporter } from './driver.js';
import type { PopulationSeries } from './populations.js';
import { populationRecorder, progressCallback, type RunProgress } from './reporters.js';

/** Cell-steps one kernel call should take at most, so that Ctrl-C and progress stay responsive. */
const CALL_BUDGET = 2e8;

export function chunkFor(s: Scenario, budget = CALL_BUDGET): number {
  const cells = s.particles * (s.layout.coordinates.length + 1);
  return Math.max(1, Math.min(s.recordEvery, MAX_CHUNK, Math.floor(budget / cells)));
}

/** `budget`: cell-steps one kernel call may take (smaller keeps an interactive loop responsive). */
export function createSimulation(s: Scenario, backend: Backend, budget = CALL_BUDGET): Simulation {
  checkCapacityFor(s); // before the initial state is allocated
  return Simulation.create(toKernelModel(s), backend, {
    particles: s.particles,
    dt: s.dt,
    temperature: s.temperature,
    seed: s.seed,
    initial: s.initial(),
    chunk: chunkFor(s, budget),
  });
}

export interface ScenarioRun extends DriveResult {
  /** Region counts every recordEvery steps, at step 0 and at the end (or where it was interrupted). */
  populations: PopulationSeries;
  sim: Simulation;
}

/**
 * Runs a resolved scenario to its step count (or until `signal` aborts), recording its populations;
 * `reporters` watch the same drive at their own intervals (the progress line), after the populations.
 */
export async function runScenario(
  s: Scenario,
  backend: Backend,
  o: { signal?: AbortSignal; onRecord?: (p: RunProgress) => void; reporters?: Reporter[] } = {},
): Promise<ScenarioRun> {
  const sim = createSimulation(s, backend);
  const populations = populationRecorder(
    s.regions.map((r) => r.name),
    s.recordEvery,
  );
  const reporters: Reporter[] = [populations, ...(o.reporters ?? [])];
  if (o.onRecord) reporters.push(progressCallback(s.recordEvery, o.onRecord));
  let result: DriveResult;
  try {
    result = await drive(sim, { steps: s.steps, reporters, signal: o.signal });
  } catch (e) {
    await sim.destroy(); // a diverged point of a scan must not leave its executor behind while the others run
    throw e;
  }
  return { ...result, populations: populations.series, sim };
}
