import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExecutorData, StepExecutor } from './executor.js';
import { loadProgram, type ParticleProgram, type ProgramSources } from './particle-program.js';
import { fmix24Imul, normal24 } from './rng.js';
import { MAX_FLOATS, Simd } from './simd/simd.js';
import { CapacityError } from './errors.js';

/**
 * Runs a model's particle program (particle-program.ts) on this thread: particle by particle, all K steps of
 * a call in a row, so a particle's data block is read from memory once per call and stays in cache for the
 * rest. The integrator is the step kernel's (kernel-source.ts), statement for statement: the first-passage
 * test on the state a step starts from, x <- x - dt grad U + sqrt(2 T dt) xi with xi from the particle's
 * word at slot r (rng.ts), reflection at walls, float32 rounding of every stored coordinate. So the noise is
 * bit-identical to every other backend's and positions agree to float32 rounding (tested).
 */
export class ProgramExecutor implements StepExecutor {
  readonly mode = 'webasm';
  readonly executorKind = 'program';
  private readonly ready: Promise<void>;
  private program!: ParticleProgram;
  private simd!: Simd;
  private blocks = 0;

  constructor(
    private readonly sources: ProgramSources,
    private readonly particles: number,
    data: ExecutorData = {},
  ) {
    this.ready = this.init(data);
    // A failure surfaces at the first run or regions call, which await `ready`.
    this.ready.catch(() => undefined);
  }

  private async init(data: ExecutorData): Promise<void> {
    const factory = await loadProgram(this.sources.spec);
    this.program = factory(this.sources.spec.args, data.shared);
    const width = this.program.blockFloats;
    this.blocks = this.program.scratchFloats;
    const floats = this.blocks + width * this.particles;
    if (floats > MAX_FLOATS) {
      throw new CapacityError(
        `the webasm backend's program holds ${this.particles} particles' data in ${(floats / 2 ** 28).toFixed(2)} GiB, more than WebAssembly's 4 GiB per worker: lower particles, or use --backend cpu`,
      );
    }
    this.simd = new Simd(floats);
    this.program.bind(this.simd, 0);
    const rows = data.perParticle?.rows ?? [];
    if (width > 0)
      for (let q = 0; q < this.particles; q++) this.program.pack(rows, q, this.simd.f32, this.blocks + q * width);
  }

  async run(state: Float32Array[], keys: Float32Array[], base: number, k: number): Promise<Float32Array[]> {
    await this.ready;
    const { dimensions: D, dt, temperature, noiseless, bounds, target } = this.sources;
    const prog = this.program;
    const amp = noiseless.map((quiet) => (quiet ? 0 : Math.sqrt(2 * temperature * dt)));
    const noisy = amp.some((a) => a > 0);
    const walls = bounds.map((b) => (b ? [b[0], b[1], 2 * b[0], 2 * b[1]] : null));
    const out = state.map((row) => new Float32Array(row.length));
    const x = new Float64Array(D);
    const g = new Float64Array(D);
    const width = prog.blockFloats;
    for (let p = 0; p < this.particles; p++) {
      const block = this.blocks + p * width;
      for (let r = 0; r < D; r++) x[r] = state[r][p];
      let passage = state[D][p];
      const k0 = keys[0][p];
      const k1 = keys[1][p];
      for (let s = 0; s < k; s++) {
        prog.prepare(x, block);
        if (target !== null && passage < 0 && prog.holds(target, x, block)) passage = s;
        prog.gradient(x, block, g);
        const step = noisy ? fmix24Imul(fmix24Imul(k0 ^ (base + s)) ^ k1) : 0;
        for (let r = 0; r < D; r++) {
          let v = x[r] - dt * g[r];
          if (amp[r] > 0) v += amp[r] * normal24(r === 0 ? step : fmix24Imul(step ^ r));
          const w = walls[r];
          if (w) {
            if (v < w[0]) v = w[2] - v;
            if (v > w[1]) v = w[3] - v;
            v = Math.min(Math.max(v, w[0]), w[1]);
          }
          x[r] = Math.fround(v);
        }
      }
      for (let r = 0; r < D; r++) out[r][p] = x[r];
      out[D][p] = passage;
    }
    // The calls run on this thread: let timers, signals and keys in between them.
    await yieldToEventLoop();
    return out;
  }

  async regions(state: Float32Array[]): Promise<Float32Array> {
    await this.ready;
    const { dimensions: D, regionCount } = this.sources;
    const out = new Float32Array(this.particles);
    const x = new Float64Array(D);
    const width = this.program.blockFloats;
    for (let p = 0; p < this.particles; p++) {
      const block = this.blocks + p * width;
      for (let r = 0; r < D; r++) x[r] = state[r][p];
      this.program.prepare(x, block);
      let region = regionCount;
      for (let i = 0; i < regionCount; i++) {
        if (this.program.holds(i, x, block)) {
          region = i;
          break;
        }
      }
      out[p] = region;
    }
    return out;
  }

  destroy(): void {}
}
