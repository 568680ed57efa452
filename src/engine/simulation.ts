import os from 'node:os';
import { BackendError, type Backend } from './backend.js';
import { createExecutor } from './create-executor.js';
import { CapacityError } from './errors.js';
import { particleKernelSources } from './particle-kernel.js';
import type { KernelSources, StepExecutor } from './executor.js';
import { dataBytes, type KernelModel } from './kernel-model.js';
import {
  auxKernelSource,
  drawsNoise,
  regionKernelSource,
  stepKernelSource,
  type StepConstants,
} from './kernel-source.js';
import { kernelRngSources, keyFromSeed, NORMAL_TABLE, particleKey, STEP_SPLIT, streamKey, type RngKey } from './rng.js';

/** Steps fused into one dispatch at most: the pipeline unrolls them at build time. */
export const MAX_CHUNK = 4096;
/** Float32 copies of the state the engine may hold at once (host, two pipeline buffers, readback, slack). */
const STATE_COPIES = 5;

export interface SimulationConfig {
  particles: number;
  dt: number;
  temperature: number;
  seed: number;
  /** Initial coordinates: D rows of `particles` values. */
  initial: Float32Array[];
  /** Steps per kernel call (1..MAX_CHUNK). */
  chunk: number;
}

export class DivergenceError extends Error {
  constructor(
    readonly step: number,
    readonly dt: number,
  ) {
    super(`state became NaN or infinite by step ${step} with dt=${dt}`);
  }
}

export { CapacityError };

/**
 * Bytes the engine will hold for P particles in D dimensions (see STATE_COPIES); `extraBytes`: a model's
 * constant data and auxiliary buffers, counted twice (host copy and the copy handed to the kernels).
 */
export function estimateBytes(particles: number, dimensions: number, extraBytes = 0): number {
  return particles * ((dimensions + 1) * 4 * STATE_COPIES + 8 + 4 + 4) + FIXED_BYTES + 2 * extraBytes;
}

/** What the engine holds whatever the particle count (modules, tables, kernels). */
export const FIXED_BYTES = 64 * 1024 * 1024;

/** The memory the engine may use: GROKSCAPE_MEMORY_LIMIT bytes if set, else 80% of physical memory. */
export function memoryLimit(): number {
  const env = Number(process.env.GROKSCAPE_MEMORY_LIMIT);
  return Number.isFinite(env) && env > 0 ? env : os.totalmem() * 0.8;
}

/** Refuses a particle count the generator cannot index. */
function checkParticleIndex(particles: number): void {
  if (particles >= STEP_SPLIT * 2)
    throw new CapacityError(`particles must be below ${STEP_SPLIT * 2} (the generator's particle index is 24 bits)`);
}

/** Refuses sizes that would not fit in `limitBytes` (and particle counts past the generator's index). */
export function checkCapacity(particles: number, dimensions: number, limitBytes = memoryLimit(), extraBytes = 0): void {
  checkParticleIndex(particles);
  const need = estimateBytes(particles, dimensions, extraBytes);
  if (need > limitBytes) {
    const gib = (b: number) => (b / 2 ** 30).toFixed(2);
    throw new CapacityError(
      `${particles} particles x ${dimensions} coordinates need about ${gib(need)} GiB, more than the ${gib(limitBytes)} GiB available: lower particles`,
    );
  }
}

/** A model's data plus its auxiliary buffers (two pipeline buffers and a readback) in bytes. */
export function modelBytes(model: KernelModel, particles: number): number {
  return dataBytes(model) + (model.aux ? 3 * particles * model.aux.width * 4 : 0);
}

/**
 * SGLD for many independent particles on one backend. State lives as D + 1 float32 rows (coordinates,
 * then the first-passage row); the host keeps exact integer step counts and first-passage steps in float64.
 */
export class Simulation {
  /** Steps taken since creation (exact integer); it also numbers the random draws, so it never rewinds. */
  step = 0;
  /** Step at which the current statistics started (see restartClock). */
  origin = 0;
  /** Per particle: the step at which it first entered the target region, or -1. */
  readonly firstPassage: Float64Array;

