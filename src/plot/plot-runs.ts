import fs from 'node:fs';
import path from 'node:path';
import { eyringFit, logTimeSlope, PHASES, type EyringFit, type LogTimeSlopeFit } from '../analysis/index.js';
import { makeDir } from '../output/atomic.js';
import { loadRuns } from '../report/load-runs.js';
import { madeBy } from '../report/provenance.js';
import type { Summary } from '../report/summary.js';
import { cellEquilibrium, equilibriumOf, phaseDiagramVerdict, type CellEquilibrium } from './equilibrium.js';
import { plotSweep, readSweep, SweepPlotError } from './plot-sweep.js';
import { renderSpec } from './render.js';
import {
  eyringSpec,
  heatmapSpec,
  logTauSpec,
  PLOT_HEIGHT,
  PLOT_WIDTH,
  survivalSpec,
  phaseMapSpec,
  type PhaseMapPlot,
  populationsSpec,
  type PopulationsPlot,
  type FitBandPoint,
  type FitPlotPoint,
  type HeatCell,
  type PredictedPoint,
} from './specs.js';
import { textWidth } from './text-metrics.js';
import { valueAt } from './field-value.js';

export class PlotError extends Error {}

/** The heatmap's field when none is given. */
export const DEFAULT_FIELD = 'populations.mean.generalizing';

export interface PlotOptions {
  /**
   * Summary field for the heatmap, as a dotted path (default populations.mean.generalizing); for a sweep, the
   * row field on the y axis (default the target region's population).
   */
  field?: string;
  /** Parameter for the ln tau plot (default dataSize when it varies). */
  against?: string;
}

export interface WrittenPlot {
  name: string;
  svg: string;
  png: string;
  width: number;
  height: number;
  /** One line for the reader of the terminal, e.g. why a heatmap is not titled a phase diagram. */
  note?: string;
}

const settingsOf = (s: Summary): Record<string, number> => ({ ...s.parameters, temperature: s.temperature, dt: s.dt });

const label = (fixed: Record<string, number>) =>
  Object.entries(fixed)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || 'all runs';

/** `v` to `digits` significant digits, without an exponent for the magnitudes the figures show. */
export function sig(v: number, digits = 3): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const s = v.toPrecision(digits);
  if (!s.includes('e')) return s;
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(v))));
  return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e7 ? v.toFixed(Math.min(decimals, 20)) : s;
}

const interval = (ci: [number, number]) => `[${sig(ci[0])}, ${sig(ci[1])}]`;

/** Prefix naming a group in a legend label: nothing when all runs form one group. */
const groupPrefix = (group: string) => (group === 'all runs' ? '' : `${group}: `);

/**
 * How the legend names the theory's mean first-passage time: exact when the method is an exact one that
 * does not reduce the dynamics to another model for the MFPT (e.g. "exact 1D quadrature"), theory otherwise.
 */
function mfptSource(runs: Summary[]): { label: string; method: string } | null {
  const methods = [...new Set(runs.filter((r) => (r.prediction?.mfpt ?? 0) > 0).map((r) => r.prediction!.method))];
  if (methods.length === 0) return null;
  const exact = methods.every((m) => /^exact/i.test(m) && !/MFPT|reduction|Kramers/i.test(m));
  return { label: `predicted (${exact ? 'exact theory' : 'theory'})`, method: methods.join('; ') };
}

/** 41 points of a fitted line y = a + b x over [lo, hi], with its 95% band from the estimates' covariance. */
function bandOf(
  lo: number,
  hi: number,
  group: string,
  line: { a: number; b: number; seA: number; seB: number; correlation: number },
): FitBandPoint[] {
  const cov = line.correlation * line.seA * line.seB;
  return Array.from({ length: 41 }, (_, i) => {
    const x = lo + ((hi - lo) * i) / 40;
    const y = line.a + line.b * x;
    const sd = Math.sqrt(Math.max(0, line.seA ** 2 + x * x * line.seB ** 2 + 2 * x * cov));
    return { x, fit: y, lo: y - 1.96 * sd, hi: y + 1.96 * sd, group };
  });
}

