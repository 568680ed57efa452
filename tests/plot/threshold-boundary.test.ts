import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plotRuns, sig, THRESHOLD_LABEL, type WrittenPlot } from '../../src/plot/plot-runs.js';
import { PLOT_WIDTH } from '../../src/plot/specs.js';
import { cli, tmpdir } from '../helpers/cli.js';
import { grid, scanDir, type RunSpec } from './fixtures.js';
import { cutOffText, legendLabels, textBoxes } from './svg-text.js';

const HEATMAP = 'heatmap-populations-mean-generalizing';

const heatmapSvg = async (dir: string) => {
  const plots: WrittenPlot[] = await plotRuns(dir, { field: 'populations.mean.generalizing' });
  const p = plots.find((q) => q.name === HEATMAP);
  if (!p) throw new Error(`no heatmap among ${plots.map((q) => q.name).join(', ')}`);
  return fs.readFileSync(p.svg, 'utf8');
};

/** The heatmap's cells as drawn: each rect's dataSize and temperature (from its aria-label) and its box. */
function cellsOf(svg: string) {
  const re =
    /aria-label="dataSize: ([\d.]+); temperature: ([\d.]+);[^"]*" role="graphics-symbol" aria-roledescription="rect mark" d="M([\d.]+),([\d.]+)h([\d.]+)v([\d.]+)/g;
  return [...svg.matchAll(re)].map((m) => ({
    dataSize: Number(m[1]),
    temperature: Number(m[2]),
    x: Number(m[3]),
    y: Number(m[4]),
    w: Number(m[5]),
    h: Number(m[6]),
  }));
}

/**
 * Where the boundary should cross a row, from the drawn cells alone: the dataSize columns' centres, and the
 * threshold placed linearly in dataSize between the two neighbouring columns' values.
 */
function expectedX(cells: ReturnType<typeof cellsOf>, threshold: number): number {
  const centre = new Map(cells.map((c) => [c.dataSize, c.x + c.w / 2]));
  const values = [...centre.keys()].sort((a, b) => a - b);
  const i = values.findIndex((v, k) => k + 1 < values.length && threshold >= v && threshold <= values[k + 1]);
  if (i < 0) throw new Error(`threshold ${threshold} outside the columns ${values.join(', ')}`);
  const [a, b] = [values[i], values[i + 1]];
  return centre.get(a)! + ((threshold - a) / (b - a)) * (centre.get(b)! - centre.get(a)!);
}

/** The line marks' paths (the white halo and the dashed line), each as its list of points. */
function linesOf(svg: string) {
  const re = /aria-roledescription="line mark" d="([^"]+)"([^>]*)>/g;
  return [...svg.matchAll(re)].map((m) => ({
    dashed: /stroke-dasharray/.test(m[2]),
    points: [...m[1].matchAll(/[ML]([-\d.]+),([-\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])] as const),
  }));
}

/** Vega writes a line's path to 3 decimals: positions agree within this (px). */
const PX = 0.002;
const near = (a: number, b: number) => Math.abs(a - b) <= PX;

/** The x of the line's vertical stroke spanning the row [top, bottom], or null where it has none. */
function strokeInRow(points: (readonly [number, number])[], top: number, bottom: number): number | null {
  for (let i = 0; i + 1 < points.length; i++) {
    const [[x1, y1], [x2, y2]] = [points[i], points[i + 1]];
    if (near(x1, x2) && near(Math.min(y1, y2), top) && near(Math.max(y1, y2), bottom)) return x1;
  }
  return null;
}

const titleText = (svg: string) =>
  textBoxes(svg)
    .boxes.filter((b) => b.role.startsWith('title'))
    .map((b) => b.text)
    .join(' ');

/** For each temperature row: the x of the dashed line's stroke there and the x the cells put it at. */
function rowsOf(svg: string, thresholdAt: (temperature: number) => number) {
  const cells = cellsOf(svg);
  const dashed = linesOf(svg).filter((l) => l.dashed);
  expect(dashed).toHaveLength(1);
  const temperatures = [...new Set(cells.map((c) => c.temperature))].sort((a, b) => a - b);
  return temperatures.map((t) => {
    const row = cells.find((c) => c.temperature === t)!;
    const rowCells = cells.filter((c) => c.temperature === t);
    return {
      temperature: t,
      drawn: strokeInRow(dashed[0].points, row.y, row.y + row.h),
      expected: expectedX(rowCells, thresholdAt(t)),
    };
  });
}

