import type { Simulation } from '../engine/simulation.js';
import { countRegions, type PopulationSeries } from './populations.js';

export interface RunProgress {
  step: number;
  steps: number;
  escaped: number;
  elapsedSeconds: number;
}

export interface RunLoopResult {
  populations: PopulationSeries;
  /** Steps actually completed (fewer than asked if interrupted). */
  stepsDone: number;
  interrupted: boolean;
  elapsedSeconds: number;
  /** When the loop started (ISO 8601, UTC). */
  startedAt: string;
}

export interface RunLoopOptions {
  steps: number;
  recordEvery: number;
  regionNames: string[];
  signal?: AbortSignal;
  onRecord?: (p: RunProgress) => void;
}

/**
 * Drives a simulation for `steps` steps, recording region populations every `recordEvery` steps (and at
 * step 0 and at the end). Stops cleanly at the next kernel-call boundary when `signal` aborts.
 */
export async function runLoop(sim: Simulation, o: RunLoopOptions): Promise<RunLoopResult> {
  const regions = [...o.regionNames, 'other'];
  const series: PopulationSeries = { regions, steps: [], counts: [] };
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const origin = sim.step;
  const escapedCount = () => {
    let n = 0;
    for (const f of sim.firstPassage) if (f >= 0) n++;
    return n;
  };
  const record = async () => {
    const reg = await sim.regions();
    series.steps.push(sim.step - origin);
    series.counts.push(countRegions(reg, o.regionNames.length));
    o.onRecord?.({
      step: sim.step - origin,
      steps: o.steps,
      escaped: escapedCount(),
      elapsedSeconds: (performance.now() - started) / 1000,
    });
  };
  await record();
  let interrupted = false;
  while (sim.step - origin < o.steps) {
    if (o.signal?.aborted) {
      interrupted = true;
      break;
    }
    const done = sim.step - origin;
    const next = Math.min(o.steps, (Math.floor(done / o.recordEvery) + 1) * o.recordEvery);
    const chunk = Math.min(next - done, sim.config.chunk);
    await sim.advance(chunk);
    if (sim.step - origin === next) await record();
  }
  if (interrupted && series.steps.at(-1) !== sim.step - origin) await record();
  return {
    populations: series,
    stepsDone: sim.step - origin,
    interrupted,
    elapsedSeconds: (performance.now() - started) / 1000,
    startedAt,
  };
}
