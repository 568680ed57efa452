import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as grokscape from '../../src/index.js';
import { listScenarios, loadScenario, predict, run, scan } from '../../src/index.js';
import { ROOT, tmpdir } from '../helpers/cli.js';

describe('the library API (src/index.ts)', () => {
  it('loads, runs and predicts a scenario: the MFPT agrees with the exact quadrature', async () => {
    expect(listScenarios().map((s) => s.name)).toContain('double-well');
    const s = loadScenario('double-well', { particles: 1024, steps: 120_000, temperature: 0.3 });
    const { summary, populations, escapes } = await run(s, { backend: 'cpu' });
    expect(summary).toMatchObject({ scenario: 'double-well', particles: 1024, stepsDone: 120_000, backend: 'cpu' });
    // a script's run does not pass for a grokscape command line
    expect(summary.command[0]).toBe('(library)');
    expect(populations.counts.at(-1)!.reduce((a, b) => a + b, 0)).toBe(1024);
    expect(escapes.steps.length).toBe(summary.escape!.events);
    // the exact MFPT lies inside the measured 95% interval, as on the CLI
    const exact = predict(s)!.mfpt!;
    expect(summary.escape!.mfptCI95[0]).toBeLessThan(exact);
    expect(summary.escape!.mfptCI95[1]).toBeGreaterThan(exact);
  });

  it('scans a temperature grid into a directory, resumes it, and fits the Eyring barrier from it', async () => {
    const out = path.join(tmpdir(), 'scan');
    const o = {
      grid: { temperature: [0.3, 0.4] },
      out,
      backend: 'cpu' as const,
      overrides: { particles: 512, steps: 40_000 },
    };
    const first = await scan('double-well', o);
    expect(first.results).toHaveLength(2);
    const again = await scan('double-well', o); // resumes: nothing left to run, same results
    expect(again.results).toEqual(first.results);
    // two temperatures determine the Eyring line: its slope from the exact MFPTs is what the fit estimates
    const exactK = (T: number) => 1 / predict(loadScenario('double-well', { temperature: T }))!.mfpt!;
    const dHExact = -(Math.log(exactK(0.4) / 0.4) - Math.log(exactK(0.3) / 0.3)) / (1 / 0.4 - 1 / 0.3);
    // (called through the namespace: a bare fit() reads as a focused test to the linter)
    const eyring = grokscape.fit([out]).groups[0].eyring!;
    expect(eyring.deltaHCI95[0]).toBeLessThan(dHExact);
    expect(eyring.deltaHCI95[1]).toBeGreaterThan(dHExact);
  });

  it('is what the package exports, compiled with type declarations (npm run build)', () => {
    const dist = path.join(ROOT, 'dist/index.js');
    const newest = (dir: string): number =>
      Math.max(
        ...fs
          .readdirSync(dir, { withFileTypes: true })
          .map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs)),
      );
    if (!fs.existsSync(dist) || fs.statSync(dist).mtimeMs < newest(path.join(ROOT, 'src'))) {
      execFileSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
        { cwd: ROOT },
      );
    }
    expect(fs.existsSync(path.join(ROOT, 'dist/index.d.ts'))).toBe(true);
    // the package imports itself by name through package.json "exports"
    const script =
      "import * as g from 'grokscape'; console.log(JSON.stringify({ names: Object.keys(g).sort(), version: g.VERSION, mfpt: g.predict(g.loadScenario('double-well')).mfpt }));";
    const outText = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const got = JSON.parse(outText);
    expect(got.names).toEqual(['VERSION', 'fit', 'listScenarios', 'loadScenario', 'predict', 'run', 'scan']);
    expect(got.version).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(got.mfpt).toBeCloseTo(predict(loadScenario('double-well'))!.mfpt!, 10);
  });
});