/** Distinct legend labels for runs: the settings that vary, then the seed, then a number where still equal. */
export function runLabels(runs: Summary[], varying: string[]): string[] {
  const base = runs.map((r) =>
    varying.length > 0 ? label(Object.fromEntries(varying.map((k) => [k, settingsOf(r)[k]]))) : '',
  );
  const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;
  const withSeed = base.map((b, i) =>
    count(base, b) > 1 || b === '' ? [b, `seed=${runs[i].seed}`].filter((s) => s !== '').join(', ') : b,
  );
  const seen = new Map<string, number>();
  return withSeed.map((l) => {
    if (count(withSeed, l) === 1) return l;
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return `${l} (run ${n})`;
  });
}

/**
 * Writes the figures the runs support into `dir/plots`: Eyring, ln tau vs a parameter, heatmap, survival; for a
 * sweep directory (sweep.json), the hysteresis loop.
 */
export async function plotRuns(dir: string, o: PlotOptions): Promise<WrittenPlot[]> {
  let sweep;
  try {
    sweep = readSweep(dir);
    if (sweep) {
      if (o.against !== undefined)
        throw new SweepPlotError(`--against ${o.against}: a sweep directory has one plot, against ${sweep.parameter}`);
      return [await plotSweep(dir, sweep, o.field)];
    }
  } catch (e) {
    if (e instanceof SweepPlotError) throw new PlotError(e.message);
    throw e;
  }
  const field = o.field ?? DEFAULT_FIELD;
  const loaded = loadRuns([dir]);
  const runs = loaded.map((r) => r.summary);
  const scenarios = [...new Set(runs.map((r) => r.scenario))];
  if (scenarios.length > 1) throw new PlotError(`${dir}: runs of different scenarios (${scenarios.join(', ')})`);
  const settings = runs.map(settingsOf);
  const varying = Object.keys(settings[0]).filter((k) => new Set(settings.map((s) => s[k])).size > 1);
  // A --field that cannot be drawn is refused before plots/ is made.
  if (o.field !== undefined) {
    if (varying.length < 2)
      throw new PlotError(
        `--field ${o.field}: colours the heatmap, which needs two settings that vary; ${dir} varies ${varying.length ? `only ${varying[0]}` : 'none'} (drop --field)`,
      );
    if (!runs.some((r) => valueAt(r, field) !== null))
      throw new PlotError(
        `--field ${field}: not a number in these summaries (e.g. populations.mean.generalizing, escape.rate)`,
      );
  }
  const outDir = path.join(dir, 'plots');
  makeDir(outDir);
  const written: WrittenPlot[] = [];
  const unique = <T>(xs: T[]) => [...new Set(xs)];
  // every figure carries what it was drawn from (render.ts embeds it; not drawn)
  const fixed = Object.fromEntries(Object.entries(settings[0]).filter(([k]) => !varying.includes(k)));
  const figureProvenance = {
    drawnBy: madeBy(),
    from: path.resolve(dir),
    scenario: scenarios[0],
    runs: runs.length,
    varying,
    fixed,
    seeds: runs.map((r) => r.seed),
    backends: unique(runs.map((r) => r.backend)),
    versions: unique(runs.map((r) => r.version)),
    particles: unique(runs.map((r) => r.particles)),
    steps: unique(runs.map((r) => r.steps)),
  };
  const write = async (name: string, spec: Parameters<typeof renderSpec>[0], note?: string) => {
    const r = await renderSpec(spec, figureProvenance);
    const svg = path.join(outDir, `${name}.svg`);
    const png = path.join(outDir, `${name}.png`);
    fs.writeFileSync(svg, r.svg);
    fs.writeFileSync(png, r.png);
    written.push({ name, svg, png, width: r.width, height: r.height, ...(note ? { note } : {}) });
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
    const points: FitPlotPoint[] = [];
    const band: FitBandPoint[] = [];
    const predicted: PredictedPoint[] = [];
    const groups: string[] = [];
    let silent = 0;
    for (const [group, rs] of groupBy(varying.filter((k) => k !== 'temperature'))) {
      const temps = new Set(rs.map((r) => r.temperature));
      const pts = rs.map((r) => ({
        temperature: r.temperature,
        events: r.escape!.events,
        exposure: r.escape!.exposure,
      }));
      let fit: EyringFit | null = null;
      if (temps.size >= 2 && pts.some((p) => p.events > 0)) {
        try {
          fit = eyringFit(pts);
        } catch {
          fit = null; // e.g. escapes at one temperature only: points without a line
        }
      }
      const name = fit
        ? `${groupPrefix(group)}ΔH‡ = ${sig(fit.deltaH)} ${interval(fit.deltaHCI95)}, ΔS‡ = ${sig(fit.deltaS)} ${interval(fit.deltaSCI95)}`
        : `${groupPrefix(group)}no fit (escapes at fewer than two temperatures)`;
      groups.push(name);
      for (const r of rs) {
        const e = r.escape!;
        const lnT = Math.log(r.temperature);
        const mfpt = r.prediction?.mfpt ?? null;
        if (mfpt !== null && mfpt > 0 && !predicted.some((p) => p.group === name && p.x === 1 / r.temperature))
          predicted.push({ x: 1 / r.temperature, y: -Math.log(mfpt) - lnT, group: name });
        if (e.events === 0) {
          silent++;
          continue;
        }
        points.push({
          x: 1 / r.temperature,
          y: Math.log(e.rate) - lnT,
          lo: Math.log(e.rateCI95[0]) - lnT,
          hi: Math.log(e.rateCI95[1]) - lnT,
          group: name,
        });
      }
      if (!fit) continue;
      const xs = [...temps].map((t) => 1 / t);
      band.push(
        ...bandOf(Math.min(...xs), Math.max(...xs), name, {
          a: fit.deltaS + Math.log(fit.attemptFrequency),
          b: -fit.deltaH,
          seA: fit.seDeltaS,
          seB: fit.seDeltaH,
          correlation: -fit.correlation,
        }),
      );
    }
    if (points.length > 0) {
      const source = mfptSource(runs);
      const subtitle = [
        'line: ln(k/T) = ΔS‡ - ΔH‡/T fitted by Poisson regression of the escape counts (k_B = 1, attempt frequency 1); shaded: its 95% band; bars: 95% intervals of k',
      ];
      if (source)
        subtitle.push(
          `hollow diamonds, dashed: predicted k = 1/τ, τ = mean first-passage time from theory (${source.method})`,
        );
      if (silent > 0) subtitle.push(`not drawn: ${silent} run(s) without escapes (their counts are in the fit)`);
      await write(
        'eyring',
        eyringSpec({
          title: [`${scenario}: Eyring plot`],
          subtitle,
          groupTitle: 'fitted ΔH‡ and ΔS‡ [95% interval]',
          groups,
          points,
          band,
          predicted: source ? predicted : [],
          measuredLabel: 'measured (95% interval)',
          predictedLabel: source?.label ?? 'predicted',
        }),
      );
    }
  }

  // ln tau against a parameter, one line per group of the other settings (temperature among them)
  const against = o.against ?? (varying.includes('dataSize') ? 'dataSize' : undefined);
  if (against !== undefined) {
    if (!varying.includes(against))
      throw new PlotError(
        `--against ${against}: it does not vary across these runs (varying: ${varying.join(', ') || 'none'})`,
      );
    const points: FitPlotPoint[] = [];
    const band: FitBandPoint[] = [];
    const predicted: PredictedPoint[] = [];
    const groups: string[] = [];
    const withEscape = runs.filter((r) => r.escape);
    const byGroup = new Map<string, Summary[]>();
    for (const r of withEscape) {
      const g = label(Object.fromEntries(varying.filter((k) => k !== against).map((k) => [k, settingsOf(r)[k]])));
      byGroup.set(g, [...(byGroup.get(g) ?? []), r]);
    }
    for (const [group, rs] of byGroup) {
      const xs = rs.map((r) => settingsOf(r)[against]);
      let fit: LogTimeSlopeFit | null = null;
      if (new Set(xs).size >= 2 && rs.some((r) => r.escape!.events > 0)) {
        try {
          // the fit `grokscape fit --against` reports: Poisson regression of the counts, ln tau = a + b x
          fit = logTimeSlope(rs.map((r, i) => ({ x: xs[i], events: r.escape!.events, exposure: r.escape!.exposure })));
        } catch {
          fit = null;
        }
      }
      const name = fit
        ? `${groupPrefix(group)}ln τ = ${sig(fit.intercept)} + b·${against}, b = ${sig(fit.slope)} ${interval(fit.slopeCI95)}`
        : `${groupPrefix(group)}no fit (escapes at fewer than two values of ${against})`;
      groups.push(name);
      rs.forEach((r, i) => {
        const e = r.escape!;
        const mfpt = r.prediction?.mfpt ?? null;
        if (mfpt !== null && mfpt > 0 && !predicted.some((p) => p.group === name && p.x === xs[i]))
          predicted.push({ x: xs[i], y: Math.log(mfpt), group: name });
        if (e.events === 0 || e.mfpt === null) return;
        points.push({
          x: xs[i],
          y: Math.log(e.mfpt),
          lo: Math.log(e.mfptCI95[0]),
          hi: e.mfptCI95[1] === null ? null : Math.log(e.mfptCI95[1]),
          group: name,
        });
      });
      if (fit)
        band.push(
          ...bandOf(Math.min(...xs), Math.max(...xs), name, {
            a: fit.intercept,
            b: fit.slope,
            seA: fit.seIntercept,
            seB: fit.seSlope,
            correlation: fit.correlation,
          }),
        );
    }
    if (points.length > 0) {
      const source = mfptSource(withEscape);
      const subtitle = [
        `line: ln τ = a + b·${against} per group, fitted by Poisson regression of the escape counts (iteratively weighted least squares, as grokscape fit --against reports it); shaded: its 95% band; bars: 95% intervals of τ`,
      ];
      if (source) subtitle.push(`hollow diamonds, dashed: predicted ln τ from theory (${source.method})`);
      await write(
        `logtau-vs-${against}`,
        logTauSpec(
          {
            title: [`${scenario}: ln τ against ${against}`],
            subtitle,
            groupTitle: 'fitted line per group: slope b [95% interval]',
            groups,
            points,
            band,
            predicted: source ? predicted : [],
            measuredLabel: 'measured (95% interval)',
            predictedLabel: source?.label ?? 'predicted',
          },
          against,
        ),
      );
    }
  }

  // heatmap over the first two varying settings
  if (varying.length >= 2) await write(...heatmap(runs, varying, field, scenario));

  // Liu et al.'s phase diagram, where the summaries carry measures.phase (fractions of each phase)
  if (varying.length >= 2 && runs.every((r) => PHASES.every((ph) => valueAt(r, `measures.phase.${ph}`) !== null)))
    await write('phase-diagram', phaseMapSpec(phaseMap(runs, varying, scenario)));

  // survival curves
  const curves = runs.filter((r) => r.escape?.survival);
  if (curves.length > 0) {
    const labels = runLabels(curves, varying);
    const measured = curves.flatMap((r, i) =>
      r.escape!.survival.time.map((t, j) => ({ time: t, survival: r.escape!.survival.survival[j], run: labels[i] })),
    );
    const source = mfptSource(curves);
    const predicted = source
      ? curves.flatMap((r, i) => {
          const tau = r.prediction?.mfpt ?? 0;
          return tau > 0
            ? r.escape!.survival.time.map((t) => ({ time: t, survival: Math.exp(-t / tau), run: labels[i] }))
            : [];
        })
      : [];
    const { from, to } = curves[0].escape!;
    const subtitle = [
      `Kaplan-Meier estimate of the fraction of particles that started in ${from} and have not yet reached ${to}`,
    ];
    if (source) subtitle.push(`dashed: exp(-t/τ), τ = the predicted mean first-passage time (${source.method})`);
    await write(
      'survival',
      survivalSpec({
        title: [`${scenario}: survival in ${from}`],
        subtitle,
        runs: labels,
        runTitle: varying.length > 0 ? 'run (the settings that differ)' : 'run',
        measured,
        predicted,
        measuredLabel: 'measured (Kaplan-Meier)',
        predictedLabel: source ? `${source.label}: exp(-t/τ)` : 'predicted',
      }),
    );
  }
  // one run: its region populations over time (e.g. memorizing first, then generalizing)
  if (loaded.length === 1) {
    const plot = populationsPlot(loaded[0].source, scenario);
    if (plot) await write('populations', populationsSpec(plot));
  }
  if (written.length === 0)
    throw new PlotError(`${dir}: nothing to plot (no escapes and fewer than two varying settings)`);
  return written;
}

