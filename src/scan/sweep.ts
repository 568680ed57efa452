import type { Backend } from '../engine/backend.js';
import { toKernelModel } from '../landscape/kernel-model.js';
import { resolveScenario } from '../landscape/resolve.js';
import type { Scenario } from '../landscape/scenario.js';
import { countRegions, fractionsOf } from '../observe/populations.js';
import { drive, type Reporter } from '../observe/driver.js';
import { createSimulation } from '../observe/run-scenario.js';
import { predict } from '../landscape/predict.js';
import type { Prediction } from '../landscape/prediction.js';
import { ScanError, parseAxis } from './grid.js';

/**
 * A hysteresis sweep: one simulation taken through a sequence of values of one parameter, up and then
 * back down, with the particles' positions (and the noise stream) kept from one value to the next. A
 * first-order transition shows as up and down branches that differ inside the coexistence window.
 */
/** A row's predictions: the equilibrium populations and, where theory has it, the observable's mean. */
function predictedRecord(p: Prediction | null): Record<string, number> | null {
  const mean = p?.observableMean ?? null;
  if (!p?.populations && mean === null) return null;
  return { ...(p?.populations ?? {}), ...(mean === null ? {} : { observableMean: mean }) };
}

export interface SweepPlan {
  parameter: string;
  /** Values in the order visited, with the branch each belongs to. */
  points: { branch: 'up' | 'down'; value: number }[];
  /** Steps spent at each value. */
  stepsPerValue: number;
}

export interface SweepRow {
  index: number;
  branch: 'up' | 'down';
  value: number;
  /** Simulation step at the end of this value's dwell (counted from the start of the sweep). */
  step: number;
  time: number;
  /** Region fractions averaged over the recordings in the second half of the dwell ('other' included). */
  populations: Record<string, number>;
  /** Region fractions at the end of the dwell. */
  final: Record<string, number>;
  /** Mean over particles, then over the same recordings, of the observable and of its absolute value. */
  observableMean: number;
  observableAbsMean: number;
  /** Equilibrium populations at this value where theory has them (the curve both branches relax to). */
  predicted: Record<string, number> | null;
}

/** Parameters a sweep can change between values without restarting: the landscape's and the temperature. */
export function sweepableNames(s: Scenario): string[] {
  return ['temperature', ...Object.keys(s.parameters)];
}

/**
 * Parses `name=start:stop:step` (or `name=v1,v2,...`): the up branch visits the values in order, the down
 * branch (unless `back` is false) the same values in reverse, so both branches have a point at every value.
 */
export function planSweep(spec: string, s: Scenario, stepsPerValue: number, back = true): SweepPlan {
  const axis = parseAxis(spec, '--param');
  const known = sweepableNames(s);
  if (!known.includes(axis.name)) {
    throw new ScanError(
      `--param ${axis.name}: not a parameter a sweep can change with the particles kept (sweepable: ${known.join(', ')})`,
    );
  }
  const up = axis.values.map((value) => ({ branch: 'up' as const, value }));
  const down = back ? [...axis.values].reverse().map((value) => ({ branch: 'down' as const, value })) : [];
  return { parameter: axis.name, points: [...up, ...down], stepsPerValue };
}

/** Resolves the scenario at every value first, so a bad value or a change of coordinates is refused before any step. */
export function resolveSweep(name: string, overrides: Record<string, number>, plan: SweepPlan): Map<number, Scenario> {
  const byValue = new Map<number, Scenario>();
  const base = resolveScenario(name, overrides);
  for (const { value } of plan.points) {
    if (byValue.has(value)) continue;
    const s = resolveScenario(name, { ...overrides, [plan.parameter]: value });
    if (s.layout.coordinates.length !== base.layout.coordinates.length) {
      throw new ScanError(
        `--param ${plan.parameter}=${value}: changes the number of coordinates (${base.layout.coordinates.length} -> ${s.layout.coordinates.length}); a sweep keeps the particles, so it cannot change their dimension (use \`grokscape scan\`)`,
      );
    }
    byValue.set(value, s);
  }
  return byValue;
}

export interface SweepResult {
  rows: SweepRow[];
  backend: string;
  executor: string;
  interrupted: boolean;
  elapsedSeconds: number;
}

/**
 * Runs the plan on one simulation. At each value the landscape (or the temperature) is swapped in and the
 * particles go on from where the previous value left them; populations and the observable are recorded
 * every `recordEvery` steps and averaged over the second half of each dwell.
 */
export async function runSweep(
  plan: SweepPlan,
  scenarios: Map<number, Scenario>,
  backend: Backend,
  o: { signal?: AbortSignal; onValue?: (row: SweepRow, total: number) => void } = {},
): Promise<SweepResult> {
  const first = scenarios.get(plan.points[0].value)!;
  const recordEvery = Math.max(1, Math.min(first.recordEvery, plan.stepsPerValue));
  const sim = createSimulation({ ...first, recordEvery }, backend);
  const regionNames = [...first.regions.map((r) => r.name), 'other'];
  const rows: SweepRow[] = [];
  // each value is visited on both branches; its equilibrium prediction is computed once
  const predictions = new Map<number, Record<string, number> | null>();
  const started = performance.now();
  let interrupted = false;
  try {
    for (const [index, point] of plan.points.entries()) {
      if (o.signal?.aborted) {
        interrupted = true;
        break;
      }
      const s = scenarios.get(point.value)!;
      if (index > 0) {
        if (plan.parameter === 'temperature') await sim.reconfigure({ temperature: s.temperature });
        else await sim.reconfigure({ model: toKernelModel(s) });
      }
      // recorded at each interval of the dwell's second half (not at its step 0): the sweep's reporter
      const observable = s.observable.evaluate;
      const D = s.layout.coordinates.length;
      const x = new Array<number>(D);
      const sums = new Array<number>(regionNames.length).fill(0);
      let records = 0;
      let obs = 0;
      let obsAbs = 0;
      let finalCounts: number[] = [];
      const half = Math.floor(plan.stepsPerValue / 2);
      const dwell: Reporter = {
        every: recordEvery,
        async report({ step }) {
          if (step === 0 || step < half) return;
          const counts = countRegions(await sim.regions(), s.regions.length);
          fractionsOf(counts).forEach((f, i) => {
            sums[i] += f;
          });
          finalCounts = counts;
          const rowsOf = Array.from({ length: D }, (_, i) => sim.row(i));
          let m = 0;
          let a = 0;
          for (let p = 0; p < sim.particles; p++) {
            for (let i = 0; i < D; i++) x[i] = rowsOf[i][p];
            const v = observable(x);
            m += v;
            a += Math.abs(v);
          }
          obs += m / sim.particles;
          obsAbs += a / sim.particles;
          records++;
        },
      };
      await drive(sim, { steps: plan.stepsPerValue, reporters: [dwell] });
      const byName = (v: number[]) => Object.fromEntries(regionNames.map((n, i) => [n, v[i]]));
      if (!predictions.has(point.value)) predictions.set(point.value, predictedRecord(predict(s)));
      const predicted = predictions.get(point.value)!;
      const row: SweepRow = {
        index,
        branch: point.branch,
        value: point.value,
        step: sim.step,
        time: sim.step * s.dt,
        populations: byName(sums.map((v) => v / records)),
        final: byName(fractionsOf(finalCounts)),
        observableMean: obs / records,
        observableAbsMean: obsAbs / records,
        predicted,
      };
      rows.push(row);
      o.onValue?.(row, plan.points.length);
    }
    return {
      rows,
      backend: sim.kernelMode,
      executor: sim.executorKind,
      interrupted,
      elapsedSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await sim.destroy();
  }
}
