import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { openBackend, type BackendRequest, type KernelWorkload } from '../engine/backend.js';
import { commandLine, COMMAND_ENV } from '../report/provenance.js';
import { ScanError } from './grid.js';
import { inShard, type ScanPoint } from './points.js';
import { isPointFailure, PointInterrupted, runPoint } from './run-point.js';
import {
  appendFailure,
  appendResult,
  type PointFailure,
  readFailures,
  readResults,
  type PointResult,
  type ScanSpec,
} from './store.js';
import type { WorkerJob } from './worker.js';

const BIN = fileURLToPath(new URL('../../bin/grokscape.js', import.meta.url));

export interface ScanProgress {
  done: number;
  total: number;
  current: ScanPoint[];
  elapsedSeconds: number;
  particleSteps: number;
}

export interface ScanRunOptions {
  dir: string;
  spec: ScanSpec;
  points: ScanPoint[];
  backend: BackendRequest;
  /** What the scenario's kernels do, for --backend auto. */
  workload: KernelWorkload;
  workers: number;
  signal: AbortSignal;
  onProgress: (p: ScanProgress) => void;
}

export interface ScanRunResult {
  /** Points finished or failed, in all (earlier runs of the scan included). */
  done: number;
  total: number;
  interrupted: boolean;
  /** The shard's failed points (earlier runs included): in DIR/failed.jsonl, not in results.jsonl. */
  failed: PointFailure[];
}

/**
 * Runs the shard's points that DIR does not hold yet, appending each result as it finishes; a point whose
 * dynamics diverge or whose values are refused goes to failed.jsonl and the others go on. With workers > 1
 * the points run in child processes and this process alone writes the files. Returns the points done (and
 * failed) in total and whether it was interrupted.
 */
export async function runScan(o: ScanRunOptions): Promise<ScanRunResult> {
  const mine = o.points.filter((p) => inShard(p, o.spec.shard));
  const failed = readFailures(o.dir).filter((f) => inShard(f.point, o.spec.shard));
  const finished = new Set([...readResults(o.dir), ...failed].map((r) => r.point.index));
  const todo = mine.filter((p) => !finished.has(p.index));
  const total = mine.length;
  let done = total - todo.length;
  const started = performance.now();
  let particleSteps = 0;
  const current = new Set<ScanPoint>();
  const progress = () =>
    o.onProgress({
      done,
      total,
      current: [...current],
      elapsedSeconds: (performance.now() - started) / 1000,
      particleSteps,
    });
  const record = (r: PointResult) => {
    appendResult(o.dir, r);
    done++;
    particleSteps += r.particles * r.stepsDone;
  };
  const fail = (point: ScanPoint, reason: string) => {
    const f = { point, reason };
    appendFailure(o.dir, f);
    failed.push(f);
    done++;
  };
  progress();
  if (o.workers <= 1) {
    const backend = await openBackend(o.backend, o.workload);
    for (const p of todo) {
      if (o.signal.aborted) break;
      current.add(p);
      progress();
      try {
        record(await runPoint(o.spec, p, backend, o.signal));
      } catch (e) {
        if (e instanceof PointInterrupted) break;
        if (!isPointFailure(e)) throw e;
        fail(p, e.message);
      }
      current.delete(p);
      progress();
    }
    return { done, total, interrupted: o.signal.aborted, failed };
  }
  const r = await runWithWorkers(o, todo, {
    record,
    fail,
    current,
    progress,
    get done() {
      return done;
    },
    total,
  });
  return { ...r, failed };
}

async function runWithWorkers(
  o: ScanRunOptions,
  todo: ScanPoint[],
  st: {
    record: (r: PointResult) => void;
    fail: (point: ScanPoint, reason: string) => void;
    current: Set<ScanPoint>;
    progress: () => void;
    readonly done: number;
    total: number;
  },
): Promise<{ done: number; total: number; interrupted: boolean }> {
  const queue = [...todo];
  const cpuWorkers = String(Math.max(1, Math.floor(os.availableParallelism() / o.workers)));
  const children: ChildProcess[] = [];
  let failure: Error | null = null;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const child = fork(BIN, ['scan-worker'], {
        env: { ...process.env, GROKSCAPE_CPU_WORKERS: cpuWorkers, [COMMAND_ENV]: JSON.stringify(commandLine()) },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      children.push(child);
      let point: ScanPoint | undefined;
      const next = () => {
        point = o.signal.aborted || failure ? undefined : queue.shift();
        if (!point) {
          child.kill();
          resolve();
          return;
        }
        st.current.add(point);
        st.progress();
        child.send({ spec: o.spec, point, backend: o.backend, workload: o.workload } satisfies WorkerJob);
      };
      child.on('message', (m: { ok: boolean; result?: PointResult; error?: string; pointFailure?: boolean }) => {
        if (point) st.current.delete(point);
        if (m.ok) st.record(m.result!);
        else if (m.pointFailure && point) st.fail(point, m.error ?? 'failed');
        else failure ??= new ScanError(`point ${point?.index}: ${m.error}`);
        st.progress();
        next();
      });
      child.on('exit', () => resolve());
      next();
    });
  const abort = () =>
    children.forEach((c) => {
      c.kill();
    });
  o.signal.addEventListener('abort', abort);
  await Promise.all(Array.from({ length: Math.min(o.workers, Math.max(1, todo.length)) }, one));
  o.signal.removeEventListener('abort', abort);
  if (failure) throw failure;
  return { done: st.done, total: st.total, interrupted: o.signal.aborted };
}