/** A run directory's populations.csv as a plot, or null without one (a scan's results.jsonl line). */
function populationsPlot(source: string, scenario: string): PopulationsPlot | null {
  const file = path.join(source, 'populations.csv');
  if (!fs.existsSync(file)) return null;
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const regions = head.split(',').slice(2);
  const rows = lines.map((l) => l.split(',').map(Number));
  const positive = rows.map((r) => r[1]).filter((t) => t > 0);
  const logTime = positive.length > 1 && Math.max(...positive) / Math.min(...positive) > 100;
  const points = rows
    .filter((r) => !logTime || r[1] > 0)
    .flatMap((r) => regions.map((region, i) => ({ time: r[1], fraction: r[2 + i], region })));
  return {
    title: [`${scenario}: region populations over time`],
    subtitle: [
      `fraction of the particles in each region at each recording (${path.basename(source)}/populations.csv); a particle counts in the first region whose rule holds`,
    ],
    regions,
    points,
    logTime,
  };
}

/** Light colours, so that the black cell labels read on each. */
const PHASE_COLORS = ['#8fd18a', '#8ab4e8', '#f6b26b', '#cccccc'];

function phaseMap(runs: Summary[], varying: string[], scenario: string): PhaseMapPlot {
  const [xName, yName] = [varying[0], varying[1]];
  const acc = new Map<string, { x: number; y: number; counts: number[]; n: number }>();
  for (const r of runs) {
    const [x, y] = [settingsOf(r)[xName], settingsOf(r)[yName]];
    const c = acc.get(`${x},${y}`) ?? { x, y, counts: PHASES.map(() => 0), n: 0 };
    PHASES.forEach((ph, i) => {
      c.counts[i] += Math.round(valueAt(r, `measures.phase.${ph}`)! * r.particles);
    });
    c.n += r.particles;
    acc.set(`${x},${y}`, c);
  }
  const cells = [...acc.values()].map((c) => {
    const top = c.counts.indexOf(Math.max(...c.counts));
    return { x: c.x, y: c.y, phase: PHASES[top], label: `${PHASES[top]}\n${c.counts.join('/')}`, n: c.n };
  });
  const sizes = [...new Set(cells.map((c) => c.n))];
  return {
    title: [`${scenario}: phase diagram over ${xName} x ${yName}`],
    subtitle: [
      "colour: the phase most networks of the cell are in (Liu et al.'s criteria, summary.json measures.phase);",
      `label: the phase, then the networks in comprehension/grokking/memorization/confusion (of ${sizes.join(' or ')} per cell)`,
    ],
    xName,
    yName,
    phases: PHASES,
    colors: PHASE_COLORS,
    cells,
  };
}

