import fs from 'node:fs';
import path from 'node:path';
import { eyringFit } from '../analysis/index.js';
import { loadRuns } from '../report/load-runs.js';
import type { Summary } from '../report/summary.js';
import { renderSpec } from './render.js';
import { makeDir } from '../output/atomic.js';
import { eyringSpec, heatmapSpec, logTauSpec, survivalSpec, type BandPoint, type EyringPlotPoint } from './specs.js';

export class PlotError extends Error {}

export interface PlotOptions {
  /** Summary field for the heatmap, as a dotted path (default populations.mean.generalizing). */
  field: string;
  /** Parameter for the ln tau plot (default dataSize when it varies). */
  against?: string;
}

export interface WrittenPlot {
  name: string;
  svg: string;
  png: string;
  width: number;
  height: number;
}

const settingsOf = (s: Summary): Record<string, number> => ({ ...s.parameters, temperature: s.temperature, dt: s.dt });

function valueAt(obj: unknown, dotted: string): number | null {
  let cur: unknown = obj;
  for (const k of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, k)) return null;
    cur = (cur as Record<string, unknown>)[k];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}

const label = (fixed: Record<string, number>) =>
  Object.entries(fixed)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || 'all runs';

/** Writes the figures the runs support into `dir/plots`: Eyring, ln tau vs a parameter, heatmap, survival. */
export async function plotRuns(dir: string, o: PlotOptions): Promise<WrittenPlot[]> {
  const runs = loadRuns([dir]).map((r) => r.summary);
  const scenarios = [...new Set(runs.map((r) => r.scenario))];
  if (scenarios.length > 1) throw new PlotError(`${dir}: runs of different scenarios (${scenarios.join(', ')})`);
  const settings = runs.map(settingsOf);
  const varying = Object.keys(settings[0]).filter((k) => new Set(settings.map((s) => s[k])).size > 1);
  const outDir = path.join(dir, 'plots');
  makeDir(outDir);
  const written: WrittenPlot[] = [];
  const write = async (name: string, spec: Parameters<typeof renderSpec>[0]) => {
    const r = await renderSpec(spec);
    const svg = path.join(outDir, `${name}.svg`);
    const png = path.join(outDir, `${name}.png`);
    fs.writeFileSync(svg, r.svg);
    fs.writeFileSync(png, r.png);
    written.push({ name, svg, png, width: r.width, height: r.height });
  };
  const scenario = scenarios[0];
  const groupBy = (keys: string[]) => {
    const m = new Map<string, Summary[]>();
    for (const r of runs) {
      const id = label(Object.fromEntries(keys.map((k) => [k, settingsOf(r)[k]])));
      m.set(id, [...(m.get(id) ?? []), r]);
    }
    return m;
  };

  // Eyring: within groups of equal other settings, if temperature varies
  if (varying.includes('temperature') && runs.every((r) => r.escape)) {
    const points: EyringPlotPoint[] = [];
    const band: BandPoint[] = [];
    for (const [group, rs] of groupBy(varying.filter((k) => k !== 'temperature'))) {
      const temps = new Set(rs.map((r) => r.temperature));
      const pts = rs.map((r) => ({
        temperature: r.temperature,
        events: r.escape!.events,
        exposure: r.escape!.exposure,
      }));
      let fit = null;
      if (temps.size >= 2 && pts.some((p) => p.events > 0)) {
        try {
          fit = eyringFit(pts);
        } catch {
          fit = null; // e.g. escapes at one temperature only: points without a line
        }
      }
      const name = fit
        ? `${group}: ΔH‡ = ${fit.deltaH.toPrecision(3)} ± ${(1.96 * fit.seDeltaH).toPrecision(2)}`
        : group;
      for (const r of rs) {
        const e = r.escape!;
        if (e.events === 0) continue;
        const lnT = Math.log(r.temperature);
        points.push({
          invT: 1 / r.temperature,
          lnKOverT: Math.log(e.rate) - lnT,
          lo: Math.log(e.rateCI95[0]) - lnT,
          hi: Math.log(e.rateCI95[1]) - lnT,
          group: name,
        });
      }
      if (!fit) continue;
      const xs = [...temps].map((t) => 1 / t);
      const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
      const cov = fit.correlation * fit.seDeltaH * fit.seDeltaS;
      for (let i = 0; i <= 40; i++) {
        const x = lo + ((hi - lo) * i) / 40;
        const y = fit.deltaS + Math.log(fit.attemptFrequency) - fit.deltaH * x;
        const sd = Math.sqrt(Math.max(0, fit.seDeltaS ** 2 + x * x * fit.seDeltaH ** 2 - 2 * x * cov));
        band.push({ invT: x, fit: y, lo: y - 1.96 * sd, hi: y + 1.96 * sd, group: name });
      }
    }
    if (points.length > 0)
      await write('eyring', eyringSpec(points, band, `${scenario}: Eyring plot (fit by Poisson regression, 95% band)`));
  }

  // ln tau against a parameter, one line per temperature
  const against = o.against ?? (varying.includes('dataSize') ? 'dataSize' : undefined);
  if (against !== undefined) {
    if (!varying.includes(against))
      throw new PlotError(
        `--against ${against}: it does not vary across these runs (varying: ${varying.join(', ') || 'none'})`,
      );
    const pts = runs
      .filter((r) => r.escape && r.escape.events > 0)
      .map((r) => ({
        x: settingsOf(r)[against],
        lnTau: Math.log(r.escape!.mfpt!),
        lo: Math.log(r.escape!.mfptCI95[0]),
        hi: r.escape!.mfptCI95[1] === null ? null : Math.log(r.escape!.mfptCI95[1]),
        group: label(Object.fromEntries(varying.filter((k) => k !== against).map((k) => [k, settingsOf(r)[k]]))),
      }))
      .sort((a, b) => a.x - b.x);
    if (pts.length > 0)
      await write(
        `logtau-vs-${against}`,
        logTauSpec(pts, against, `${scenario}: mean first-passage time against ${against}`),
      );
  }

  // heatmap over the first two varying settings
  if (varying.length >= 2) {
    const [xName, yName] = varying.includes('temperature')
      ? [varying.find((k) => k !== 'temperature')!, 'temperature']
      : [varying[0], varying[1]];
    const acc = new Map<string, { x: number; y: number; sum: number; n: number }>();
    for (const r of runs) {
      const v = valueAt(r, o.field);
      if (v === null) continue;
      const x = settingsOf(r)[xName];
      const y = settingsOf(r)[yName];
      const c = acc.get(`${x},${y}`) ?? { x, y, sum: 0, n: 0 };
      c.sum += v;
      c.n++;
      acc.set(`${x},${y}`, c);
    }
    if (acc.size === 0)
      throw new PlotError(
        `--field ${o.field}: not a number in these summaries (e.g. populations.mean.generalizing, escape.rate)`,
      );
    const cells = [...acc.values()].map((c) => ({ x: c.x, y: c.y, value: c.sum / c.n }));
    await write(
      `heatmap-${o.field.replace(/[^A-Za-z0-9]+/g, '-')}`,
      heatmapSpec(cells, xName, yName, o.field, `${scenario}: ${o.field} over ${xName} x ${yName}`),
    );
  }

  // survival curves
  const curves = runs.filter((r) => r.escape?.survival);
  if (curves.length > 0) {
    const pts = curves.flatMap((r) =>
      r.escape!.survival.time.map((t, i) => ({
        time: t,
        survival: r.escape!.survival.survival[i],
        run: label(Object.fromEntries(varying.map((k) => [k, settingsOf(r)[k]]))),
      })),
    );
    await write('survival', survivalSpec(pts, `${scenario}: survival in ${curves[0].escape!.from} (Kaplan-Meier)`));
  }
  if (written.length === 0)
    throw new PlotError(`${dir}: nothing to plot (no escapes and fewer than two varying settings)`);
  return written;
}
