import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './cpu-worker.js';
import { CapacityError } from './errors.js';
import type { ExecutorData, KernelSources, StepExecutor } from './executor.js';

// From the sources (tests, a checkout without a build) the worker needs tsx's loader; compiled, it runs as is.
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./cpu-worker-entry.mjs', import.meta.url)
  : new URL('./cpu-worker.js', import.meta.url);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Lane {
  worker: Worker;
  lo: number;
  hi: number;
}

/** A lane's own particles' blocks of per-particle data (numbered from 0 there) and the shared data. */
function dataOfLane(data: ExecutorData, lo: number, hi: number): ExecutorData {
  const per = data.perParticle;
  return {
    ...(per ? { perParticle: { width: per.width, rows: per.rows.map((r) => r.slice(lo, hi)) } } : {}),
    ...(data.shared ? { shared: data.shared } : {}),
  };
}

/**
 * The cpu backend's kernels, or a model's particle program, on a pool of worker threads, each owning a contiguous
 * slice of particles. A particle's
 * noise depends only on its global index (its key), so results do not depend on the number of workers.
 */
export class WorkerPoolExecutor implements StepExecutor {
  private readonly lanes: Lane[];
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  mode: string;
  /** What the workers run: a particle program (program), particle-by-particle JavaScript (js), GPU.js kernels (cpu). */
  private readonly kind: string;

  constructor(sources: KernelSources, particles: number, workers: number, data: ExecutorData = {}) {
    this.kind = sources.program ? 'program' : sources.particleKernel ? 'js' : 'cpu';
    this.mode = sources.program ? 'webasm' : 'cpu';
    const n = Math.max(1, Math.min(workers, particles));
    this.lanes = Array.from({ length: n }, (_, i) => {
      const lo = Math.floor((i * particles) / n);
      const hi = Math.floor(((i + 1) * particles) / n);
      const laneData = dataOfLane(data, lo, hi);
      const worker = new Worker(WORKER_ENTRY, {
        workerData: { sources, particles: hi - lo, data: laneData },
      });
      worker.on('message', (r: WorkerReply) => {
        const p = this.pending.get(r.id);
        this.pending.delete(r.id);
        if (!p) return;
        if (r.ok) p.resolve(r);
        else p.reject(r.capacity ? new CapacityError(r.error) : new Error(`${this.kind} worker: ${r.error}`));
      });
      worker.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      return { worker, lo, hi };
    });
  }

  get executorKind(): string {
    return `${this.kind}-workers(${this.lanes.length})`;
  }

  private ask(
    lane: Lane,
    msg: DistributiveOmit<WorkerRequest, 'id'>,
    transfer: ArrayBufferLike[],
  ): Promise<WorkerReply & { ok: true }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: WorkerReply) => void, reject });
      lane.worker.postMessage({ ...msg, id }, transfer as ArrayBuffer[]);
    });
  }

  private slice(state: Float32Array[], lane: Lane): Float32Array[] {
    return state.map((row) => row.slice(lane.lo, lane.hi));
  }

  async run(state: Float32Array[], keys: Float32Array[], base: number, k: number): Promise<Float32Array[]> {
    const replies = await Promise.all(
      this.lanes.map((lane) => {
        const part = this.slice(state, lane);
        const laneKeys = keys.map((row) => row.slice(lane.lo, lane.hi));
        return this.ask(lane, { type: 'run', state: part, keys: laneKeys, base, k }, [
          ...part.map((r) => r.buffer),
          ...laneKeys.map((r) => r.buffer),
        ]);
      }),
    );
    this.mode = replies[0].mode;
    return state.map((_, r) => {
      const row = new Float32Array(state[r].length);
      replies.forEach((rep, i) => {
        row.set(rep.state![r], this.lanes[i].lo);
      });
      return row;
    });
  }

  async regions(state: Float32Array[]): Promise<Float32Array> {
    const out = new Float32Array(state[0].length);
    const replies = await Promise.all(
      this.lanes.map((lane) => {
        const part = this.slice(state, lane);
        return this.ask(
          lane,
          { type: 'regions', state: part },
          part.map((r) => r.buffer),
        );
      }),
    );
    replies.forEach((rep, i) => {
      out.set(rep.regions!, this.lanes[i].lo);
    });
    return out;
  }

  /** New kernels (and data) for the same particles in the running workers: no thread to start again. */
  async rebuild(sources: KernelSources, data: ExecutorData = {}): Promise<void> {
    await Promise.all(
      this.lanes.map((lane) =>
        this.ask(lane, { type: 'rebuild', sources, data: dataOfLane(data, lane.lo, lane.hi) }, []),
      ),
    );
  }

  async destroy(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.worker.terminate()));
  }
}