const LABEL_MAX = 13;
const LABEL_MIN = 7;

/** The largest label font size (LABEL_MIN..LABEL_MAX) at which every label fits its cell, or null. */
function labelSize(labels: string[], cellWidth: number, cellHeight: number): number | null {
  for (let s = LABEL_MAX; s >= LABEL_MIN; s--) {
    const fits = labels.every((l) => {
      const lines = l.split('\n');
      return lines.every((line) => textWidth(line, s) <= 0.9 * cellWidth) && lines.length * (s + 3) <= 0.9 * cellHeight;
    });
    if (fits) return s;
  }
  return null;
}

/** Splits a dotted field name into lines of at most about 160 px for the colour bar's title. */
function fieldTitle(field: string): string[] {
  const lines: string[] = [];
  for (const part of field.split('.')) {
    const last = lines.at(-1);
    if (last !== undefined && textWidth(`${last}.${part}`, 11, true) <= 160)
      lines[lines.length - 1] = `${last}.${part}`;
    else lines.push(last === undefined ? part : `.${part}`);
  }
  return lines;
}

export const THRESHOLD_LABEL = 'predicted threshold';

/**
 * The predicted threshold data size (prediction.threshold.dataSize: where generalizing overtakes memorizing
 * at equilibrium) in each row of a heatmap with dataSize on the x axis, and the caption that says what the
 * line is and its values; null when the axis is not dataSize or no run's prediction carries a threshold. A
 * row gets no line where its runs' thresholds differ (a third varying setting) or theory has none.
 */
