import path from 'node:path';
import type { Scenario } from '../landscape/scenario.js';
import type { SweepPlan, SweepResult, SweepRow } from './sweep.js';
import { provenance } from '../report/provenance.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from '../output/atomic.js';

export const SWEEP_FILES = ['sweep.json', 'sweep.csv'] as const;

/** Everything needed to reproduce and judge a sweep (like a run's summary.json), plus its rows. */
export interface SweepSummary {
  schemaVersion: 1;
  kind: 'sweep';
  scenario: string;
  scenarioFile: string;
  family: string | null;
  parameter: string;
  values: number[];
  stepsPerValue: number;
  /** Resolved parameters at the first value (the swept one then takes each value in turn). */
  parameters: Record<string, number>;
  overrides: Record<string, number>;
  temperature: number;
  dt: number;
  particles: number;
  seed: number;
  observable: string;
  regions: string[];
  backend: string;
  executor: string;
  version: string;
  /** When the sweep started (ISO 8601, UTC), the command line, and the software it ran on. */
  startedAt: string;
  command: string[];
  node: string;
  platform: string;
  gitCommit: string | null;
  interrupted: boolean;
  elapsedSeconds: number;
  rows: SweepRow[];
}

export function sweepSummary(
  s: Scenario,
  plan: SweepPlan,
  overrides: Record<string, number>,
  r: SweepResult,
): SweepSummary {
  const prov = provenance();
  return {
    schemaVersion: 1,
    kind: 'sweep',
    scenario: s.name,
    scenarioFile: path.resolve(s.file),
    family: s.family,
    parameter: plan.parameter,
    values: plan.points.map((p) => p.value),
    stepsPerValue: plan.stepsPerValue,
    parameters: s.parameters,
    overrides,
    temperature: s.temperature,
    dt: s.dt,
    particles: s.particles,
    seed: s.seed,
    observable: s.observable.text,
    regions: [...s.regions.map((x) => x.name), 'other'],
    backend: r.backend,
    executor: r.executor,
    version: VERSION,
    startedAt: new Date(Date.now() - r.elapsedSeconds * 1000).toISOString(),
    command: prov.command,
    node: prov.node,
    platform: prov.platform,
    gitCommit: prov.gitCommit,
    interrupted: r.interrupted,
    elapsedSeconds: r.elapsedSeconds,
    rows: r.rows,
  };
}

/** One line per value: branch, value, populations (second-half means), the observable, predicted populations. */
export function sweepCsv(sum: SweepSummary): string {
  const regions = sum.regions;
  const head = [
    'index',
    'branch',
    sum.parameter,
    'step',
    'time',
    ...regions,
    'observableMean',
    'observableAbsMean',
    ...regions.map((r) => `predicted_${r}`),
  ];
  const lines = [head.join(',')];
  for (const row of sum.rows) {
    lines.push(
      [
        row.index,
        row.branch,
        row.value,
        row.step,
        row.time,
        ...regions.map((r) => row.populations[r]),
        row.observableMean,
        row.observableAbsMean,
        ...regions.map((r) => (row.predicted ? row.predicted[r] : '')),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes sweep.csv then sweep.json, each atomically: sweep.json's presence means a complete directory. */
export function writeSweepFiles(dir: string, sum: SweepSummary): void {
  writeFileAtomic(path.join(dir, 'sweep.csv'), sweepCsv(sum));
  writeFileAtomic(path.join(dir, 'sweep.json'), `${JSON.stringify(sum, null, 2)}\n`);
}