  private state: Float32Array[];
  /** The particles' two key words for the current step block (rng.ts: particleKey, streamKey). */
  private keys: Float32Array[];
  private keyBlock = -1;
  private readonly rngKey: RngKey;
  private executor!: StepExecutor;
  private constants: StepConstants;

  private constructor(
    public model: KernelModel,
    public backend: Backend,
    readonly config: SimulationConfig,
  ) {
    const { particles, initial } = config;
    this.rngKey = keyFromSeed(config.seed);
    this.firstPassage = new Float64Array(particles).fill(-1);
    this.keys = [new Float32Array(particles), new Float32Array(particles)];
    this.state = [...initial.map((row) => Float32Array.from(row)), new Float32Array(particles).fill(-1)];
    this.constants = { dt: config.dt, temperature: config.temperature };
  }

  static create(model: KernelModel, backend: Backend, config: SimulationConfig): Simulation {
    const { particles, chunk, initial } = config;
    if (!Number.isInteger(particles) || particles < 1)
      throw new RangeError(`particles must be a positive integer, got ${particles}`);
    checkParticleIndex(particles);
    if (!Number.isInteger(chunk) || chunk < 1 || chunk > MAX_CHUNK)
      throw new RangeError(`chunk must be an integer in 1..${MAX_CHUNK}`);
    if (initial.length !== model.dimensions || initial.some((r) => r.length !== particles)) {
      throw new RangeError(`initial state must be ${model.dimensions} rows of ${particles} values`);
    }
    const per = model.data?.perParticle;
    if (per && (per.rows.length !== per.width || per.rows.some((r) => r.length !== particles))) {
      throw new RangeError(`per-particle data must be ${per.width} rows of ${particles} values`);
    }
    checkCapacity(particles, model.dimensions, memoryLimit(), modelBytes(model, particles));
    const sim = new Simulation(model, backend, config);
    sim.buildKernels();
    return sim;
  }

  get particles(): number {
    return this.config.particles;
  }

  /** Mode of the kernels that actually ran (GPU.js may fall back silently; tests assert this). */
  get kernelMode(): string {
    return this.executor.mode;
  }

  /** How the kernels were dispatched (e.g. fused-threaded, generic, js-workers(2), program). */
  get executorKind(): string {
    return this.executor.executorKind;
  }

  /**
   * Changes the temperature and/or the landscape (same number of coordinates) from the next step on.
   * Positions and the step counter (hence the noise stream) are kept.
   */
  async reconfigure(change: { temperature?: number; model?: KernelModel }): Promise<void> {
    if (change.model && change.model.dimensions !== this.model.dimensions) {
      throw new RangeError(
        `a new landscape must keep ${this.model.dimensions} coordinates, got ${change.model.dimensions}`,
      );
    }
    if (change.model) this.model = change.model;
    if (change.temperature !== undefined) this.constants = { ...this.constants, temperature: change.temperature };
    if (this.executor.rebuild) {
      await this.executor.rebuild(this.kernelSources(), this.model.data ?? {});
      return;
    }
    await this.executor.destroy();
    this.buildKernels();
  }

  private buildKernels(): void {
    this.executor = createExecutor(this.backend, this.kernelSources(), this.particles, this.model.data ?? {});
  }

  private kernelSources(): KernelSources {
    const sources: KernelSources = {
      step: stepKernelSource(this.model, this.constants),
      region: regionKernelSource(this.model),
      rng: kernelRngSources(this.backend.name),
      rows: this.model.dimensions + 1,
    };
    if (drawsNoise(this.model, this.constants)) sources.stepConstants = { ztab: NORMAL_TABLE };
    const aux = auxKernelSource(this.model);
    if (aux) sources.aux = { source: aux, width: this.model.aux!.width };
    if (this.model.functions) sources.functions = this.model.functions;
    if (this.model.maxLoop !== undefined) sources.loopMax = this.model.maxLoop + 1;
    if (this.backend.name === 'cpu') sources.particleKernel = particleKernelSources(this.model, this.constants);
    if (this.model.program && this.backend.name === 'webasm') {
      sources.program = {
        spec: this.model.program,
        dimensions: this.model.dimensions,
        dt: this.constants.dt,
        temperature: this.constants.temperature,
        noiseless: this.model.gradient.map((g) => g.noiseless === true),
        bounds: this.model.bounds,
        regionCount: this.model.regions.length,
        target: this.model.target,
      };
    }
    return sources;
  }

