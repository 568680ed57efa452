import type { DriveState, Reporter } from './driver.js';
import { countRegions, type PopulationSeries } from './populations.js';

/** Where a run stands, as the progress line and the library's onRecord see it. */
export interface RunProgress {
  step: number;
  steps: number;
  escaped: number;
  elapsedSeconds: number;
}

/** Particles that have reached the escape target so far. */
export function escapedCount(state: DriveState): number {
  let n = 0;
  for (const f of state.sim.firstPassage) if (f >= 0) n++;
  return n;
}

export function progressOf(state: DriveState): RunProgress {
  return { step: state.step, steps: state.steps, escaped: escapedCount(state), elapsedSeconds: state.elapsedSeconds };
}

/** Records region populations every `every` steps (and at step 0 and at the end): populations.csv. */
export function populationRecorder(regionNames: string[], every: number): Reporter & { series: PopulationSeries } {
  const series: PopulationSeries = { regions: [...regionNames, 'other'], steps: [], counts: [] };
  return {
    every,
    series,
    async report(state) {
      const reg = await state.sim.regions();
      series.steps.push(state.step);
      series.counts.push(countRegions(reg, regionNames.length));
    },
  };
}

/** Calls `fn` with the run's progress every `every` steps (after the populations, so escapes are current). */
export function progressCallback(every: number, fn: (p: RunProgress) => void): Reporter {
  return { every, report: (state) => fn(progressOf(state)) };
}
