import path from 'node:path';
import type { PopulationSeries } from '../observe/populations.js';
import type { EscapeData } from '../report/escapes.js';
import type { Summary } from '../report/summary.js';
import { writeFileAtomic } from './atomic.js';

export const RUN_FILES = ['summary.json', 'populations.csv', 'escapes.csv'] as const;

/** Numbers in CSV: shortest round-trip form (exact for float64). */
const num = (v: number) => String(v);

export function populationsCsv(p: PopulationSeries, dt: number): string {
  const lines = [`step,time,${p.regions.join(',')}`];
  p.steps.forEach((step, i) => {
    const counts = p.counts[i];
    const total = counts.reduce((a, b) => a + b, 0);
    lines.push([step, num(step * dt), ...counts.map((c) => num(c / total))].join(','));
  });
  return `${lines.join('\n')}\n`;
}

export function escapesCsv(e: EscapeData, dt: number): string {
  const order = e.particles.map((_, i) => i).sort((a, b) => e.steps[a] - e.steps[b] || e.particles[a] - e.particles[b]);
  const lines = ['particle,step,time', ...order.map((i) => `${e.particles[i]},${e.steps[i]},${num(e.steps[i] * dt)}`)];
  return `${lines.join('\n')}\n`;
}

/**
 * An upper bound of the bytes the three files of a run take: every number at its longest printed form
 * (24 characters for a float64), every particle escaped, and the summary's fixed-size parts.
 */
export function maxRunBytes(o: {
  particles: number;
  steps: number;
  recordEvery: number;
  regions: number;
  parameters: number;
}): number {
  const digits = (n: number) => String(Math.trunc(n)).length;
  const FLOAT = 24;
  const rows = Math.floor(o.steps / o.recordEvery) + 3;
  const populations = (o.regions + 4) * 16 + rows * (digits(o.steps) + FLOAT + (o.regions + 1) * (FLOAT + 1) + 2);
  const escapes = 32 + o.particles * (digits(o.particles) + digits(o.steps) + FLOAT + 3);
  const summary = 64 * 1024 + o.parameters * 64;
  return populations + escapes + summary;
}

/** Writes the three result files, each atomically; summary.json last, so its presence means a complete run directory. */
export function writeRunFiles(dir: string, summary: Summary, populations: PopulationSeries, escapes: EscapeData): void {
  writeFileAtomic(path.join(dir, 'populations.csv'), populationsCsv(populations, summary.dt));
  writeFileAtomic(path.join(dir, 'escapes.csv'), escapesCsv(escapes, summary.dt));
  writeFileAtomic(path.join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
