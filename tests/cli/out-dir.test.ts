import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, expectOneLineError, tmpdir } from '../helpers/cli.js';

const small = ['--set', 'particles=64', '--set', 'steps=200', '--backend', 'cpu', '--quiet'];
const until = async (ok: () => boolean, what: string, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
/** Pids whose parent is `pid` (Linux /proc). */
const childrenOf = (pid: number) =>
  fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        // field 4 of /proc/PID/stat is the parent pid; the command name (field 2) may hold spaces, so split after ')'
        return Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
const running = (pid: number) =>
  fs.existsSync(`/proc/${pid}`) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));

describe('no silent loss of results', () => {
  it('run refuses a non-empty --out and changes nothing there; --force replaces the result files and says which', () => {
    const out = path.join(tmpdir(), 'r');
    expect(cli(['run', 'double-well', ...small, '--out', out]).code).toBe(0);
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const before = fs.readFileSync(path.join(out, 'summary.json'), 'utf8');
    const refused = cli(['run', 'double-well', ...small, '--set', 'seed=2', '--out', out]);
    expect(refused.code).toBe(2);
    expect(expectOneLineError(refused)).toMatch(/--out .* is not empty \(.*summary\.json.*\); .*--force/);
    expect(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).toBe(before);

    const forced = cli(['run', 'double-well', ...small, '--set', 'seed=2', '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(
      /--force: .* the results will replace summary\.json, populations\.csv, escapes\.csv when the run finishes \(kept if it fails\), the others are left/,
    );
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).seed).toBe(2);
    expect(fs.readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(out, '.grokscape.lock'))).toBe(false); // released at exit
  });

  it('a second writer of the same --out stops with one line naming the first (run and scan alike)', async () => {
    const out = path.join(tmpdir(), 'busy');
    const first = spawn(
      process.execPath,
      [BIN, 'run', 'double-well', '--set', 'steps=2000000', '--backend', 'cpu', '--quiet', '--out', out],
      { stdio: 'ignore' },
    );
    try {
      await until(() => fs.existsSync(path.join(out, '.grokscape.lock')), 'the first run to take its lock');
      for (const args of [
        ['run', 'double-well', ...small],
        ['scan', 'double-well', '--grid', 'temperature=0.3,0.4', ...small],
      ]) {
        const second = cli([...args, '--out', out]);
        expect(second.code).toBe(2);
        expect(expectOneLineError(second)).toMatch(
          new RegExp(`being written by another grokscape \\(pid ${first.pid}, since .*: grokscape run double-well`),
        );
      }
    } finally {
      first.kill('SIGKILL');
    }
  });

  it('a lock left by a killed process is taken over', () => {
    const out = tmpdir();
    // a pid that is not running: the kernel's pid_max is below 2^22 on Linux
    fs.writeFileSync(
      path.join(out, '.grokscape.lock'),
      JSON.stringify({ pid: 4_194_304 + 7, started: 'then', command: 'run x' }),
    );
    expect(cli(['run', 'double-well', ...small, '--out', out]).code).toBe(0);
    expect(fs.existsSync(path.join(out, 'summary.json'))).toBe(true);
  });

  it('a lock whose pid now names another program (reused after a crash) is taken over', () => {
    const out = tmpdir();
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(
        path.join(out, '.grokscape.lock'),
        JSON.stringify({ pid: other.pid, started: 'then', command: 'run x' }),
      );
      expect(cli(['run', 'double-well', ...small, '--out', out]).code).toBe(0);
      expect(fs.existsSync(path.join(out, 'summary.json'))).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('a lock held by a live Node process is respected, whatever its script is called (the library, dist/cli/main.js)', () => {
    const out = tmpdir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(
        path.join(out, '.grokscape.lock'),
        JSON.stringify({ pid: other.pid, started: 'then', command: 'scan x' }),
      );
      const r = cli(['run', 'double-well', ...small, '--out', out]);
      expect(r.code).toBe(2);
      expect(expectOneLineError(r)).toMatch(new RegExp(`being written by another grokscape \\(pid ${other.pid}`));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('an --out that cannot be created fails at once with one line (Node would loop on mkdir -p under /proc)', () => {
    const r = cli(['run', 'double-well', ...small, '--out', '/proc/grokscape-test/x'], { timeout: 30_000 });
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/--out \/proc\/grokscape-test\/x: cannot write there/);
  });

  it('a scan killed with SIGKILL leaves no worker running, and its lock does not block the resume', async () => {
    const out = path.join(tmpdir(), 'scan');
    const args = [
      'scan',
      'double-well',
      '--grid',
      'temperature=0.3,0.35,0.4,0.45',
      '--set',
      'particles=2048',
      '--set',
      'steps=40000',
      '--backend',
      'cpu',
      '--quiet',
      '--workers',
      '2',
      '--out',
      out,
    ];
    const parent = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    let workers: number[] = [];
    await until(() => {
      workers = childrenOf(parent.pid!);
      return workers.length >= 2;
    }, 'two scan workers');
    parent.kill('SIGKILL');
    await until(() => workers.every((w) => !running(w)), 'the workers to exit after their parent was killed', 30_000);
    const resumed = cli(args, { timeout: 300_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);
  });
});