function thresholdBoundary(
  runs: Summary[],
  xName: string,
  yName: string,
): { rows: { y: number; x: number }[]; caption: string } | null {
  // a family's extra in the prediction (grokking- and entropic-threshold), read from the summary's JSON
  const thresholdOf = (r: Summary) => valueAt(r, 'prediction.threshold.dataSize');
  if (xName !== 'dataSize' || !runs.some((r) => thresholdOf(r) !== null)) return null;
  const xs = runs.map((r) => settingsOf(r)[xName]);
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  const rows: { y: number; x: number }[] = [];
  const values: string[] = [];
  const outside: string[] = [];
  const none: string[] = [];
  for (const y of [...new Set(runs.map((r) => settingsOf(r)[yName]))].sort((a, b) => a - b)) {
    const ts = runs.filter((r) => settingsOf(r)[yName] === y).map(thresholdOf);
    const first = ts[0];
    const at = `${yName}=${y}`;
    if (first === null || ts.some((t) => t === null || Math.abs(t - first) > 1e-9 * Math.abs(first))) none.push(at);
    else {
      values.push(`${sig(first, 4)} at ${at}`);
      if (first < lo || first > hi) outside.push(at);
      else rows.push({ y, x: first });
    }
  }
  if (values.length === 0) return null;
  const same = none.length === 0 && new Set(values.map((v) => v.split(' at ')[0])).size === 1;
  const where = same ? `${values[0].split(' at ')[0]} at every ${yName}` : values.join(', ');
  const parts = [
    `black dashed line: the ${THRESHOLD_LABEL}, the ${xName} above which generalizing holds more of the particles than memorizing at equilibrium in theory (${where}), placed between the columns linearly in ${xName}`,
  ];
  if (outside.length > 0) parts.push(`not drawn at ${outside.join(', ')}: outside the scanned ${xName} range`);
  if (none.length > 0) parts.push(`no single predicted threshold at ${none.join(', ')}`);
  return { rows, caption: parts.join('; ') };
}

