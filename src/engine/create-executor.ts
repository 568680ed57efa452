import os from 'node:os';
import type { Backend } from './backend.js';
import type { ExecutorData, KernelSources, StepExecutor } from './executor.js';
import { GpuExecutor } from './gpu-executor.js';
import { ParticleKernelExecutor } from './particle-kernel-executor.js';
import { ProgramExecutor } from './program-executor.js';
import { WorkerPoolExecutor } from './worker-pool-executor.js';

/**
 * Below this many particles a worker pool costs more in messages than it saves: GPU.js kernels spend well
 * under a microsecond per particle-step, a particle program (a whole network's gradient) several.
 */
const POOL_MIN_PARTICLES = 2048;
const PROGRAM_POOL_MIN_PARTICLES = 256;

/** Workers of the cpu backend and of particle programs: GROKSCAPE_CPU_WORKERS if set, else one per core. */
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
  if (sources.program) {
    return workers > 1 && particles >= PROGRAM_POOL_MIN_PARTICLES
      ? new WorkerPoolExecutor(sources, particles, workers, data)
      : new ProgramExecutor(sources.program, particles, data);
  }
  if (sources.particleKernel) {
    return workers > 1 && particles >= POOL_MIN_PARTICLES
      ? new WorkerPoolExecutor(sources, particles, workers, data)
      : new ParticleKernelExecutor({ ...sources, particleKernel: sources.particleKernel }, particles, data);
  }
  return new GpuExecutor(backend.gpu, sources, particles, data);
}