  /**
   * Runs one executor call. WebGPU compiles a kernel at its first call, so a kernel the adapter rejects
   * fails there: under `auto` the simulation moves to the backend's fallback (the state is on the host and
   * unchanged, the streams are the same on every backend) and says so in one line; otherwise the failure is
   * one line that says what to try.
   */
  private async onBackend<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (this.backend.name !== 'webgpu' || e instanceof DivergenceError) throw e;
      const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);
      if (!this.backend.fallback) {
        throw new BackendError(
          `webgpu could not run this model's kernels (${reason}); try --backend cpu or --backend auto`,
        );
      }
      const next = this.backend.fallback();
      process.stderr.write(
        `grokscape: webgpu could not run this model's kernels (${reason}); falling back to ${next.name}\n`,
      );
      await Promise.resolve(this.executor.destroy()).catch(() => undefined);
      this.backend = next;
      this.buildKernels();
      return this.onBackend(call);
    }
  }

  private refreshKeys(block: number): void {
    if (block === this.keyBlock) return;
    for (let p = 0; p < this.particles; p++) {
      this.keys[0][p] = particleKey(this.rngKey, p, block);
      this.keys[1][p] = streamKey(this.keys[0][p]);
    }
    this.keyBlock = block;
  }

  /**
   * Advances `steps` steps in calls of at most `chunk` steps. Particles first seen in the target region
   * are recorded in firstPassage with their exact step. Throws DivergenceError at the first call whose
   * result holds a NaN or infinity; the state then stays at the last finite one.
   */
  async advance(steps: number): Promise<void> {
    if (!Number.isInteger(steps) || steps < 0)
      throw new RangeError(`steps must be a non-negative integer, got ${steps}`);
    const D = this.model.dimensions;
    let left = steps;
    while (left > 0) {
      const block = Math.floor(this.step / STEP_SPLIT);
      const base = this.step - block * STEP_SPLIT;
      const k = Math.min(left, this.config.chunk, STEP_SPLIT - base);
      this.refreshKeys(block);
      this.state[D].fill(-1);
      const next = await this.onBackend(() => this.executor.run(this.state, this.keys, base, k));
      for (let r = 0; r < D; r++) {
        const row = next[r];
        for (let i = 0; i < row.length; i++) {
          if (!Number.isFinite(row[i])) throw new DivergenceError(this.step + k, this.constants.dt);
        }
      }
      const passage = next[D];
      for (let p = 0; p < passage.length; p++) {
        if (passage[p] >= 0 && this.firstPassage[p] < 0) this.firstPassage[p] = this.step + passage[p];
      }
      this.state = next;
      this.step += k;
      left -= k;
    }
  }

  /** Current region index of every particle (regions.length means "other"). */
  async regions(): Promise<Float32Array> {
    const out = await this.onBackend(() => this.executor.regions(this.state));
    const target = this.model.target;
    if (target !== null) {
      // The step kernel checks a state when it starts the next step; the current state is checked here.
      for (let p = 0; p < out.length; p++)
        if (out[p] === target && this.firstPassage[p] < 0) this.firstPassage[p] = this.step;
    }
    return out;
  }

  /** One coordinate row without copying; valid until the next advance. */
  row(coordinate: number): Float32Array {
    return this.state[coordinate];
  }

  /** Replaces all positions (a reset) and restarts the statistics clock. */
  reset(initial: Float32Array[]): void {
    this.state = [...initial.map((row) => Float32Array.from(row)), new Float32Array(this.particles).fill(-1)];
    this.restartClock();
  }

  /** Restarts first passages and the statistics clock, keeping positions; the noise stream goes on. */
  restartClock(): void {
    this.firstPassage.fill(-1);
    this.origin = this.step;
  }

  async destroy(): Promise<void> {
    await this.executor.destroy();
  }
}
