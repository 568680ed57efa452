import { describe, expect, it } from 'vitest';
import { runnableBackends } from '../helpers/backends.js';
import { cli, expectOneLineError } from '../helpers/cli.js';

interface GpuCheck {
  pass: boolean;
  adapter: { summary: string } | null;
  checks: { name: string; pass: boolean; detail: string }[];
  rates: { case: string; particles: number; particleStepsPerSecond: number | null; note?: string }[];
}

describe.runIf(runnableBackends.includes('webgpu'))('grokscape gpu-check on webgpu', () => {
  it('--quick --json: the correctness checks pass and every rate is positive', () => {
    const r = cli(['gpu-check', '--quick', '--json'], { timeout: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as GpuCheck;
    expect(out.adapter?.summary).toMatch(/\S/);
    expect(out.checks.map((c) => c.name)).toEqual(['generator words and noise', 'double-well escapes webgpu vs cpu']);
    for (const c of out.checks) expect(c.pass, c.detail).toBe(true);
    expect(out.pass).toBe(true);
    expect(out.rates.map((x) => `${x.case} ${x.particles}`)).toEqual([
      'double-well 16384',
      'double-well 65536',
      'funnel 16384',
      'funnel 65536',
    ]);
    for (const x of out.rates) expect(x.particleStepsPerSecond, x.note).toBeGreaterThan(0);
    // with --json the report goes to stderr, so stdout stays one JSON document
    expect(r.stderr).toMatch(/^PASS generator words and noise: .* 0 differ from cpu or the host reference/m);
    expect(r.stderr).toMatch(/^PASS gpu-check: 2 of 2 checks passed/m);
  });
});

describe('grokscape gpu-check without webgpu', () => {
  it('says why in one line and exits 2', () => {
    const r = cli(['gpu-check', '--quick'], { env: { GROKSCAPE_NO_WEBGPU: '1' } });
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(
      /^grokscape: backend 'webgpu' is not available: disabled by GROKSCAPE_NO_WEBGPU=1/,
    );
  });
});
