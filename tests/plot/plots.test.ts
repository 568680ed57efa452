import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { plotRuns, runLabels, sig, type WrittenPlot } from '../../src/plot/plot-runs.js';
import { fitRuns } from '../../src/report/fit-runs.js';
import { loadRuns } from '../../src/report/load-runs.js';
import { cli } from '../helpers/cli.js';
import { grid, scanDir, summary, sweepDir, type RunSpec } from './fixtures.js';
import { cutOffText, legendLabels, textBoxes } from './svg-text.js';

// the default field (populations.mean.generalizing): a --field is refused where no heatmap is drawn
const plot = (dir: string, against?: string) => plotRuns(dir, against ? { against } : {});
const svgOf = (plots: WrittenPlot[], name: string) => {
  const p = plots.find((q) => q.name === name);
  if (!p) throw new Error(`no plot ${name} among ${plots.map((q) => q.name).join(', ')}`);
  return fs.readFileSync(p.svg, 'utf8');
};
/** The lines of the title block (title and subtitle), joined by spaces. */
const titleText = (svg: string) =>
  textBoxes(svg)
    .boxes.filter((b) => b.role.startsWith('title'))
    .map((b) => b.text)
    .join(' ');
/** Text drawn as marks (the heatmap's cell labels), one line each. */
const markText = (svg: string) =>
  textBoxes(svg)
    .boxes.filter((b) => b.role === 'mark')
    .map((b) => b.text);

