import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError, ROOT, tmpdir, VALID, writeScenario } from '../helpers/cli.js';

/** Replaces one line of the valid scenario. */
const variant = (from: string, to: string) => {
  if (!VALID.includes(from)) throw new Error(`fixture has no '${from}'`);
  return VALID.replace(from, to);
};

const cases: { name: string; text: string; expect: RegExp }[] = [
  {
    name: 'malformed YAML',
    text: 'name: tiny\n  description: [unclosed\n',
    expect: /malformed YAML at line \d+, column \d+/,
  },
  { name: 'an unknown key', text: `${VALID}temprature: 0.3\n`, expect: /unknown key 'temprature'/ },
  {
    name: 'a wrong type',
    text: variant('particles: 64', 'particles: many'),
    expect: /particles: found "many", expected/,
  },
  {
    name: 'temperature <= 0',
    text: variant('temperature: 0.3', 'temperature: 0'),
    expect: /temperature: found 0, expected a number > 0/,
  },
  { name: 'dt <= 0', text: variant('dt: 0.001', 'dt: -0.1'), expect: /dt: found -0\.1, expected a number > 0/ },
  {
    name: 'an unknown variable in a formula',
    text: variant('x^4/4 - x^2/2 + a*x', 'x^4/4 - b*x'),
    expect: /potential: .*'b'.*column 9/,
  },
  {
    name: 'a forbidden identifier: constructor',
    text: variant('x^4/4 - x^2/2 + a*x', 'constructor'),
    expect: /potential: .*'constructor'.*column 1/,
  },
  {
    name: 'a forbidden identifier: process',
    text: variant('x^4/4 - x^2/2 + a*x', 'process.exit(1)'),
    expect: /potential: .*(process|\.)/,
  },
  {
    name: 'a forbidden identifier: this',
    text: variant('x^4/4 - x^2/2 + a*x', 'x + this'),
    expect: /potential: .*'this'.*column 5/,
  },
  {
    name: 'a region naming an unknown coordinate',
    text: variant('memorizing: "x < 0"', 'memorizing: "z < 0"'),
    expect: /regions\.memorizing: .*'z'/,
  },
  {
    name: 'escape naming an unknown region',
    text: variant('to: generalizing', 'to: nowhere'),
    expect: /escape\.to: unknown region 'nowhere'/,
  },
  {
    name: 'a start point outside escape.from',
    text: variant('start: { x: -1 }', 'start: { x: 0.5 }'),
    expect: /start: .*'other'.*escape\.from is 'memorizing'/,
  },
];

describe('bad scenario input: one line naming file and field, exit code 2', () => {
  it.each(cases)('$name', ({ text, expect: pattern }) => {
    const file = writeScenario(text);
    const out = tmpdir();
    const r = cli(['run', file, '--out', path.join(out, 'r'), '--backend', 'cpu']);
    expect(r.code).toBe(2);
    const line = expectOneLineError(r);
    expect(line).toContain(file);
    expect(line).toMatch(pattern);
    expect(fs.existsSync(path.join(out, 'r'))).toBe(false); // nothing half-written
  });

  it('an unknown --set name', () => {
    const r = cli(['run', writeScenario(VALID), '--set', 'temprature=1']);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/unknown name 'temprature'.*known: temperature/);
  });

  it('a --set value that is not a number', () => {
    const r = cli(['run', writeScenario(VALID), '--set', 'temperature=hot']);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/expected name=number/);
  });

  it('an unknown shipped scenario name', () => {
    const r = cli(['run', 'no-such-scenario']);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/no shipped scenario of that name.*double-well/);
  });
});

describe('bad engine input', () => {
  it('an unknown backend lists the available ones, exit 2', () => {
    const r = cli(['run', writeScenario(VALID), '--backend', 'quantum']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/quantum/);
    expect(r.stderr).toMatch(/cpu/);
  });

  it('an unavailable backend says why and lists the available ones', () => {
    const r = cli(['run', writeScenario(VALID), '--backend', 'webgpu'], { env: { GROKSCAPE_NO_WEBGPU: '1' } });
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/backend 'webgpu' is not available: .*; available: auto, webasm, cpu/);
  });

  it('divergence stops the run, names dt and a stable step, and writes no result file', () => {
    const out = path.join(tmpdir(), 'r');
    const file = writeScenario(variant('dt: 0.001', 'dt: 1.5'));
    const r = cli(['run', file, '--out', out, '--backend', 'cpu', '--quiet']);
    expect(r.code).toBe(3);
    const line = expectOneLineError(r);
    expect(line).toMatch(/diverged.*dt=1\.5.*largest stable step.*--set dt=/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a particle count that cannot fit is refused up front with the estimate', () => {
    const r = cli(
      ['run', writeScenario(VALID), '--set', 'particles=16000000', '--set', 'steps=1', '--backend', 'cpu'],
      {
        env: { GROKSCAPE_MEMORY_LIMIT: '500000000' },
      },
    );
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/need about [0-9.]+ GiB, more than the 0\.47 GiB available/);
  });

  it('an unwritable --out is reported before the simulation starts', () => {
    const blocker = path.join(tmpdir(), 'file');
    fs.writeFileSync(blocker, 'x');
    const r = cli(['run', writeScenario(VALID), '--out', path.join(blocker, 'sub'), '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/--out .*cannot write there/);
  });

  // A small tmpfs in a private mount namespace (unshare) stands in for a full disk; skipped where the
  // sandbox allows no such namespace.
  const canMount =
    spawnSync('unshare', ['-rm', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d"']).status === 0;
  it.skipIf(!canMount)(
    'a disk too small for the results is reported before the simulation starts, leaving nothing behind',
    () => {
      const dir = tmpdir();
      const file = writeScenario(VALID.replace('particles: 64', 'particles: 4096'));
      // after the refusal, list what is left on the small disk: nothing
      const script = `mount -t tmpfs -o size=64k tmpfs "${dir}" || exit 99; "${process.execPath}" "${path.join(ROOT, 'bin/grokscape.js')}" run "${file}" --backend cpu --out "${dir}/r"; code=$?; ls -A "${dir}"; exit $code`;
      const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', cwd: dir, timeout: 120_000 });
      const result = { code: r.status, stdout: r.stdout, stderr: r.stderr };
      expect(r.stdout).toBe('');
      expect(r.status).toBe(2);
      expect(expectOneLineError(result)).toMatch(
        /--out .*\/r: the results need up to \d+ KiB and the disk has \d+ KiB free: free some space or choose another directory/,
      );
    },
  );
});
