import os from 'node:os';
import type { Backend } from './backend.js';
import type { ExecutorData, KernelSources, StepExecutor } from './executor.js';
import { GpuExecutor } from './gpu-executor.js';
import { WorkerPoolExecutor } from './worker-pool-executor.js';

/** Below this many particles a worker pool costs more in messages than it saves. */
const POOL_MIN_PARTICLES = 2048;

/** cpu-backend workers: GROKSCAPE_CPU_WORKERS if set, else one per core. */
export function cpuWorkers(): number {
  const env = Number(process.env.GROKSCAPE_CPU_WORKERS);
  return Number.isInteger(env) && env >= 1 ? env : os.availableParallelism();
}

export function createExecutor(
  backend: Backend,
  sources: KernelSources,
  particles: number,
  data: ExecutorData = {},
): StepExecutor {
  const workers = cpuWorkers();
  if (backend.name === 'cpu' && workers > 1 && particles >= POOL_MIN_PARTICLES) {
    return new WorkerPoolExecutor(sources, particles, workers, data);
  }
  return new GpuExecutor(backend.gpu, sources, particles, data);
}