/** The heatmap of `field` over the first two varying settings (temperature on the y axis when it varies). */
function heatmap(
  runs: Summary[],
  varying: string[],
  field: string,
  scenario: string,
): [string, Parameters<typeof renderSpec>[0], string | undefined] {
  const [xName, yName] = varying.includes('temperature')
    ? [varying.find((k) => k !== 'temperature')!, 'temperature']
    : [varying[0], varying[1]];
  const region = /^populations\.mean\.(.+)$/.exec(field)?.[1] ?? null;
  const acc = new Map<string, { x: number; y: number; values: number[]; runs: Summary[] }>();
  for (const r of runs) {
    const v = valueAt(r, field);
    if (v === null) continue;
    const [x, y] = [settingsOf(r)[xName], settingsOf(r)[yName]];
    const c = acc.get(`${x},${y}`) ?? { x, y, values: [], runs: [] };
    c.values.push(v);
    c.runs.push(r);
    acc.set(`${x},${y}`, c);
  }
  if (acc.size === 0)
    throw new PlotError(
      `--field ${field}: not a number in these summaries (e.g. populations.mean.generalizing, escape.rate)`,
    );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cells = [...acc.values()].map((c) => {
    const preds = region === null ? [] : c.runs.map((r) => r.prediction?.populations?.[region]);
    const predicted = preds.length > 0 && preds.every((p) => typeof p === 'number') ? mean(preds as number[]) : null;
    return {
      x: c.x,
      y: c.y,
      value: mean(c.values),
      predicted,
      equilibrium: (region === null ? 'reached' : cellEquilibrium(c.runs)) as CellEquilibrium,
    };
  });
  const hasPrediction = cells.some((c) => c.predicted !== null);
  const labelOf = (c: (typeof cells)[number], withPrediction: boolean) =>
    [
      withPrediction && c.predicted !== null ? `${sig(c.value, 2)} (${sig(c.predicted, 2)})` : sig(c.value, 2),
      ...(c.equilibrium === 'not reached' ? ['not eq.'] : []),
    ].join('\n');
  const cellW = PLOT_WIDTH / new Set(cells.map((c) => c.x)).size;
  const cellH = PLOT_HEIGHT / new Set(cells.map((c) => c.y)).size;
  let withPrediction = hasPrediction;
  let size = labelSize(
    cells.map((c) => labelOf(c, withPrediction)),
    cellW,
    cellH,
  );
  if (size === null && withPrediction) {
    withPrediction = false;
    size = labelSize(
      cells.map((c) => labelOf(c, false)),
      cellW,
      cellH,
    );
  }
  const heatCells: HeatCell[] = cells.map((c) => ({
    x: c.x,
    y: c.y,
    value: c.value,
    label: size === null ? '' : labelOf(c, withPrediction),
    flagged: c.equilibrium === 'not reached',
  }));

  const subtitle: string[] = [];
  let title: string[];
  let note: string | undefined;
  if (region !== null) {
    const verdict = phaseDiagramVerdict(cells.map((c) => c.equilibrium));
    const tolerances = [
      ...new Set(
        runs
          .map(equilibriumOf)
          .filter((e) => e !== null)
          .map((e) => e.tolerance),
      ),
    ].filter((t) => Number.isFinite(t));
    const tol = tolerances.length === 1 ? ` (${sig(tolerances[0], 2)})` : '';
    if (verdict.isPhaseDiagram) {
      title = [`${scenario}: phase diagram of the ${region} fraction over ${xName} x ${yName}`];
      subtitle.push(
        `every point reached equilibrium: the mean populations of the third and fourth quarters of each run agree within the tolerance${tol}`,
      );
      // the quarter check passes a slow drift; theory's equilibrium, where there is one, is a second opinion
      const off = cells.filter(
        (c) => c.predicted !== null && tolerances.length === 1 && Math.abs(c.value - c.predicted) > tolerances[0],
      ).length;
      if (off > 0)
        subtitle.push(
          `but at ${off} of ${cells.length} points the measured fraction differs from the predicted equilibrium one by more than the tolerance: runs too short?`,
        );
    } else {
      title = [`${scenario}: ${region} fraction`, verdict.declined!];
      note = `heatmap of ${field}: ${verdict.declined}`;
      if (cells.some((c) => c.equilibrium === 'not reached'))
        subtitle.push(
          `outlined in red, "not eq.": not at equilibrium (a run there drifted between its third and fourth quarters by more than the tolerance${tol}, or was too short)`,
        );
      // a check that could not be made counts as not reached; say why
      const notes = runs.map((r) => equilibriumOf(r)?.note).filter((n) => n !== undefined);
      for (const n of new Set(notes)) subtitle.push(`${notes.filter((m) => m === n).length} run(s): ${n}`);
    }
    subtitle.push(
      `colour and cell labels: mean fraction of the particles in ${region} over the second half of the run${withPrediction ? `; in brackets: the predicted equilibrium fraction (${[...new Set(runs.map((r) => r.prediction?.method).filter((m) => m))].join('; ')})` : ''}`,
    );
  } else {
    title = [`${scenario}: ${field} over ${xName} x ${yName}`];
    subtitle.push(`colour and cell labels: ${field}, the mean over the runs at each point`);
  }
  const others = varying.filter((k) => k !== xName && k !== yName);
  if (others.length > 0) subtitle.push(`each cell is the mean over its runs, which differ in ${others.join(', ')}`);
  if (size === null) subtitle.push('cells too small to label: read the values from the colour bar');
  const boundary = region !== null ? thresholdBoundary(runs, xName, yName) : null;
  if (boundary) subtitle.push(boundary.caption);
  const spec = heatmapSpec({
    title,
    subtitle,
    xName,
    yName,
    colorTitle: region !== null ? [`${region} fraction`] : fieldTitle(field),
    cells: heatCells,
    labelSize: size ?? LABEL_MIN,
    ...(boundary ? { boundary: { label: THRESHOLD_LABEL, rows: boundary.rows } } : {}),
  });
  return [`heatmap-${field.replace(/[^A-Za-z0-9]+/g, '-')}`, spec, note];
}
