import type { ParticleKernelSources } from './particle-kernel.js';
import type { ProgramSources } from './particle-program.js';

/**
 * Where the kernels of one simulation run. The Simulation (host bookkeeping) hands an executor the state
 * rows and gets the next state back; executors differ only in where the work happens.
 */
export interface KernelSources {
  step: string;
  region: string;
  rng: readonly string[];
  /** Constant arrays of the step kernel (`this.constants.<name>`): the generator's normal table when it draws noise. */
  stepConstants?: Record<string, Float32Array>;
  /** Rows of the state: D coordinates and the first-passage row. */
  rows: number;
  /** A model's auxiliary stage (kernel-source.ts): its source and its output width A. */
  aux?: { source: string; width: number };
  /** A model's helper functions, added like the generator's. */
  functions?: readonly string[];
  /** loopMaxIterations for every kernel, above the largest loop bound the model emits. */
  loopMax?: number;
  /** The model's particle program, where the backend runs it instead of the kernels (webasm). */
  program?: ProgramSources;
  /** The kernels as particle-by-particle JavaScript (the cpu backend). */
  particleKernel?: ParticleKernelSources;
}

/**
 * A model's constant data as the executors pass it (see KernelData): per-particle rows (W rows of P values)
 * and shared values. Kernels receive [data][, shared] after their other arguments.
 */
export interface ExecutorData {
  perParticle?: { width: number; rows: Float32Array[] };
  shared?: Float32Array;
}

export interface StepExecutor {
  /** Runs `k` steps from `state` for the step block whose particle key rows are `keys`; returns the new state. */
  run(state: Float32Array[], keys: Float32Array[], base: number, k: number): Promise<Float32Array[]>;
  /** Region index of every particle for `state`. */
  regions(state: Float32Array[]): Promise<Float32Array>;
  /** GPU.js kernel mode that ran (asserted in tests), e.g. cpu, webasm, webgpu. */
  readonly mode: string;
  /** How the steps were dispatched, e.g. fused-threaded, generic, js-workers(2), program. */
  readonly executorKind: string;
  /** Replaces the kernels and data for the same particles, where that is cheaper than a new executor. */
  rebuild?(sources: KernelSources, data: ExecutorData): Promise<void>;
  destroy(): Promise<void> | void;
}
