import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError, tmpdir } from '../helpers/cli.js';

describe('parallelogram on the command line', () => {
  it('predict prints lambda_3 and 1/(lambda_3 dt) of the shipped training set', () => {
    const r = cli(['predict', 'parallelogram', '--json']);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.structure.lambda3).toBeCloseTo(0.7224, 3);
    expect(p.structure.predictedSteps).toBeCloseTo(138.4, 0);
    expect(p.structure.hessianEigenvalues.slice(0, 2)).toEqual([0, 0]);
  });

  it('refuses bad input in one line with exit code 2', () => {
    const bad = cli(['predict', 'parallelogram', '--set', 'trainFraction=1.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/parameters\.trainFraction: must be in \[0, 1\], got 1\.5/);
    const region = cli(['phases', 'parallelogram-phases', '--train', 'nope', '--set', 'steps=10']);
    expect(region.code).toBe(2);
    expect(region.stderr.trim().split('\n')).toHaveLength(1);
    expect(region.stderr).toMatch(/--train nope: .* has no region 'nope' \(regions: validated, fitted\)/);
  });

  it('phases writes one classified row per grid point', () => {
    const r = cli([
      'phases',
      'parallelogram-phases',
      '--grid',
      'trainFraction=0.3,0.6',
      '--set',
      'steps=600',
      '--set',
      'particles=16',
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).rows as { values: { trainFraction: number }; phase: string }[];
    expect(rows.map((x) => x.values.trainFraction)).toEqual([0.3, 0.6]);
    // r = 0.3 (dataSeed 2): lambda_3 = 0, training fits but validation cannot: memorization
    expect(rows[0].phase).toBe('memorization');
    expect(rows[1].phase).toBe('comprehension');
  });

  it('fit --structure: over a trainFraction x dataSeed scan, the fraction reaching the structure equals the exact P(lambda_3 > 0)', () => {
    const out = path.join(tmpdir(), 'pg');
    const scan = cli([
      'scan',
      'parallelogram',
      '--grid',
      'trainFraction=0.3,0.6',
      '--grid',
      'dataSeed=1:3:1',
      '--set',
      'particles=16',
      '--set',
      'steps=2000',
      '--backend',
      'cpu',
      '--quiet',
      '--out',
      out,
    ]);
    expect(scan.code).toBe(0);
    const fit = cli(['fit', out, '--structure', '--json']);
    expect(fit.code).toBe(0);
    const rows = JSON.parse(fit.stdout).rows as {
      trainFraction: number;
      trainingSets: number;
      reached: number;
      unique: number;
    }[];
    expect(rows.map((r) => [r.trainFraction, r.trainingSets])).toEqual([
      [0.3, 3],
      [0.6, 3],
    ]);
    for (const r of rows) expect(r.reached).toBe(r.unique);
    const foreign = cli(['fit', out, path.join(tmpdir(), 'none'), '--structure']);
    expect(foreign.code).toBe(2);
    const dw = path.join(tmpdir(), 'dw');
    expect(
      cli([
        'run',
        'double-well',
        '--set',
        'particles=64',
        '--set',
        'steps=100',
        '--backend',
        'cpu',
        '--quiet',
        '--out',
        dw,
      ]).code,
    ).toBe(0);
    const mixed = cli(['fit', out, dw, '--structure']);
    expect(mixed.code).toBe(2);
    expect(expectOneLineError(mixed)).toMatch(
      /--structure: needs runs of the parallelogram family; .* is a run of double-well/,
    );
  }, 120_000);
});
