import type { Simd } from './simd/simd.js';

/**
 * A model's gradient and region predicates written per particle over its own contiguous data, for the
 * engine's SIMD executor (program-executor.ts). GPU.js kernels give one thread per (particle, coordinate)
 * and read data rows strided by the particle count; a program takes a particle's whole block at once and
 * does its sums as matrix-vector products (simd.ts), which is where a NumPy or JAX user's BLAS wins.
 *
 * A model family that offers one names it in its kernel model (KernelModel.program) by module and
 * arguments, so that worker threads can load it; the module exports `createProgram: ProgramFactory`. It
 * must compute what the family's kernels compute (same gradient and predicates, up to float32 rounding):
 * the backend-matrix tests run both and compare.
 */
export interface ProgramSpec {
  /** URL of the module that exports `createProgram`. */
  module: string;
  /** Its arguments (structured-cloneable: they travel to workers). */
  args: unknown;
}

export interface ParticleProgram {
  /** Floats of one particle's data block in SIMD memory. */
  blockFloats: number;
  /** Floats of the program's own arrays (scratch, shared data) in SIMD memory. */
  scratchFloats: number;
  /** Places the program's arrays at f32[scratch ..] of `simd` (and writes its shared data there); once. */
  bind(simd: Simd, scratch: number): void;
  /** Copies particle q's per-particle data (value k at rows[k][q]) into its block at f32[at ..]. */
  pack(rows: Float32Array[], q: number, f32: Float32Array, at: number): void;
  /** Computes what the gradient and the predicates share at x (the kernels' auxiliary stage). */
  prepare(x: Float64Array, block: number): void;
  /** dU/dx at the prepared x into g (D values); block: the particle's data at f32[block ..]. */
  gradient(x: Float64Array, block: number, g: Float64Array): void;
  /** Whether region `index`'s predicate (the kernel model's regions, in order) holds at the prepared x. */
  holds(index: number, x: Float64Array, block: number): boolean;
}

export type ProgramFactory = (args: unknown, shared: Float32Array | undefined) => ParticleProgram;

/** What the executor needs besides the program: the integrator's constants and the model's bookkeeping. */
export interface ProgramSources {
  spec: ProgramSpec;
  dimensions: number;
  dt: number;
  temperature: number;
  /** Per coordinate: no Langevin kick (a model's bookkeeping coordinate). */
  noiseless: boolean[];
  bounds: ([number, number] | null)[];
  regionCount: number;
  target: number | null;
}

/** Loads a program's factory (a dynamic import of its module). */
export async function loadProgram(spec: ProgramSpec): Promise<ProgramFactory> {
  const mod = (await import(spec.module)) as { createProgram?: ProgramFactory };
  if (typeof mod.createProgram !== 'function') throw new Error(`${spec.module} exports no createProgram`);
  return mod.createProgram;
}
