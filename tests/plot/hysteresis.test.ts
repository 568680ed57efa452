import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { meanField, type NetworkParams } from '../../src/landscape/families/first-order-network/theory.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { plotRuns } from '../../src/plot/plot-runs.js';
import { PLOT_HEIGHT, PLOT_WIDTH, hysteresisLayerName, type HysteresisSeries } from '../../src/plot/specs.js';
import type { SweepSummary } from '../../src/scan/sweep-files.js';
import { cli, tmpdir } from '../helpers/cli.js';
import { cutOffText, legendLabels, textBoxes } from './svg-text.js';

/** The pixel points of a series' line (the path Vega wrote in the group of that layer's marks) and its colour. */
function linePath(svg: string, series: HysteresisSeries): { points: [number, number][]; stroke: string } | null {
  const group = new RegExp(
    `<g class="mark-line role-mark ${hysteresisLayerName(series)}_marks"[^>]*><path [^>]*d="([^"]+)"[^>]*stroke="([^"]+)"`,
  ).exec(svg);
  if (!group) return null;
  const points = [...group[1].matchAll(/[ML]([-\d.e]+),([-\d.e]+)/g)].map(
    (m) => [Number(m[1]), Number(m[2])] as [number, number],
  );
  return { points, stroke: group[2] };
}

/** The fill of the legend symbol beside `label`. */
function legendColour(svg: string, label: string): string | null {
  const entries = svg.split('<g class="mark-symbol role-legend-symbol"').slice(1);
  const entry = entries.find((e) => new RegExp(`<text[^>]*>${label}</text>`).test(e.split('role-legend-symbol')[0]));
  return entry ? (/ fill="([^"]+)"/.exec(entry)?.[1] ?? null) : null;
}

/** `grokscape sweep` on cpu into a fresh directory, which it returns. */
function sweepOnCpu(scenario: string, param: string, steps: number, particles: number): string {
  const dir = path.join(tmpdir(), 'sweep');
  const args = ['--param', param, '--steps', String(steps), '--set', `particles=${particles}`];
  const run = cli(['sweep', scenario, ...args, '--backend', 'cpu', '--quiet', '--out', dir]);
  expect(run.code, run.stderr).toBe(0);
  return dir;
}

