import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plotRuns } from '../../src/plot/plot-runs.js';
import { summary } from './fixtures.js';
import { tmpdir } from '../helpers/cli.js';
import { textBoxes } from './svg-text.js';

describe("plot: Liu et al.'s phase diagram from measures.phase", () => {
  it('colours each cell by its majority phase and labels it with the networks per phase', async () => {
    // two decoder learning rates x two weight decays, 16 networks each, phase fractions as liu-decoder writes them
    const cells: [number, number, number[]][] = [
      [0.001, 0, [2, 11, 2, 1]],
      [0.03, 0, [1, 1, 13, 1]],
      [0.001, 1, [0, 0, 0, 16]],
      [0.03, 1, [9, 3, 2, 2]],
    ];
    const dir = path.join(tmpdir(), 'scan');
    fs.mkdirSync(dir);
    const lines = cells.map(([etaDec, weightDecay, counts]) => {
      const s = summary({ parameters: { etaDec, weightDecay }, scenario: 'liu-decoder' });
      const [comprehension, grokking, memorization, confusion] = counts.map((c) => c / s.particles);
      return JSON.stringify({ ...s, measures: { phase: { comprehension, grokking, memorization, confusion } } });
    });
    fs.writeFileSync(path.join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
    const plots = await plotRuns(dir, {});
    const diagram = plots.find((p) => p.name === 'phase-diagram');
    expect(diagram).toBeDefined();
    const texts = textBoxes(fs.readFileSync(diagram!.svg, 'utf8')).boxes.map((t) => t.text);
    for (const [, , counts] of cells) expect(texts).toContain(counts.join('/'));
    // each majority once in a cell and once in the legend
    for (const phase of ['grokking', 'memorization', 'confusion', 'comprehension'])
      expect({ phase, times: texts.filter((t) => t === phase).length }).toEqual({ phase, times: 2 });
  });
});
