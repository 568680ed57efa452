import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tmpdir, writeScenario } from '../helpers/cli.js';

describe('linear-separability: the overfitting-then-generalizing curve of one run', () => {
  // Near the edge (lambda = 0.45, d = 20), from |w| ~ 1: gradient descent first fits every training point
  // (memorizing: all training margins positive, fresh accuracy below the threshold), and only later reaches
  // the fresh accuracy Phi(b/|w|) >= 0.999 (generalizing: b must outgrow |w| by 3.1, and b grows like ln t).
  // At the default threshold 0.95 the same happens within about 10 steps. populations.csv holds the curve.
  it('memorizing peaks before generalizing takes over; plot draws populations.svg from populations.csv', () => {
    const dir = path.join(tmpdir(), 'run');
    const file = writeScenario(
      [
        'name: edge',
        'description: near the edge of separability',
        'landscape: { family: linear-separability }',
        'parameters: { d: 20, lambda: 0.45, initScale: 1, accuracy: 0.999 }',
        'temperature: 0',
        'dt: 1',
        'steps: 4000',
        'particles: 256',
        'seed: 1',
        'record: { every: 4 }',
      ].join('\n'),
    );
    const run = cli(['run', file, '--backend', 'webasm', '--out', dir, '--quiet']);
    expect(run.code).toBe(0);
    const [head, ...lines] = fs.readFileSync(path.join(dir, 'populations.csv'), 'utf8').trim().split('\n');
    const cols = head.split(',');
    const rows = lines.map((l) => l.split(',').map(Number));
    const at = (name: string) => rows.map((r) => r[cols.indexOf(name)]);
    const mem = at('memorizing');
    const gen = at('generalizing');
    const peak = mem.indexOf(Math.max(...mem));
    // a majority memorizes first, while few generalize; at the end most generalize and few still memorize
    expect(mem[peak]).toBeGreaterThan(0.5);
    expect(gen[peak]).toBeLessThan(0.25);
    expect(gen.at(-1)!).toBeGreaterThan(0.6);
    expect(mem.at(-1)!).toBeLessThan(mem[peak] / 2);
    const half = gen.findIndex((g) => g >= 0.5);
    expect(half).toBeGreaterThan(peak);
    const plot = cli(['plot', dir]);
    expect(plot.code).toBe(0);
    const svg = fs.readFileSync(path.join(dir, 'plots', 'populations.svg'), 'utf8');
    for (const name of ['memorizing', 'generalizing', 'region populations over time']) expect(svg).toContain(name);
  }, 120_000);
});
