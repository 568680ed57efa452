import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError, ROOT, tmpdir } from '../helpers/cli.js';

const GRID = [
  '--grid',
  'temperature=0.3,0.4,0.5',
  '--grid',
  'barrier=0.8:1:0.2',
  '--set',
  'particles=256',
  '--set',
  'steps=3000',
  '--backend',
  'cpu',
  '--quiet',
];

/** results.jsonl as a comparable value: sorted by point, without the wall-clock, dispatch and command-line fields. */
function canonical(dir: string): string[] {
  return fs
    .readFileSync(path.join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .sort((a, b) => a.point.index - b.point.index)
    .map(({ elapsedSeconds, particleStepsPerSecond, executor, startedAt, command, ...rest }) => JSON.stringify(rest));
}

const scan = (out: string, extra: string[] = []) => cli(['scan', 'double-well', ...GRID, '--out', out, ...extra]);

describe('grokscape scan', () => {
  const reference = path.join(tmpdir(), 'ref');

  it('runs every point once, records scan.json, and --workers 2 equals --workers 1', () => {
    expect(scan(reference).code).toBe(0);
    const spec = JSON.parse(fs.readFileSync(path.join(reference, 'scan.json'), 'utf8'));
    expect(spec).toMatchObject({
      scenario: 'double-well',
      repeat: 1,
      grid: [
        { name: 'temperature', values: [0.3, 0.4, 0.5] },
        { name: 'barrier', values: [0.8, 1] },
      ],
    });
    expect(spec.version).toBeTypeOf('string');
    // the base scenario as resolved, and the backend asked for
    expect(spec.parameters).toMatchObject({ barrier: expect.any(Number) });
    expect(spec.backend).toBe(GRID[GRID.indexOf('--backend') + 1]);
    const ref = canonical(reference);
    expect(ref).toHaveLength(6);
    expect(new Set(ref.map((r) => JSON.parse(r).seed)).size).toBe(6);
    const two = path.join(tmpdir(), 'w2');
    expect(scan(two, ['--workers', '2']).code).toBe(0);
    expect(canonical(two)).toEqual(ref);
  });

  it('running the same command again skips finished points', () => {
    const before = fs.readFileSync(path.join(reference, 'results.jsonl'), 'utf8');
    const r = scan(reference);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(reference, 'results.jsonl'), 'utf8')).toBe(before);
  });

  it('a scan killed with SIGKILL and resumed equals the uninterrupted scan', async () => {
    const out = path.join(tmpdir(), 'killed');
    const args = ['scan', 'double-well', ...GRID.map((a) => (a === 'steps=3000' ? 'steps=30000' : a)), '--out', out];
    const uninterrupted = path.join(tmpdir(), 'whole');
    expect(
      cli(['scan', 'double-well', ...GRID.map((a) => (a === 'steps=3000' ? 'steps=30000' : a)), '--out', uninterrupted])
        .code,
    ).toBe(0);
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/grokscape.js'), ...args], { stdio: 'ignore' });
    // Listening from the start: a child that finished before the kill would otherwise never resolve the wait.
    const exited = new Promise<[number | null, string | null]>((r) => child.on('exit', (c, sig) => r([c, sig])));
    const results = path.join(out, 'results.jsonl');
    const lines = () =>
      fs.existsSync(results) ? fs.readFileSync(results, 'utf8').split('\n').filter(Boolean).length : 0;
    // Killed at the first finished point, with 5 points of 30000 steps still to run one after another (one
    // worker): seconds of work against a 20 ms poll, so the kill does not lose the race to the scan's end.
    while (lines() < 1) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    // The kill, not the scan's end, stopped it (else the resume below would test nothing): catches a scan
    // that ran to completion before the kill passing as a resumed one.
    expect(await exited).toEqual([null, 'SIGKILL']);
    expect(lines()).toBeGreaterThanOrEqual(1);
    expect(lines()).toBeLessThan(6);
    fs.appendFileSync(results, '{"truncated": tr'); // a line cut short by the kill
    expect(cli(args).code).toBe(0);
    expect(canonical(out)).toEqual(canonical(uninterrupted));
  });

  it('3 shards merged equal the single run; merge refuses a missing or foreign shard', () => {
    const root = tmpdir();
    const shards = [0, 1, 2].map((i) => path.join(root, `shard${i}`));
    shards.forEach((d, i) => {
      expect(scan(d, ['--shard', `${i}/3`]).code).toBe(0);
    });
    const merged = path.join(root, 'merged');
    expect(cli(['merge', ...shards, '--out', merged]).code).toBe(0);
    expect(canonical(merged)).toEqual(canonical(reference));
    const mergedSpec = JSON.parse(fs.readFileSync(path.join(merged, 'scan.json'), 'utf8'));
    expect(mergedSpec.merged.shards).toEqual(shards.map((d) => path.resolve(d)));
    expect(mergedSpec.merged.command).toContain('merge');

    const missing = cli(['merge', shards[0], shards[2], '--out', path.join(root, 'm2')]);
    expect(missing.code).toBe(2);
    expect(expectOneLineError(missing)).toMatch(/missing shard 1\/3/);

    const foreign = path.join(root, 'foreign');
    expect(
      cli([
        'scan',
        'double-well',
        '--grid',
        'temperature=0.3,0.4',
        '--set',
        'particles=64',
        '--set',
        'steps=100',
        '--backend',
        'cpu',
        '--quiet',
        '--shard',
        '1/3',
        '--out',
        foreign,
      ]).code,
    ).toBe(0);
    const r = cli(['merge', shards[0], foreign, shards[2], '--out', path.join(root, 'm3')]);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/a shard of another scan/);
  });

  it('takes its shard from SLURM array variables', () => {
    const out = path.join(tmpdir(), 'slurm');
    expect(
      cli(['scan', 'double-well', ...GRID, '--out', out], {
        env: { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' },
      }).code,
    ).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'scan.json'), 'utf8')).shard).toEqual({ index: 2, count: 3 });
    expect(canonical(out)).toEqual(canonical(reference).filter((r) => JSON.parse(r).point.index % 3 === 2));
  });

  it.each([
    [
      'an unknown parameter',
      ['--grid', 'tempreature=0.1,0.2'],
      /--grid tempreature: unknown parameter \(known: temperature/,
    ],
    ['an empty range', ['--grid', 'temperature='], /expected name=v1/],
    ['a reversed range', ['--grid', 'temperature=0.5:0.1:0.1'], /reversed/],
    ['a shard out of range', ['--grid', 'temperature=0.1', '--shard', '3/3'], /shard index 3 is out of range 0\.\.2/],
  ])('refuses %s with one line and exit 2', (_, args, pattern) => {
    const r = cli(['scan', 'double-well', ...args, '--out', path.join(tmpdir(), 'x'), '--quiet']);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(pattern);
  });

  it('refuses to resume or merge a scan begun by another grokscape version, and leaves it untouched', () => {
    const old = path.join(tmpdir(), 'old-version');
    fs.cpSync(reference, old, { recursive: true });
    const spec = JSON.parse(fs.readFileSync(path.join(old, 'scan.json'), 'utf8'));
    fs.writeFileSync(path.join(old, 'scan.json'), JSON.stringify({ ...spec, version: '0.1.0' }));
    const before = fs.readFileSync(path.join(old, 'results.jsonl'), 'utf8');
    const r = scan(old);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(
      /holds a scan begun by grokscape 0\.1\.0, and this is \d+\.\d+\.\d+.*resume it with 0\.1\.0/,
    );
    expect(fs.readFileSync(path.join(old, 'results.jsonl'), 'utf8')).toBe(before);
    const m = cli(['merge', reference, old, '--out', path.join(tmpdir(), 'mixed')]);
    expect(m.code).toBe(2);
    expect(expectOneLineError(m)).toMatch(/old-version: run by grokscape 0\.1\.0, but .* by \d+\.\d+\.\d+/);
  });

  it('refuses an --out that holds a scan of another grid, and leaves it untouched', () => {
    const before = fs.readFileSync(path.join(reference, 'results.jsonl'), 'utf8');
    const r = cli(['scan', 'double-well', '--grid', 'temperature=0.2,0.4', '--out', reference, '--quiet']);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/holds a scan of double-well with another grid.*never overwritten/);
    expect(fs.readFileSync(path.join(reference, 'results.jsonl'), 'utf8')).toBe(before);
  });

  it('a point that diverges is recorded in failed.jsonl and the others run; a resume skips it, --retry-failed runs it again', () => {
    // Catches: one diverging point aborting the whole scan (and every resume hitting it again), a failed point
    // written into results.jsonl (fit and plot would read a half-run), shards with a failed point refused as
    // incomplete by merge.
    const args = ['double-well', '--grid', 'dt=0.001,3,0.002', '--set', 'particles=64', '--set', 'steps=200'];
    const lines = (dir: string, f: string) =>
      fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n') : [];
    for (const workers of ['1', '2']) {
      const out = path.join(tmpdir(), `diverge-${workers}`);
      const r = cli(['scan', ...args, '--backend', 'cpu', '--quiet', '--workers', workers, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/1 of 3 points failed .*failed\.jsonl.*point 1 \(dt=3\): state became NaN or infinite/);
      expect(
        lines(out, 'results.jsonl')
          .map((l) => JSON.parse(l).point.values.dt)
          .sort(),
      ).toEqual([0.001, 0.002]);
      const failed = lines(out, 'failed.jsonl').map((l) => JSON.parse(l));
      expect(failed.map((f) => [f.point.index, f.point.values.dt])).toEqual([[1, 3]]);
      expect(failed[0].reason).toMatch(/NaN or infinite/);
      expect(failed[0].version).toMatch(/^\d+\.\d+\.\d+/);
      // a resume runs nothing and says the same
      const again = cli(['scan', ...args, '--backend', 'cpu', '--quiet', '--out', out]);
      expect(again.code).toBe(1);
      expect(lines(out, 'results.jsonl')).toHaveLength(2);
      expect(lines(out, 'failed.jsonl')).toHaveLength(1);
      // --retry-failed runs the point again (it fails again: still one record, not two)
      const retry = cli(['scan', ...args, '--backend', 'cpu', '--quiet', '--retry-failed', '--out', out]);
      expect(retry.code).toBe(1);
      expect(retry.stderr).toMatch(/points 2\/3[\s\S]*points 3\/3/);
      expect(lines(out, 'failed.jsonl')).toHaveLength(1);
    }
    // shards: the failed point is in shard 1/2; merge takes it as done and carries failed.jsonl over
    const shards = [0, 1].map((i) => {
      const out = path.join(tmpdir(), `diverge-shard-${i}`);
      cli(['scan', ...args, '--backend', 'cpu', '--quiet', '--shard', `${i}/2`, '--out', out]);
      return out;
    });
    const merged = path.join(tmpdir(), 'diverge-merged');
    const m = cli(['merge', ...shards, '--out', merged]);
    expect(m.code).toBe(0);
    expect(m.stderr).toMatch(/2 points .* 1 failed point/);
    expect(lines(merged, 'results.jsonl')).toHaveLength(2);
    expect(lines(merged, 'failed.jsonl')).toHaveLength(1);
  }, 240_000);
});

describe('grokscape scan interrupted', () => {
  it('Ctrl-C stops cleanly, says how to resume, and the resumed scan is complete', async () => {
    const out = path.join(tmpdir(), 'int');
    const args = [
      'scan',
      'double-well',
      '--grid',
      'temperature=0.3,0.4,0.5,0.6',
      '--set',
      'particles=256',
      '--set',
      'steps=200000',
      '--backend',
      'cpu',
      '--quiet',
      '--out',
      out,
    ];
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/grokscape.js'), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const results = path.join(out, 'results.jsonl');
    while (!(fs.existsSync(results) && fs.readFileSync(results, 'utf8').includes('\n')))
      await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted: \d of 4 points done and kept in .*; run the same command again to resume/);
    for (const line of fs.readFileSync(results, 'utf8').trim().split('\n'))
      expect(() => JSON.parse(line)).not.toThrow();
    expect(cli(args).code).toBe(0);
    expect(fs.readFileSync(results, 'utf8').trim().split('\n')).toHaveLength(4);
  });
});
