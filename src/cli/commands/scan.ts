import path from 'node:path';
import { Command } from 'commander';
import type { BackendRequest } from '../../engine/backend.js';
import { resolveScenario } from '../../landscape/resolve.js';
import { workloadOf } from '../../landscape/scenario.js';
import { parseOverrides } from '../../scenario/load.js';
import { parseGrid, ScanError } from '../../scan/grid.js';
import { mergeShards } from '../../scan/merge.js';
import { enumeratePoints, pointSource, type Shard } from '../../scan/points.js';
import { runScan, type ScanProgress } from '../../scan/run-scan.js';
import { clearFailures, FAILED_FILE, newScanSpec, openScanDir } from '../../scan/store.js';
import { serveScanWorker } from '../../scan/worker.js';
import { UsageError } from '../errors.js';
import { interruptible } from '../interrupt.js';
import { backendOption, collect, positiveInt } from '../options.js';
import { lockScanDir } from '../out-dir.js';

/** --shard i/n, else SLURM array variables, else a Kubernetes Indexed Job's index with GROKSCAPE_SHARDS. */
export function shardFrom(flag: string | undefined, env = process.env): Shard | null {
  const parse = (i: number, n: number, from: string): Shard => {
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${from}: the shard count must be a positive integer`);
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new UsageError(`${from}: shard index ${i} is out of range 0..${n - 1}`);
    return { index: i, count: n };
  };
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag);
    if (!m) throw new UsageError(`--shard ${flag}: expected i/n with 0 <= i < n, e.g. --shard 0/4`);
    return parse(Number(m[1]), Number(m[2]), `--shard ${flag}`);
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_COUNT !== undefined) {
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    return parse(Number(env.SLURM_ARRAY_TASK_ID) - min, Number(env.SLURM_ARRAY_TASK_COUNT), 'SLURM_ARRAY_TASK_ID');
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (env.GROKSCAPE_SHARDS === undefined)
      throw new UsageError('JOB_COMPLETION_INDEX is set: also set GROKSCAPE_SHARDS to the number of completions');
    return parse(Number(env.JOB_COMPLETION_INDEX), Number(env.GROKSCAPE_SHARDS), 'JOB_COMPLETION_INDEX');
  }
  return null;
}

function reporter(quiet: boolean | undefined) {
  const tty = process.stderr.isTTY === true && !quiet;
  let last = -1;
  return (p: ScanProgress) => {
    const eta =
      p.done > 0 && p.done < p.total
        ? `${(((p.total - p.done) * p.elapsedSeconds) / Math.max(1, p.done)).toFixed(0)} s`
        : '?';
    const now = p.current
      .map(
        (c) =>
          Object.entries(c.values)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ') + (c.repeat ? ` #${c.repeat}` : ''),
      )
      .join('; ');
    const speed =
      p.elapsedSeconds > 0 ? `${(p.particleSteps / p.elapsedSeconds / 1e6).toPrecision(3)} M particle-steps/s` : '';
    const line = `points ${p.done}/${p.total}${now ? `  running ${now}` : ''}  ETA ${eta}  ${speed}`;
    if (tty) process.stderr.write(`\r\x1b[2K${line}`);
    else if (p.done !== last) {
      process.stderr.write(`${line}\n`);
      last = p.done;
    }
  };
}

