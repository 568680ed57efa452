import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/report/format.js';
import { runnableBackends } from '../helpers/backends.js';
import { BIN, cli, tmpdir, writeScenario } from '../helpers/cli.js';

const summaryOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));

describe.runIf(runnableBackends.includes('webgpu'))('the CLI on webgpu', () => {
  // A terminal, a file or a shell pipe, as a user's stderr is. (When stderr is a socket, as under Node's own
  // child_process pipes, fd 2 cannot be reopened and Dawn's two adapter lines still pass: docs/limits.md.)
  it.each(['file', 'shell pipe'])(
    "a webgpu run's stderr (%s) holds only grokscape's own lines: no Dawn warning",
    (kind) => {
      // the funnel has an auxiliary stage (its shared kappa(s)), the kernel shape that crashed on webgpu in 0.2.0
      const dir = tmpdir();
      const out = path.join(dir, 'r');
      const errFile = path.join(dir, 'stderr.txt');
      const args = [
        BIN,
        'run',
        'entropic-funnel',
        '--backend',
        'webgpu',
        '--set',
        'particles=64',
        '--set',
        'steps=400',
        '--out',
        out,
      ];
      const env = { ...process.env, GROKSCAPE_DEBUG: '' };
      const r =
        kind === 'file'
          ? spawnSync(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', fs.openSync(errFile, 'w')] })
          : spawnSync(
              '/bin/sh',
              ['-c', `"$0" "$@" 2>&1 >/dev/null | cat > ${JSON.stringify(errFile)}`, process.execPath, ...args],
              { cwd: dir, env },
            );
      expect(r.status).toBe(0);
      const s = summaryOf(out);
      expect(s.backend).toBe('webgpu');
      expect(s.adapter).toMatch(/\S/);
      const lines = fs.readFileSync(errFile, 'utf8').split('\n');
      expect(lines[0]).toMatch(/^grokscape: backend webgpu \(requested, adapter .+\)$/);
      const summaryAt = lines.findIndex((l) => l.startsWith('entropic-funnel: 64 particles'));
      for (const line of lines.slice(1, summaryAt)) expect(line).toMatch(/^step \d+\/400 /); // progress lines
      expect(lines.slice(summaryAt).join('\n')).toBe(`${formatSummary(s)}\nresults in ${out}\n`);
    },
  );

  it('a user formula with shared costly terms runs on webgpu and agrees with cpu', () => {
    // exp(-x^2) appears in both gradient entries: the formula compiler hoists it into the auxiliary stage
    const file = writeScenario(`name: held-out-channel
description: a double well whose transverse stiffness narrows away from the saddle
dimensions: [x, y]
potential: "x^4/4 - x^2/2 + 0.1*x + (1 + 3*exp(-x^2)) * y^2 / 2"
temperature: 0.3
dt: 0.002
steps: 3000
particles: 256
seed: 11
start: { x: -1, y: 0 }
regions:
  memorizing: "x < 0"
  generalizing: "x > 0.8"
escape: { from: memorizing, to: generalizing }
record: { every: 500 }
`);
    const run = (backend: string) => {
      const out = path.join(tmpdir(), backend);
      const r = cli(['run', file, '--backend', backend, '--quiet', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      return summaryOf(out);
    };
    const [cpu, gpu] = [run('cpu'), run('webgpu')];
    expect(gpu.backend).toBe('webgpu');
    // the kernels agree to float32 rounding (tests/scenarios/shipped.test.ts): a particle or two may differ at a boundary
    expect(Math.abs(gpu.escape.events - cpu.escape.events)).toBeLessThanOrEqual(3);
    for (const [region, f] of Object.entries(cpu.populations.mean as Record<string, number>))
      expect(Math.abs(gpu.populations.mean[region] - f)).toBeLessThan(0.02);
  });

  it('--backend auto passes over a software adapter and says which adapter it passed over', () => {
    const r = cli([
      'run',
      'double-well',
      '--backend',
      'auto',
      '--set',
      'particles=64',
      '--set',
      'steps=100',
      '--out',
      path.join(tmpdir(), 'a'),
    ]);
    expect(r.code).toBe(0);
    const first = r.stderr.split('\n')[0];
    if (/software/.test(first))
      expect(first).toMatch(/^grokscape: backend cpu \(auto; webgpu: adapter .*software rasterizer/);
    else expect(first).toMatch(/^grokscape: backend webgpu \(auto, adapter /);
  });
});
