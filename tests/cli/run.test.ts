import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tmpdir, VALID, writeScenario } from '../helpers/cli.js';

const readCsv = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

/** A run far longer than any test waits: it ends by the signal the test sends. */
const longRun = (particles: number, out: string) => [
  'run',
  'double-well',
  '--set',
  `particles=${particles}`,
  '--set',
  'steps=100000000',
  '--out',
  out,
  '--backend',
  'cpu',
];

/** Starts the CLI in the background; `until` waits for a stderr pattern, `exit` for the exit code. */
function background(args: string[]) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/grokscape.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return {
    child,
    stderr: () => err,
    until: async (pattern: RegExp, every = 100) => {
      while (!pattern.test(err)) await new Promise((r) => setTimeout(r, every));
    },
    exit: () => new Promise((r) => child.on('exit', r)),
  };
}

describe('grokscape run', () => {
  it('writes summary.json, populations.csv and escapes.csv that agree with each other', () => {
    const out = path.join(tmpdir(), 'r');
    const r = cli([
      'run',
      'double-well',
      '--set',
      'particles=512',
      '--set',
      'steps=20000',
      '--set',
      'temperature=0.4',
      '--out',
      out,
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'))).toEqual(s);
    for (const k of [
      'schemaVersion',
      'scenario',
      'parameters',
      'temperature',
      'dt',
      'steps',
      'particles',
      'seed',
      'backend',
      'version',
      'elapsedSeconds',
      'particleStepsPerSecond',
      'escape',
      'populations',
      'prediction',
      'comparison',
    ]) {
      expect(s).toHaveProperty(k);
    }
    expect(s).toMatchObject({
      schemaVersion: 1,
      scenario: 'double-well',
      temperature: 0.4,
      particles: 512,
      steps: 20000,
      backend: 'cpu',
      seed: 1,
    });
    for (const k of ['from', 'to', 'events', 'censored', 'exposure', 'rate', 'rateCI95', 'mfpt', 'mfptCI95', 'lag'])
      expect(s.escape).toHaveProperty(k);
    expect(s.escape.events + s.escape.censored).toBe(512);
    expect(s.escape.rateCI95[0]).toBeLessThan(s.escape.rate);
    expect(s.escape.rateCI95[1]).toBeGreaterThan(s.escape.rate);
    expect(s.prediction.mfpt).toBeGreaterThan(0);
    expect(s.comparison.mfpt).toBeCloseTo(s.escape.mfpt / s.prediction.mfpt, 12);

    const pop = readCsv(path.join(out, 'populations.csv'));
    expect(pop[0]).toEqual(['step', 'time', 'memorizing', 'generalizing', 'other']);
    for (const row of pop.slice(1)) {
      const sum = row.slice(2).reduce((a, v) => a + Number(v), 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
      expect(Number(row[1])).toBeCloseTo(Number(row[0]) * 0.001, 12);
    }
    expect(Number(pop.at(-1)![0])).toBe(20000);

    const esc = readCsv(path.join(out, 'escapes.csv'));
    expect(esc[0]).toEqual(['particle', 'step', 'time']);
    expect(esc.length - 1).toBe(s.escape.events);
    expect(new Set(esc.slice(1).map((r) => r[0])).size).toBe(s.escape.events);
    expect(JSON.stringify(s)).not.toMatch(/NaN|Infinity/);
  });

  it('the same seed gives identical results, another seed different ones', () => {
    const run = (seed: number) => {
      const out = path.join(tmpdir(), 'r');
      const args = [
        '--set',
        `seed=${seed}`,
        '--set',
        'temperature=0.8',
        '--set',
        'steps=5000',
        '--out',
        out,
        '--backend',
        'cpu',
        '--quiet',
      ];
      expect(cli(['run', writeScenario(VALID), ...args]).code).toBe(0);
      return (
        fs.readFileSync(path.join(out, 'escapes.csv'), 'utf8') +
        fs.readFileSync(path.join(out, 'populations.csv'), 'utf8')
      );
    };
    expect(run(5)).toBe(run(5));
    expect(run(5)).not.toBe(run(6));
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops at a call boundary and still writes complete files, marked interrupted',
    async (signal) => {
      const out = path.join(tmpdir(), 'r');
      const bg = background(longRun(4096, out));
      await bg.until(/step \d+\/100000000/);
      bg.child.kill(signal);
      const code = await bg.exit();
      const err = bg.stderr();
      expect(code).toBe(130);
      expect(err).toMatch(/interrupted; finishing the current kernel call/);
      const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
      expect(s.interrupted).toBe(true);
      expect(s.stepsDone).toBeGreaterThan(0);
      expect(s.stepsDone).toBeLessThan(100000000);
      const pop = readCsv(path.join(out, 'populations.csv'));
      expect(Number(pop.at(-1)![0])).toBe(s.stepsDone);
      expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
  );

  it('one stop delivered twice at once (as `timeout` does to a process group) still writes the results', async () => {
    const out = path.join(tmpdir(), 'r');
    const bg = background(longRun(256, out));
    await bg.until(/step \d+\/100000000/);
    bg.child.kill('SIGTERM');
    bg.child.kill('SIGTERM');
    const code = await bg.exit();
    const err = bg.stderr();
    expect(code).toBe(130);
    expect(err).not.toMatch(/aborted/);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).interrupted).toBe(true);
  });

  it('phases stopped by SIGINT writes the points it classified and says how many', async () => {
    const out = path.join(tmpdir(), 'p');
    const bg = background([
      'phases',
      'parallelogram-phases',
      '--grid',
      'trainFraction=0.3:0.9:0.1',
      '--set',
      'particles=64',
      '--set',
      'steps=20000',
      '--backend',
      'cpu',
      '--out',
      out,
    ]);
    await bg.until(/ 1\/7 trainFraction=0\.3/, 50);
    bg.child.kill('SIGINT');
    const code = await bg.exit();
    const err = bg.stderr();
    expect(code).toBe(130);
    const m = /interrupted: (\d) of 7 points classified and written/.exec(err);
    expect(m).not.toBeNull();
    const rows = readCsv(path.join(out, 'phases.csv'));
    expect(rows[0]).toEqual(['trainFraction', 'seed', 'trainStep', 'validationStep', 'lag', 'phase']);
    expect(rows.length - 1).toBe(Number(m![1]));
    expect(rows.length - 1).toBeGreaterThanOrEqual(1);
    expect(rows.length - 1).toBeLessThan(7);
    expect(rows[1][0]).toBe('0.3');
    const json = JSON.parse(fs.readFileSync(path.join(out, 'phases.json'), 'utf8'));
    expect(json).toMatchObject({
      scenario: 'parallelogram-phases',
      backend: 'cpu',
      interrupted: true,
      axes: ['trainFraction'],
    });
    expect(json.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(json.rows).toHaveLength(rows.length - 1);
    expect(json.parameters.trainFraction).toBeTypeOf('number');
  });

  it('SIGINT while a model family computes its measures cuts them short, keeps them, and marks the run interrupted', async () => {
    // d = 200: the host geometry takes about 0.13 s per set here, so 256 sets (about 33 s) outlast the signal sent 3 s in.
    const out = path.join(tmpdir(), 'r');
    const args = [
      'run',
      'linear-separability',
      '--set',
      'd=200',
      '--set',
      'lambda=0.5',
      '--set',
      'particles=256',
      '--set',
      'steps=5',
      '--out',
      out,
      '--backend',
      'cpu',
    ];
    const bg = background(args);
    await bg.until(/computing the linear-separability family's measures/);
    await new Promise((r) => setTimeout(r, 3000));
    bg.child.kill('SIGINT');
    const code = await bg.exit();
    const err = bg.stderr();
    expect(code).toBe(130);
    // No wall-clock bound on the exit (speed belongs in benchmarks): that the signal stopped the measures is
    // asserted by the count of sets, below 256, on any machine where the 256 sets outlast the 3 s wait.
    // Catches a measure loop that ignores the signal (all 256 sets) or drops what it had (none kept).
    expect(err).toMatch(/measures were cut short/);
    const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(s.interrupted).toBe(true);
    expect(s.stepsDone).toBe(5);
    expect(s.measures.geometry.sets).toBeGreaterThan(0);
    expect(s.measures.geometry.sets).toBeLessThan(256);
    expect(s.measures.nonSeparable.sets).toBeLessThanOrEqual(s.measures.geometry.sets);
  });
});
