import { openBackend, type BackendRequest } from './engine/backend.js';
import { resolveScenario } from './landscape/resolve.js';
import { workloadOf, type Scenario } from './landscape/scenario.js';
import { runScenario } from './observe/run-scenario.js';
import type { RunProgress } from './observe/reporters.js';
import { makeDir } from './output/atomic.js';
import { lockDir, unlockDir } from './output/lock.js';
import { predict } from './landscape/predict.js';
import type { Prediction } from './landscape/prediction.js';
import { fitRuns, type FitReport } from './report/fit-runs.js';
import { loadRuns } from './report/load-runs.js';
import { summarizeRun, type Summary } from './report/summary.js';
import type { EscapeData } from './report/escapes.js';
import type { PopulationSeries } from './observe/populations.js';
import { parseGrid } from './scan/grid.js';
import { enumeratePoints } from './scan/points.js';
import { runScan } from './scan/run-scan.js';
import { newScanSpec, openScanDir, type PointFailure, type PointResult, readResults } from './scan/store.js';
import { listScenarios } from './scenario/load.js';
import { VERSION } from './version.js';

export type { BackendRequest, EscapeData, FitReport, PointResult, PopulationSeries, Prediction, Scenario, Summary };
export { listScenarios, predict, VERSION };

/**
 * A shipped scenario's name or a scenario file's path, resolved with `overrides` (parameters, and
 * temperature, dt, steps, particles, seed) and validated as the CLI validates it.
 */
export function loadScenario(nameOrPath: string, overrides: Record<string, number> = {}): Scenario {
  return resolveScenario(nameOrPath, overrides);
}

export interface RunResult {
  /** What `grokscape run` writes as summary.json. */
  summary: Summary;
  /** Region counts at each recording (populations.csv). */
  populations: PopulationSeries;
  /** First entries into the escape target (escapes.csv). */
  escapes: EscapeData;
}

/** Runs a scenario to its step count (or until `signal` aborts) and summarizes it, writing no files. */
export async function run(
  scenario: Scenario,
  o: { backend?: BackendRequest; signal?: AbortSignal; onRecord?: (p: RunProgress) => void } = {},
): Promise<RunResult> {
  const backend = await openBackend(o.backend ?? 'auto', workloadOf(scenario));
  const r = await runScenario(scenario, backend, { signal: o.signal, onRecord: o.onRecord });
  try {
    const { summary, escapes } = await summarizeRun(scenario, r, predict(scenario), o.signal);
    return { summary, populations: r.populations, escapes };
  } finally {
    await r.sim.destroy();
  }
}

/** Eyring and Arrhenius fits over run or scan directories (`against`: ln tau against a parameter instead). */
export function fit(dirs: string[], against?: string): FitReport {
  return fitRuns(loadRuns(dirs), against);
}

/**
 * Runs every point of a grid (name -> values; `repeat` seeds each) into `out`, as `grokscape scan` does:
 * resumable (points already in out/results.jsonl are kept), one writer per directory. Returns every
 * point's result, and the points that failed (diverged or refused: out/failed.jsonl; the others ran).
 */
export async function scan(
  scenario: string,
  o: {
    grid: Record<string, number[]>;
    out: string;
    repeat?: number;
    overrides?: Record<string, number>;
    backend?: BackendRequest;
    workers?: number;
    signal?: AbortSignal;
  },
): Promise<{ results: PointResult[]; failed: PointFailure[]; interrupted: boolean }> {
  const overrides = o.overrides ?? {};
  const base = resolveScenario(scenario, overrides);
  const grid = parseGrid(
    Object.entries(o.grid).map(([name, values]) => `${name}=${values.join(',')}`),
    Object.keys(base.parameters),
  );
  const repeat = o.repeat ?? 1;
  const spec = newScanSpec(base, { grid, repeat, overrides, shard: null, backend: o.backend ?? 'auto' });
  makeDir(o.out);
  lockDir(o.out);
  try {
    openScanDir(o.out, spec);
    const r = await runScan({
      dir: o.out,
      spec,
      points: enumeratePoints(grid, repeat, base.seed),
      backend: o.backend ?? 'auto',
      workload: workloadOf(base),
      workers: o.workers ?? 1,
      signal: o.signal ?? new AbortController().signal,
      onProgress: () => undefined,
    });
    return { results: readResults(o.out), failed: r.failed, interrupted: r.interrupted };
  } finally {
    unlockDir(o.out);
  }
}