describe('grokscape plot on a sweep directory: the hysteresis loop', () => {
  let dir: string;
  let sweep: SweepSummary;
  let svg: string;
  let stdout: string;

  beforeAll(() => {
    dir = sweepOnCpu('first-order', 'u=200:500:100', 300, 128);
    const plot = cli(['plot', dir]);
    expect(plot.code, plot.stderr).toBe(0);
    stdout = plot.stdout;
    sweep = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as SweepSummary;
    svg = fs.readFileSync(path.join(dir, 'plots', 'hysteresis.svg'), 'utf8');
  }, 120_000);

  // the plot's scales: x from the smallest to the largest value, y the fraction 0..1, no padding
  const px = (u: number) => ((u - 200) / (500 - 200)) * PLOT_WIDTH;
  const py = (f: number) => (1 - f) * PLOT_HEIGHT;
  const expectAt = (got: [number, number][], want: [number, number][]) => {
    expect(got).toHaveLength(want.length);
    got.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(px(want[i][0]), 2);
      expect(y).toBeCloseTo(py(want[i][1]), 2);
    });
  };
  const branch = (b: 'up' | 'down') =>
    sweep.rows
      .filter((r) => r.branch === b)
      .map((r) => [r.value, r.populations.ordered] as [number, number])
      .sort((p, q) => p[0] - q[0]);

  it('writes plots/hysteresis.svg and .png and names them on stdout', () => {
    expect(fs.readdirSync(path.join(dir, 'plots')).sort()).toEqual(['hysteresis.png', 'hysteresis.svg']);
    expect(stdout).toMatch(/hysteresis\.svg\n.*hysteresis\.png \(\d+x\d+\)\n$/);
  });

  it('draws the up and the down branch through the recorded populations of the target region', () => {
    // the check below can only tell the branches apart if they differ: they do here (the loop)
    const [up, down] = [branch('up'), branch('down')];
    expect(up).toHaveLength(4);
    expect(down).toHaveLength(4);
    expect(Math.max(...up.map((p, i) => Math.abs(p[1] - down[i][1])))).toBeGreaterThan(0.1);
    const upLine = linePath(svg, 'up');
    const downLine = linePath(svg, 'down');
    expect(upLine).not.toBeNull();
    expect(downLine).not.toBeNull();
    expectAt(upLine!.points, up);
    expectAt(downLine!.points, down);
    // and each line has the colour its legend entry shows: swapped labels would fail here
    expect(legendColour(svg, 'up')).toBe(upLine!.stroke);
    expect(legendColour(svg, 'down')).toBe(downLine!.stroke);
    expect(upLine!.stroke).not.toBe(downLine!.stroke);
    // markers point in the direction of travel: right-pointing triangles on the up branch, left on the down
    const markers = (s: string) =>
      svg.match(new RegExp(`aria-label="[^"]*series: ${s}"[^>]*aria-roledescription="point"[^>]*d="([^"]+)"`, 'g')) ??
      [];
    expect(markers('up')).toHaveLength(4);
    expect(markers('down')).toHaveLength(4);
    for (const m of markers('up')) expect(m).toMatch(/d="M[\d.]+,0L-/); // apex on the right
    for (const m of markers('down')) expect(m).toMatch(/d="M-[\d.]+,0L[\d.]/); // apex on the left
  });

  it('draws the predicted equilibrium at every value, labelled as such', () => {
    const predicted = [...new Map(sweep.rows.map((r) => [r.value, r.predicted!.ordered])).entries()].sort(
      (p, q) => p[0] - q[0],
    );
    expect(predicted).toHaveLength(4);
    const line = linePath(svg, 'equilibrium (predicted)');
    expect(line).not.toBeNull();
    expectAt(line!.points, predicted);
    expect(svg).toMatch(/equilibrium_predicted_marks"[^>]*><path [^>]*stroke-dasharray="6,4"/);
    expect(legendLabels(svg)).toEqual(['up', 'down', 'equilibrium (predicted)']);
  });

  it('names the scenario and the dwell in the title, and keeps every text inside the canvas', () => {
    const title = textBoxes(svg)
      .boxes.filter((b) => b.role.startsWith('title'))
      .map((b) => b.text)
      .join(' ');
    expect(title).toMatch(/^first-order: hysteresis in u, 300 steps \(0\.6 time units\) per value/);
    expect(cutOffText(svg)).toEqual([]);
  });

  it('plots another row field with --field, without a prediction where sweep.json has none', async () => {
    const [p] = await plotRuns(dir, { field: 'observableAbsMean' });
    expect(p.name).toBe('hysteresis-observableAbsMean');
    const other = fs.readFileSync(p.svg, 'utf8');
    expect(linePath(other, 'up')).not.toBeNull();
    expect(linePath(other, 'equilibrium (predicted)')).toBeNull();
    expect(legendLabels(other)).toEqual(['up', 'down']);
    expect(cutOffText(other)).toEqual([]);
    // a region by name gives the default plot's line
    const [q] = await plotRuns(dir, { field: 'ordered' });
    expectAt(linePath(fs.readFileSync(q.svg, 'utf8'), 'up')!.points, branch('up'));
    await expect(plotRuns(dir, { field: 'nonsense' })).rejects.toThrow(/--field nonsense: not a number/);
    await expect(plotRuns(dir, { against: 'u' })).rejects.toThrow(/--against u/);
  });
});

describe('a model family sweep: the equilibrium of the observable from the family theory', () => {
  // first-order-network's theory gives the equilibrium ordered fraction (its observable's mean) at each u by
  // the wide-network mean field; the sweep records it as predicted.observableMean and plot draws it
  it('sweep.json carries the mean-field ordered fraction and plot --field observableMean draws it', async () => {
    const dir = sweepOnCpu('first-order-network', 'u=400:800:400', 100, 8);
    const sweep = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as SweepSummary;
    const s = resolveScenario('first-order-network');
    for (const row of sweep.rows) {
      const q = { ...s.parameters, u: row.value } as unknown as NetworkParams;
      expect(row.predicted?.observableMean).toBeCloseTo(meanField(q, s.temperature).ordered, 12);
    }
    const [p] = await plotRuns(dir, { field: 'observableMean' });
    const line = linePath(fs.readFileSync(p.svg, 'utf8'), 'equilibrium (predicted)');
    expect(line?.points).toHaveLength(2);
  }, 120_000);
});