export function scanCommand(): Command {
  return new Command('scan')
    .description(
      'run a grid of points (e.g. temperature x dataSize), resumable, shardable; results in DIR/results.jsonl',
    )
    .argument('<scenario>', 'shipped scenario name or path')
    .option('--grid <name=values>', 'an axis: name=v1,v2,... or name=start:stop:step (repeatable)', collect, [])
    .option('--repeat <n>', 'independent repeats of every point', positiveInt, 1)
    .requiredOption('--out <dir>', 'scan directory (rerun the same command to resume)')
    .option('--workers <k>', 'local worker processes', positiveInt, 1)
    .option(
      '--shard <i/n>',
      'run shard i of n (0-based); default from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX',
    )
    .option('--set <name=value>', 'fixed override for every point (repeatable)', collect, [])
    .addOption(backendOption())
    .option('--retry-failed', 'run again the points recorded in DIR/failed.jsonl (a resume skips them)')
    .option('--quiet', 'plain progress lines only')
    .action(
      async (
        name: string,
        o: {
          grid: string[];
          repeat: number;
          out: string;
          workers: number;
          shard?: string;
          set: string[];
          backend: BackendRequest;
          quiet?: boolean;
          retryFailed?: boolean;
        },
      ) => {
        const overrides = parseOverrides(o.set);
        const base = resolveScenario(name, overrides);
        const shard = shardFrom(o.shard);
        let spec;
        try {
          const grid = parseGrid(o.grid, Object.keys(base.parameters));
          for (const a of grid)
            if (Object.hasOwn(overrides, a.name))
              throw new ScanError(`--grid ${a.name}: also fixed by --set; drop one`);
          spec = newScanSpec(base, { grid, repeat: o.repeat, overrides, shard, backend: o.backend });
          const points = enumeratePoints(grid, o.repeat, base.seed);
          // Each axis value once (the other axes at their first value): a bad value is refused before --out is made.
          const first = points[0];
          for (const a of grid)
            for (const v of a.values) {
              const values = { ...first.values, [a.name]: v };
              resolveScenario(name, { ...overrides, seed: first.seed, ...values }, pointSource(values));
            }
          lockScanDir(o.out);
          openScanDir(o.out, spec);
          if (o.retryFailed) clearFailures(o.out);
          const { signal, release } = interruptible();
          const r = await runScan({
            dir: o.out,
            spec,
            points,
            backend: o.backend,
            workload: workloadOf(base),
            workers: o.workers,
            signal,
            onProgress: reporter(o.quiet),
          });
          release();
          if (process.stderr.isTTY && !o.quiet) process.stderr.write('\n');
          if (r.interrupted) {
            process.stderr.write(
              `grokscape: interrupted: ${r.done} of ${r.total} points done and kept in ${o.out}; run the same command again to resume\n`,
            );
            process.exitCode = 130;
          } else if (r.failed.length > 0) {
            const first = r.failed[0];
            process.stderr.write(
              `grokscape: scan finished with ${r.failed.length} of ${r.total} points failed (${path.join(o.out, FAILED_FILE)}${r.failed.length < r.total ? '; the others are in results.jsonl' : ''}), e.g. point ${first.point.index} (${Object.entries(
                first.point.values,
              )
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}): ${first.reason} (a resume skips them; --retry-failed runs them again)\n`,
            );
            process.exitCode = 1;
          } else process.stderr.write(`scan complete: ${r.total} points in ${path.join(o.out, 'results.jsonl')}\n`);
        } catch (e) {
          if (e instanceof ScanError) throw new UsageError(e.message);
          throw e;
        }
      },
    );
}

export function mergeCommand(): Command {
  return new Command('merge')
    .description('join the shards of a scan into one scan directory, checking that none is missing or foreign')
    .argument('<dirs...>', 'shard directories')
    .requiredOption('--out <dir>', 'merged scan directory')
    .action((dirs: string[], o: { out: string }) => {
      try {
        const r = mergeShards(dirs, o.out);
        process.stderr.write(
          `merged ${r.shards} shard(s), ${r.points} points into ${o.out}${r.failed ? ` (and ${r.failed} failed points into ${FAILED_FILE})` : ''}\n`,
        );
      } catch (e) {
        if (e instanceof ScanError) throw new UsageError(e.message);
        throw e;
      }
    });
}

/** Internal: the child process of `scan --workers`. */
export function scanWorkerCommand(): Command {
  return new Command('scan-worker').description('(internal) a scan worker process').action(serveScanWorker);
}
