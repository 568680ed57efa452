import fs from 'node:fs';
import path from 'node:path';
import type { Summary } from '../../src/report/summary.js';
import type { EquilibriumCheck } from '../../src/plot/equilibrium.js';
import { tmpdir } from '../helpers/cli.js';

/** What a hand-made run varies: its settings, its escapes, and what theory and the equilibrium check say. */
export interface RunSpec {
  parameters?: Record<string, number>;
  temperature?: number;
  seed?: number;
  events?: number;
  exposure?: number;
  /** populations.mean.generalizing (memorizing gets the rest). */
  generalizing?: number;
  predictedGeneralizing?: number | null;
  predictedMfpt?: number | null;
  /** prediction.threshold.dataSize (the threshold families' extra); undefined: no threshold in the prediction. */
  threshold?: number | null;
  /** true or false: populations.equilibrium says so; undefined: no field (an older grokscape). */
  reached?: boolean;
  scenario?: string;
}

/** A summary.json as `grokscape run` writes it, with made-up numbers. */
export function summary(r: RunSpec): Summary {
  const events = r.events ?? 40;
  const exposure = r.exposure ?? 400;
  const rate = events / exposure;
  const half = events > 0 ? 1.96 / Math.sqrt(events) : 0;
  const end = 20;
  const time = Array.from({ length: 101 }, (_, i) => (end * i) / 100);
  const generalizing = r.generalizing ?? 0.3;
  const equilibrium: EquilibriumCheck | undefined =
    r.reached === undefined
      ? undefined
      : {
          reached: r.reached,
          thirdQuarter: { memorizing: 1 - generalizing, generalizing },
          fourthQuarter: {
            memorizing: 1 - generalizing - (r.reached ? 0.004 : 0.08),
            generalizing: generalizing + (r.reached ? 0.004 : 0.08),
          },
          maxDifference: r.reached ? 0.004 : 0.08,
          tolerance: 0.02,
        };
  const predictedMfpt = r.predictedMfpt === undefined ? 1 / rate : r.predictedMfpt;
  const predictedGeneralizing = r.predictedGeneralizing === undefined ? generalizing + 0.02 : r.predictedGeneralizing;
  return {
    schemaVersion: 1,
    scenario: r.scenario ?? 'hand-made',
    scenarioFile: 'hand-made.yaml',
    description: 'a hand-made summary for the plot tests',
    family: null,
    parameters: { dataSize: 1, ...r.parameters },
    potential: 'x^2',
    coordinates: ['x'],
    regions: [
      { name: 'memorizing', predicate: 'x < 0' },
      { name: 'generalizing', predicate: 'x > 0.8' },
    ],
    start: { point: { x: -1 }, spread: 0 },
    bounds: {},
    observable: 'x',
    temperature: r.temperature ?? 0.5,
    dt: 0.001,
    steps: 20000,
    stepsDone: 20000,
    interrupted: false,
    particles: 256,
    seed: r.seed ?? 1,
    backend: 'cpu',
    executor: 'generic',
    version: '0.2.0',
    startedAt: '2025-01-01T00:00:00.000Z',
    command: ['grokscape', 'scan', 'hand-made'],
    node: 'v20.19.0',
    platform: 'linux x64',
    gitCommit: null,
    recordEvery: 100,
    elapsedSeconds: 1,
    particleStepsPerSecond: 1e6,
    escape: {
      from: 'memorizing',
      to: 'generalizing',
      events,
      exposure,
      rate,
      rateCI95: [rate * Math.exp(-half), rate * Math.exp(half)],
      mfpt: events > 0 ? 1 / rate : null,
      mfptCI95: [(1 / rate) * Math.exp(-half), events > 0 ? (1 / rate) * Math.exp(half) : null],
      upperBoundOnly: events === 0,
      censored: 256 - events,
      lag: null,
      survival: { time, survival: time.map((t) => Math.exp(-rate * t)) },
    } as Summary['escape'],
    populations: {
      final: { memorizing: 1 - generalizing, generalizing },
      mean: { memorizing: 1 - generalizing, generalizing },
      ...(equilibrium ? { equilibrium } : {}),
    } as Summary['populations'],
    prediction:
      predictedMfpt === null && predictedGeneralizing === null
        ? null
        : {
            method: 'exact 1D quadrature',
            populations:
              predictedGeneralizing === null
                ? null
                : { memorizing: 1 - predictedGeneralizing, generalizing: predictedGeneralizing },
            mfpt: predictedMfpt,
            kramers: null,
            notes: [],
            ...(r.threshold === undefined ? {} : { threshold: { dataSize: r.threshold, fractionsByDataSize: {} } }),
          },
    comparison: {},
  };
}