describe('svg-text (the checker the plot tests use)', () => {
  const svg = (body: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><g transform="translate(10,20)">${body}</g></svg>`;
  const text = (attrs: string, t: string) => `<text font-size="10px" ${attrs}>${t}</text>`;

  it('passes text inside the canvas and finds text that leaves it, by anchor, rotation and nesting', () => {
    expect(cutOffText(svg(text('transform="translate(0,10)"', 'inside')))).toEqual([]);
    // 30 characters at 6 px from x = 10 + 170 end past 200
    expect(cutOffText(svg(text('transform="translate(170,10)"', 'x'.repeat(30))))).toHaveLength(1);
    // the same text ending at the anchor (text-anchor end) fits
    expect(cutOffText(svg(text('text-anchor="end" transform="translate(185,10)"', 'x'.repeat(30))))).toEqual([]);
    // centred on x = 10: half of 60 px lies left of 0
    expect(cutOffText(svg(text('text-anchor="middle" transform="translate(0,10)"', 'x'.repeat(10))))).toHaveLength(1);
    // a rotated axis title 120 px long, centred at y = 20 + 40, runs off the top and the bottom
    const rotated = text('text-anchor="middle" transform="translate(0,40) rotate(-90)"', 'y'.repeat(20));
    const boxes = textBoxes(svg(rotated)).boxes;
    expect(boxes[0].x2 - boxes[0].x1).toBeCloseTo(10 * 1.05);
    expect(boxes[0].y2 - boxes[0].y1).toBeCloseTo(120);
    expect(cutOffText(svg(rotated))).toHaveLength(1);
    // nested group translations add up: 10 + 100 + 95 + 6 > 200
    expect(cutOffText(svg(`<g transform="translate(100,0)">${text('transform="translate(95,10)"', 'x')}</g>`))).toEqual(
      [expect.stringMatching(/leaves the 200 x 100 canvas/)],
    );
    // multi-line text: the second <tspan> line sits a line lower, here below the canvas
    const twoLines = text('transform="translate(0,60)"', '<tspan>one</tspan><tspan x="0" dy="30">two</tspan>');
    expect(textBoxes(svg(twoLines)).boxes.map((b) => b.text)).toEqual(['one', 'two']);
    expect(cutOffText(svg(twoLines))).toEqual([expect.stringMatching(/^"two"/)]);
  });

  it('finds text Vega shortened with an ellipsis', () => {
    expect(cutOffText(svg(text('transform="translate(0,10)"', 'dataSize=1, temper…')))).toEqual([
      '"dataSize=1, temper…" is truncated',
    ]);
  });
});

describe('grokscape plot figures', () => {
  // the dataSize x temperature grid at equilibrium, plotted once for the tests that read it
  const reachedRuns = grid(() => true);
  let reached: Promise<{ dir: string; plots: WrittenPlot[] }> | undefined;
  const plotReached = () => {
    reached ??= (async () => {
      const dir = scanDir(reachedRuns);
      return { dir, plots: await plot(dir) };
    })();
    return reached;
  };

  it('keeps every text element of every plot kind inside the canvas, none shortened', async () => {
    const runs: RunSpec[] = [
      ...grid(() => true).map((r) => ({ ...r, parameters: { ...r.parameters, regularization: 0 } })),
      // a third varying setting and repeats with other seeds: long legend labels, more groups
      ...[0.4, 0.6].flatMap((temperature) =>
        [1, 2, 3].map((dataSize) => ({
          parameters: { dataSize, regularization: 0.001 },
          temperature,
          seed: 7,
          events: 30 + 10 * dataSize,
          exposure: 900,
          reached: false,
        })),
      ),
    ].map((r) => ({ ...r, scenario: 'a-scenario-with-a-rather-long-descriptive-name-for-the-titles' }));
    for (const plots of [(await plotReached()).plots, await plot(scanDir(runs))]) {
      expect(plots.map((p) => p.name).sort()).toEqual([
        'eyring',
        'heatmap-populations-mean-generalizing',
        'logtau-vs-dataSize',
        'survival',
      ]);
      for (const p of plots)
        expect({ plot: p.name, cut: cutOffText(svgOf(plots, p.name)) }).toEqual({ plot: p.name, cut: [] });
    }
    // a sweep directory: the hysteresis loop, with a long title, with and without the prediction, and another field
    const long = 'a-scenario-with-a-rather-long-descriptive-name-for-the-titles';
    for (const [dir, field] of [
      [sweepDir({ scenario: long }), undefined],
      [sweepDir({ scenario: long, predicted: false }), undefined],
      [sweepDir({ values: [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5] }), 'observableMean'],
    ] as const) {
      const plots = await plotRuns(dir, { ...(field ? { field } : {}) });
      expect(plots.map((p) => p.name)).toEqual([field ? `hysteresis-${field}` : 'hysteresis']);
      expect({ dir, cut: cutOffText(svgOf(plots, plots[0].name)) }).toEqual({ dir, cut: [] });
    }
  });

  it('every figure carries what it was drawn from: SVG metadata and a PNG text chunk with a valid CRC', async () => {
    const runs: RunSpec[] = [0.4, 0.6].flatMap((temperature) =>
      [1, 2].map((seed) => ({ temperature, seed, events: 20 + seed, exposure: 300 })),
    );
    const plots = [...(await plot(scanDir(runs))), ...(await plotRuns(sweepDir({}), {}))];
    expect(plots.length).toBeGreaterThanOrEqual(3);
    for (const p of plots) {
      const svg = fs.readFileSync(p.svg, 'utf8');
      const m = /<metadata id="grokscape">([^<]*)<\/metadata>/.exec(svg);
      expect(m, p.name).not.toBeNull();
      const meta = JSON.parse(m![1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
      expect(meta.drawnBy.version).toMatch(/^\d+\.\d+\.\d+/);
      // the PNG's chunks: the grokscape tEXt holds the same JSON, its CRC right, IEND still last
      const png = fs.readFileSync(p.png);
      const chunks: { type: string; data: Buffer; crc: number }[] = [];
      for (let at = 8; at < png.length; ) {
        const n = png.readUInt32BE(at);
        chunks.push({
          type: png.toString('latin1', at + 4, at + 8),
          data: png.subarray(at + 8, at + 8 + n),
          crc: png.readUInt32BE(at + 8 + n),
        });
        at += 12 + n;
      }
      expect(chunks.at(-1)!.type).toBe('IEND');
      const text = chunks.find((c) => c.type === 'tEXt' && c.data.toString('latin1').startsWith('grokscape\0'));
      expect(text, p.name).toBeDefined();
      expect(text!.crc).toBe(zlib.crc32(Buffer.concat([Buffer.from('tEXt'), text!.data])));
      expect(JSON.parse(text!.data.toString('latin1').slice('grokscape\0'.length))).toEqual(meta);
      if (p.name.startsWith('hysteresis')) expect(meta).toMatchObject({ seed: expect.any(Number), backend: 'cpu' });
      else expect(meta).toMatchObject({ seeds: [1, 2, 1, 2], runs: 4, varying: ['temperature'] });
    }
  });

  it('draws the ln τ fit with its equation (the fit grokscape fit --against reports) and the predicted series', async () => {
    const { dir, plots } = await plotReached();
    const svg = svgOf(plots, 'logtau-vs-dataSize');
    const report = fitRuns(loadRuns([dir]), 'dataSize');
    expect(report.groups).toHaveLength(2);
    for (const g of report.groups) {
      const f = g.logTime!;
      const line = `temperature=${g.fixed.temperature}: ln τ = ${sig(f.intercept)} + b·dataSize, b = ${sig(f.slope)} [${sig(f.slopeCI95[0])}, ${sig(f.slopeCI95[1])}]`;
      expect(legendLabels(svg)).toContain(line);
    }
    expect(legendLabels(svg)).toContain('predicted (exact theory)');
    expect(legendLabels(svg)).toContain('measured (95% interval)');
    // six hollow diamonds (three data sizes x two temperatures) and two dashed lines
    const diamond = /aria-roledescription="point"[^>]*d="M-[\d.]+,0L0,-[\d.]+L[\d.]+,0L0,[\d.]+Z"/g;
    expect(svg.match(diamond) ?? []).toHaveLength(6);
    expect(svg.match(/stroke-dasharray="6,4"/g) ?? []).toHaveLength(2);
  });

  it('states the Eyring fit with its intervals and draws the predicted rates', async () => {
    const svg = svgOf((await plotReached()).plots, 'eyring');
    const labels = legendLabels(svg);
    for (const d of [1, 2, 3])
      expect(labels).toContainEqual(
        expect.stringMatching(new RegExp(`^dataSize=${d}: ΔH‡ = \\S+ \\[\\S+, \\S+\\], ΔS‡ = \\S+ \\[\\S+, \\S+\\]$`)),
      );
    expect(labels).toContain('predicted (exact theory)');
  });

  it('labels heatmap cells with the measured value and, in brackets, the predicted one', async () => {
    const runs = reachedRuns;
    const svg = svgOf((await plotReached()).plots, 'heatmap-populations-mean-generalizing');
    const cells = markText(svg);
    for (const r of runs) expect(cells).toContain(`${sig(r.generalizing!, 2)} (${sig(r.predictedGeneralizing!, 2)})`);
    expect(titleText(svg)).toContain('in brackets: the predicted equilibrium fraction');
    // the colour bar's title is whole
    expect(
      textBoxes(svg)
        .boxes.filter((b) => b.role === 'legend-title')
        .map((b) => b.text),
    ).toEqual(['generalizing fraction']);
  });

  it('calls the heatmap a phase diagram only when every point reached equilibrium', async () => {
    const heat = async (runs: RunSpec[]) => {
      const plots = runs === reachedRuns ? (await plotReached()).plots : await plot(scanDir(runs));
      const p = plots.find((q) => q.name === 'heatmap-populations-mean-generalizing')!;
      const svg = svgOf(plots, p.name);
      return { title: titleText(svg), cells: markText(svg), note: p.note };
    };
    const all = await heat(reachedRuns);
    expect(all.title).toMatch(/^hand-made: phase diagram of the generalizing fraction/);
    expect(all.title).not.toContain('not a phase diagram');
    expect(all.cells).toHaveLength(6);
    expect(all.cells).not.toContain('not eq.');
    expect(all.note).toBeUndefined();

    const one = await heat(grid((d, t) => !(d === 3 && t === 0.6)));
    expect(one.title).not.toMatch(/phase diagram of/);
    expect(one.title).toContain('not a phase diagram: 1 of 6 points had not reached equilibrium');
    expect(one.cells.filter((c) => c === 'not eq.')).toHaveLength(1);
    expect(one.note).toMatch(/^heatmap of populations\.mean\.generalizing: not a phase diagram: 1 of 6 points/);

    const old = await heat(grid(() => undefined));
    expect(old.title).not.toMatch(/phase diagram of/);
    expect(old.title).toContain('equilibrium not checked (results from an older grokscape)');
    expect(old.note).toContain('equilibrium not checked (results from an older grokscape)');

    // a field that is not a population is neither a phase diagram nor checked
    const rate = await plotRuns(scanDir(grid(() => false)), { field: 'escape.rate' });
    const rateSvg = svgOf(rate, 'heatmap-escape-rate');
    expect(titleText(rateSvg)).not.toContain('phase diagram');
    expect(rate.find((p) => p.name === 'heatmap-escape-rate')!.note).toBeUndefined();
  });

  it('prints one line on stderr when it declines the phase-diagram title', () => {
    const r = cli(['plot', scanDir(grid((d) => d !== 2))]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'grokscape: note: heatmap of populations.mean.generalizing: not a phase diagram: 2 of 6 points had not reached equilibrium\n',
    );
  });

  it('names survival curves by what differs between runs, never twice the same', async () => {
    const repeats: RunSpec[] = [0.4, 0.6].flatMap((temperature) =>
      [1, 2].map((seed) => ({ temperature, seed, events: 20 + seed, exposure: 300 })),
    );
    const svg = svgOf(await plot(scanDir(repeats)), 'survival');
    const labels = legendLabels(svg);
    expect(labels).toEqual(
      expect.arrayContaining([
        'temperature=0.4, seed=1',
        'temperature=0.4, seed=2',
        'temperature=0.6, seed=1',
        'temperature=0.6, seed=2',
        'measured (Kaplan-Meier)',
        'predicted (exact theory): exp(-t/τ)',
      ]),
    );
    expect(new Set(labels).size).toBe(labels.length);
    // settings and seeds alike: numbered; one run alone: its seed
    const same = [summary({ seed: 3 }), summary({ seed: 3 })];
    expect(runLabels(same, [])).toEqual(['seed=3 (run 1)', 'seed=3 (run 2)']);
    expect(runLabels([summary({ seed: 3 })], [])).toEqual(['seed=3']);
    expect(runLabels([summary({ temperature: 0.3 }), summary({ temperature: 0.4 })], ['temperature'])).toEqual([
      'temperature=0.3',
      'temperature=0.4',
    ]);
  });
});
