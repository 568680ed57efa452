import fs from 'node:fs';
import path from 'node:path';
import { madeBy } from '../report/provenance.js';
import { resolveScenario } from '../landscape/resolve.js';
import { makeDir } from '../output/atomic.js';
import type { SweepSummary } from '../scan/sweep-files.js';
import type { SweepRow } from '../scan/sweep.js';
import { renderSpec } from './render.js';
import { hysteresisSpec, type HysteresisPoint } from './specs.js';
import { valueAt } from './field-value.js';

/** A sweep directory's summary (sweep.json), or null when `dir` is not a sweep directory. */
export function readSweep(dir: string): SweepSummary | null {
  const file = path.join(dir, 'sweep.json');
  if (!fs.existsSync(file)) return null;
  let s: SweepSummary;
  try {
    s = JSON.parse(fs.readFileSync(file, 'utf8')) as SweepSummary;
  } catch (e) {
    throw new SweepPlotError(`${file}: not a readable sweep.json (${(e as Error).message.split('\n')[0]})`);
  }
  if (s?.kind !== 'sweep') return null;
  if (s.schemaVersion !== 1)
    throw new SweepPlotError(`${file}: schemaVersion ${String(s.schemaVersion)} is not supported (expected 1)`);
  if (!Array.isArray(s.rows) || s.rows.length === 0) throw new SweepPlotError(`${file}: no rows (no value finished)`);
  return s;
}

export class SweepPlotError extends Error {}

/**
 * The region a sweep's default plot follows: the scenario's escape target (the region the transition fills),
 * else the last region before 'other'.
 */
function targetRegion(s: SweepSummary): string {
  const named = s.regions.filter((r) => r !== 'other');
  for (const source of [s.scenarioFile, s.scenario]) {
    try {
      const to = resolveScenario(source, s.overrides).escape?.to;
      if (to !== undefined && named.includes(to)) return to;
    } catch {
      // the scenario file moved or changed: fall back on the regions sweep.json names
    }
  }
  return named.at(-1) ?? s.regions[0];
}

/** What a `--field` names in a sweep's rows: its path in a row, its prediction's, and the axis title. */
interface SweepField {
  path: string;
  predicted: string | null;
  title: string;
  fraction: boolean;
}

/**
 * Resolves `--field` against a sweep: a region (`ordered`, or `populations.ordered` as in sweep.json's rows),
 * a sweep.csv column (`observableMean`, `observableAbsMean`), or any dotted path to a number in a row.
 */
function sweepField(s: SweepSummary, field: string | undefined): SweepField {
  const region = field === undefined ? targetRegion(s) : (/^populations\.(.+)$/.exec(field)?.[1] ?? field);
  if (s.regions.includes(region))
    return {
      path: `populations.${region}`,
      predicted: `predicted.${region}`,
      title: `${region} fraction`,
      fraction: true,
    };
  const f = field!;
  const rows = s.rows as unknown[];
  if (!rows.some((r) => valueAt(r, f) !== null))
    throw new SweepPlotError(
      `--field ${f}: not a number in this sweep's rows (a region: ${s.regions.join(', ')}; or observableMean, observableAbsMean)`,
    );
  const title =
    f === 'observableMean'
      ? `${s.observable}, mean over particles`
      : f === 'observableAbsMean'
        ? `|${s.observable}|, mean over particles`
        : f;
  return {
    path: f,
    predicted: rows.some((r) => valueAt(r, `predicted.${f}`) !== null) ? `predicted.${f}` : null,
    title,
    fraction: false,
  };
}

const fileName = (field: string | undefined) =>
  field === undefined ? 'hysteresis' : `hysteresis-${field.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The points of the plot: each branch's rows in the order run, and the prediction once per value. */
export function hysteresisPoints(s: SweepSummary, f: SweepField): HysteresisPoint[] {
  const points: HysteresisPoint[] = [];
  for (const row of s.rows as SweepRow[]) {
    const y = valueAt(row, f.path);
    if (y !== null) points.push({ x: row.value, y, series: row.branch });
  }
  if (f.predicted !== null) {
    const seen = new Set<number>();
    for (const row of [...(s.rows as SweepRow[])].sort((a, b) => a.value - b.value)) {
      const y = valueAt(row, f.predicted);
      if (y === null || seen.has(row.value)) continue;
      seen.add(row.value);
      points.push({ x: row.value, y, series: 'equilibrium (predicted)' });
    }
  }
  return points;
}

const g = (v: number) => Number(v.toPrecision(4)).toString();

/** Writes DIR/plots/hysteresis.svg and .png for a sweep directory: the branches and theory's equilibrium. */
export async function plotSweep(
  dir: string,
  s: SweepSummary,
  field: string | undefined,
): Promise<{ name: string; svg: string; png: string; width: number; height: number; note?: string }> {
  const f = sweepField(s, field);
  const points = hysteresisPoints(s, f);
  const ys = points.map((q) => q.y);
  const [lo, hi] = [Math.min(...ys), Math.max(...ys)];
  const pad = hi > lo ? 0.05 * (hi - lo) : Math.max(0.05, Math.abs(hi) * 0.05);
  const yDomain: [number, number] = f.fraction ? [0, 1] : [lo - pad, hi + pad];
  const time = s.stepsPerValue * s.dt;
  const fixed = Object.entries(s.overrides)
    .filter(([k]) => !['particles', 'seed', 'temperature', 'dt'].includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const subtitle = [
    `one simulation of ${s.particles} particles (seed ${s.seed}, T = ${g(s.temperature)}, dt = ${g(s.dt)}${fixed ? `, ${fixed}` : ''}) taken up through the values of ${s.parameter}, then back down, the particles kept from one value to the next; each point: the mean over the second half of that value's dwell`,
    `markers point in the direction of travel: up (${s.parameter} increasing), down (${s.parameter} decreasing)`,
  ];
  const hasPrediction = points.some((q) => q.series === 'equilibrium (predicted)');
  if (hasPrediction)
    subtitle.push(
      `dashed, hollow diamonds: the equilibrium ${f.fraction ? 'fraction' : 'value'} theory predicts at each value (sweep.json rows' predicted), which both branches relax to given time`,
    );
  else subtitle.push(`no equilibrium prediction for ${field ?? f.path} in sweep.json: branches only`);
  if (s.interrupted) subtitle.push('interrupted: the sweep stopped early, so a branch may be incomplete');
  const spec = hysteresisSpec({
    title: [`${s.scenario}: hysteresis in ${s.parameter}, ${s.stepsPerValue} steps (${g(time)} time units) per value`],
    subtitle,
    xTitle: `${s.parameter} (swept parameter)`,
    yTitle: f.title,
    yDomain,
    points,
  });
  const outDir = path.join(dir, 'plots');
  makeDir(outDir);
  const name = fileName(field);
  const r = await renderSpec(spec, {
    drawnBy: madeBy(),
    from: path.resolve(dir),
    scenario: s.scenario,
    parameter: s.parameter,
    parameters: s.parameters,
    seed: s.seed,
    backend: s.backend,
    version: s.version,
  });
  const svg = path.join(outDir, `${name}.svg`);
  const png = path.join(outDir, `${name}.png`);
  fs.writeFileSync(svg, r.svg);
  fs.writeFileSync(png, r.png);
  return { name, svg, png, width: r.width, height: r.height };
}