describe('grokscape plot: the predicted threshold drawn on the dataSize x temperature heatmap', () => {
  // a threshold that moves with T (as grokking-threshold's): 1.25 at T = 0.4, 2.6 at T = 0.6
  const moving = (t: number) => (t === 0.4 ? 1.25 : 2.6);
  const withThreshold = (at: (t: number) => number | null): RunSpec[] =>
    grid(() => true).map((r) => ({ ...r, threshold: at(r.temperature!) }));

  it('draws it in each row at the threshold, placed linearly in dataSize between the columns', async () => {
    const svg = await heatmapSvg(scanDir(withThreshold(moving)));
    const rows = rowsOf(svg, moving);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.drawn, `row T=${r.temperature}`).not.toBeNull();
      expect(r.drawn!).toBeCloseTo(r.expected, 2);
    }
    // the columns are 520/3 px wide: 1.25 lies a quarter of the way from column 1's centre to column 2's, and
    // 2.6 lies 0.6 of the way from column 2's to column 3's (not at a column index, not at a column's edge)
    expect(rows[0].drawn!).toBeCloseTo(PLOT_WIDTH / 6 + 0.25 * (PLOT_WIDTH / 3), 2);
    expect(rows[1].drawn!).toBeCloseTo(PLOT_WIDTH / 2 + 0.6 * (PLOT_WIDTH / 3), 2);
    // the white halo follows the same path
    const halo = linesOf(svg).filter((l) => !l.dashed);
    expect(halo).toHaveLength(1);
    expect(halo[0].points).toEqual(linesOf(svg).find((l) => l.dashed)!.points);
    // named in the legend and in the caption, with its values
    expect(legendLabels(svg)).toContain(THRESHOLD_LABEL);
    const title = titleText(svg);
    expect(title).toContain('predicted threshold');
    expect(title).toContain('(1.250 at temperature=0.4, 2.600 at temperature=0.6)');
    expect(cutOffText(svg)).toEqual([]);
  });

  it('draws nothing where the predictions carry no threshold, and leaves out a row whose threshold is off the grid', async () => {
    const none = await heatmapSvg(scanDir(grid(() => true)));
    expect(linesOf(none)).toEqual([]);
    expect(legendLabels(none)).not.toContain(THRESHOLD_LABEL);
    expect(titleText(none)).not.toContain('predicted threshold');

    // 3.5 at T = 0.6 lies beyond the last column (dataSize 3): that row has no stroke, and the caption says why
    const offGrid = (t: number) => (t === 0.4 ? 1.5 : 3.5);
    const svg = await heatmapSvg(scanDir(withThreshold(offGrid)));
    const cells = cellsOf(svg);
    const dashed = linesOf(svg).find((l) => l.dashed)!;
    const row = (t: number) => cells.find((c) => c.temperature === t)!;
    expect(strokeInRow(dashed.points, row(0.4).y, row(0.4).y + row(0.4).h)).toBeCloseTo(PLOT_WIDTH / 3, 2);
    expect(strokeInRow(dashed.points, row(0.6).y, row(0.6).y + row(0.6).h)).toBeNull();
    expect(titleText(svg)).toContain('not drawn at temperature=0.6: outside the scanned dataSize range');
  });

  it('draws the threshold a real entropic-threshold scan predicts (1.545 at every T) between dataSize 1 and 2', () => {
    const out = path.join(tmpdir(), 'scan');
    const scan = cli([
      'scan',
      'entropic-threshold',
      '--grid',
      'dataSize=1,2,3',
      '--grid',
      'temperature=0.5,0.8',
      '--set',
      'particles=64',
      '--set',
      'steps=500',
      '--backend',
      'cpu',
      '--quiet',
      '--out',
      out,
    ]);
    expect(scan.code, scan.stderr).toBe(0);
    const thresholds = fs
      .readFileSync(path.join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).prediction.threshold.dataSize as number);
    expect(thresholds).toHaveLength(6);
    // entropic: no energy, so the threshold is the same at both temperatures (docs/scenarios.md: 1.545)
    for (const t of thresholds) expect(t).toBeCloseTo(1.5455, 3);
    const r = cli(['plot', out]);
    expect(r.code, r.stderr).toBe(0);
    const svg = fs.readFileSync(path.join(out, 'plots', `${HEATMAP}.svg`), 'utf8');
    const rows = rowsOf(svg, () => thresholds[0]);
    expect(rows.map((q) => q.temperature)).toEqual([0.5, 0.8]);
    for (const q of rows) {
      expect(q.drawn, `row T=${q.temperature}`).not.toBeNull();
      expect(q.drawn!).toBeCloseTo(q.expected, 2);
      // 0.5455 of the way from column 1's centre (520/6) to column 2's (520/2)
      expect(q.drawn!).toBeCloseTo(PLOT_WIDTH / 6 + (thresholds[0] - 1) * (PLOT_WIDTH / 3), 2);
    }
    expect(legendLabels(svg)).toContain(THRESHOLD_LABEL);
    expect(titleText(svg)).toContain(`(${sig(thresholds[0], 4)} at every temperature)`);
    expect(cutOffText(svg)).toEqual([]);
  }, 120_000);
});
