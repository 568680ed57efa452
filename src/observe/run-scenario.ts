import type { Backend } from '../engine/backend.js';
import { checkCapacity, MAX_CHUNK, Simulation } from '../engine/simulation.js';
import { toKernelModel } from '../landscape/kernel-model.js';
import type { Scenario } from '../landscape/scenario.js';
import { runLoop, type RunLoopResult, type RunProgress } from './run-loop.js';

/** Cell-steps one kernel call should take at most, so that Ctrl-C and progress stay responsive. */
const CALL_BUDGET = 2e8;

export function chunkFor(s: Scenario, budget = CALL_BUDGET): number {
  const cells = s.particles * (s.layout.coordinates.length + 1);
  return Math.max(1, Math.min(s.recordEvery, MAX_CHUNK, Math.floor(budget / cells)));
}

/** `budget`: cell-steps one kernel call may take (smaller keeps an interactive loop responsive). */
export function createSimulation(s: Scenario, backend: Backend, budget = CALL_BUDGET): Simulation {
  checkCapacity(s.particles, s.layout.coordinates.length); // before the initial state is allocated
  return Simulation.create(toKernelModel(s), backend, {
    particles: s.particles,
    dt: s.dt,
    temperature: s.temperature,
    seed: s.seed,
    initial: s.initial(),
    chunk: chunkFor(s, budget),
  });
}

export interface ScenarioRun extends RunLoopResult {
  sim: Simulation;
}

/** Runs a resolved scenario to its step count (or until `signal` aborts). */
export async function runScenario(
  s: Scenario,
  backend: Backend,
  o: { signal?: AbortSignal; onRecord?: (p: RunProgress) => void } = {},
): Promise<ScenarioRun> {
  const sim = createSimulation(s, backend);
  const result = await runLoop(sim, {
    steps: s.steps,
    recordEvery: s.recordEvery,
    regionNames: s.regions.map((r) => r.name),
    signal: o.signal,
    onRecord: o.onRecord,
  });
  return { ...result, sim };
}