/** A scan directory (results.jsonl) of the runs, in a fresh temporary directory. */
export function scanDir(runs: RunSpec[]): string {
  const dir = path.join(tmpdir(), 'scan');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'results.jsonl'), `${runs.map((r) => JSON.stringify(summary(r))).join('\n')}\n`);
  return dir;
}

/**
 * A dataSize x temperature grid (1..3 x 0.4, 0.6) of runs whose escape rate grows with both, as in the
 * grokking-threshold scan; `reached(dataSize, temperature)` gives each run's equilibrium check.
 */
export function grid(reached: (dataSize: number, temperature: number) => boolean | undefined): RunSpec[] {
  const runs: RunSpec[] = [];
  for (const temperature of [0.4, 0.6])
    for (const dataSize of [1, 2, 3])
      runs.push({
        parameters: { dataSize },
        temperature,
        seed: 10 * dataSize + temperature * 10,
        events: Math.round(20 * dataSize * temperature * 5),
        exposure: 1000,
        generalizing: 0.1 * dataSize + temperature / 4,
        predictedGeneralizing: 0.1 * dataSize + temperature / 4 + 0.05,
        predictedMfpt: 1000 / (20 * dataSize * temperature * 5) / 1.2,
        reached: reached(dataSize, temperature),
      });
  return runs;
}

/**
 * A sweep directory as `grokscape sweep` writes it (sweep.json only; plot reads no more), with made-up
 * populations: the up branch lags the predicted equilibrium, the down branch leads it.
 */
export function sweepDir(o: { scenario?: string; values?: number[]; predicted?: boolean } = {}): string {
  const values = o.values ?? [200, 400, 600, 800, 1000, 1200, 1400, 1600];
  const [lo, hi] = [values[0], values[values.length - 1]];
  const eq = (v: number) => Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
  const points = [
    ...values.map((value) => ({ branch: 'up' as const, value })),
    ...[...values].reverse().map((value) => ({ branch: 'down' as const, value })),
  ];
  const rows = points.map((p, index) => {
    const ordered = p.branch === 'up' ? eq(p.value) ** 2 : Math.sqrt(eq(p.value));
    const pops = { disordered: 1 - ordered, ordered, other: 0 };
    return {
      index,
      branch: p.branch,
      value: p.value,
      step: 4000 * (index + 1),
      time: 8 * (index + 1),
      populations: pops,
      final: pops,
      observableMean: ordered / 2,
      observableAbsMean: ordered,
      predicted: o.predicted === false ? null : { disordered: 1 - eq(p.value), ordered: eq(p.value), other: 0 },
    };
  });
  const dir = tmpdir();
  fs.writeFileSync(
    path.join(dir, 'sweep.json'),
    JSON.stringify({
      schemaVersion: 1,
      kind: 'sweep',
      scenario: o.scenario ?? 'hand-made-sweep',
      scenarioFile: '/nonexistent/hand-made-sweep.yaml',
      family: null,
      parameter: 'u',
      values: points.map((p) => p.value),
      stepsPerValue: 4000,
      parameters: { u: lo, d: 12 },
      overrides: { d: 12 },
      temperature: 1,
      dt: 0.002,
      particles: 64,
      seed: 1,
      observable: 'w1',
      regions: ['disordered', 'ordered', 'other'],
      backend: 'cpu',
      executor: 'generic',
      version: '0.2.0',
      startedAt: '2025-01-01T00:00:00.000Z',
      command: ['grokscape', 'sweep', 'hand-made-sweep'],
      node: 'v20.19.0',
      platform: 'linux-x64',
      gitCommit: null,
      interrupted: false,
      elapsedSeconds: 1,
      rows,
    }),
  );
  return dir;
}
