import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Gpu } from './backend.js';
import type { ExecutorData, KernelSources, StepExecutor } from './executor.js';

interface Kernel {
  (...args: unknown[]): unknown;
  kernel?: { constructor: { mode?: string } };
  destroy?: () => void;
}
interface Pipeline {
  (...args: unknown[]): Promise<Float32Array[]>;
  executorKind: string;
  destroy?: () => void;
}

/**
 * Runs the kernels on one GPU.js instance: K steps unrolled into one pipeline dispatch (aux -> step K times
 * for a model with an auxiliary stage). A model's data are pipeline arguments, so they stay resident.
 */
export class GpuExecutor implements StepExecutor {
  private readonly stepKernel: Kernel;
  private readonly regionKernel: Kernel;
  private readonly auxKernel: Kernel | null = null;
  private readonly dataArgs: (Float32Array | Float32Array[])[];
  private readonly pipelines = new Map<number, Pipeline>();
  executorKind = '';

  constructor(
    private readonly gpu: Gpu,
    sources: KernelSources,
    particles: number,
    data: ExecutorData = {},
  ) {
    // addFunction and createKernel take source strings at run time; the typings only list functions.
    for (const src of [...sources.rng, ...(sources.functions ?? [])]) gpu.addFunction(src as never);
    const loop = sources.loopMax === undefined ? {} : { loopMaxIterations: sources.loopMax };
    const constants = sources.stepConstants ? { constants: sources.stepConstants } : {};
    this.stepKernel = gpu.createKernel(sources.step as never, {
      output: [particles, sources.rows],
      precision: 'single',
      ...constants,
      ...loop,
    }) as unknown as Kernel;
    this.regionKernel = gpu.createKernel(sources.region as never, {
      output: [particles],
      precision: 'single',
      asyncMode: true,
      ...loop,
    }) as unknown as Kernel;
    if (sources.aux) {
      this.auxKernel = gpu.createKernel(sources.aux.source as never, {
        output: [particles, sources.aux.width],
        precision: 'single',
        ...loop,
      }) as unknown as Kernel;
    }
    this.dataArgs = [...(data.perParticle ? [data.perParticle.rows] : []), ...(data.shared ? [data.shared] : [])];
  }

  get mode(): string {
    return this.stepKernel.kernel?.constructor.mode ?? 'unknown';
  }

  /** Mode of the auxiliary kernel (null without one): asserted in tests like the step kernel's. */
  get auxMode(): string | null {
    return this.auxKernel ? (this.auxKernel.kernel?.constructor.mode ?? 'unknown') : null;
  }

  private pipeline(k: number): Pipeline {
    let p = this.pipelines.get(k);
    if (!p) {
      const kernel = this.stepKernel;
      const aux = this.auxKernel;
      const steps = (state: unknown, keys: unknown, base: number, data: unknown[]) => {
        let s: unknown = state;
        for (let i = 0; i < k; i++) {
          s = aux ? kernel(s, keys, base, i, aux(s, ...data), ...data) : kernel(s, keys, base, i, ...data);
        }
        return s;
      };
      // The pipeline passes its tracer as many argument handles as the function declares (Function.length):
      // one declared parameter per data argument, no rest parameter.
      const fn =
        this.dataArgs.length === 0
          ? (state: unknown, keys: unknown, base: number) => steps(state, keys, base, [])
          : this.dataArgs.length === 1
            ? (state: unknown, keys: unknown, base: number, d0: unknown) => steps(state, keys, base, [d0])
            : (state: unknown, keys: unknown, base: number, d0: unknown, d1: unknown) =>
                steps(state, keys, base, [d0, d1]);
      p = this.gpu.createPipeline(fn) as unknown as Pipeline;
      this.pipelines.set(k, p);
    }
    return p;
  }

  async run(state: Float32Array[], keys: Float32Array[], base: number, k: number): Promise<Float32Array[]> {
    const pipe = this.pipeline(k);
    const next = await pipe(state, keys, base, ...this.dataArgs);
    this.executorKind = pipe.executorKind;
    // On the synchronous modes the pipeline has already run on this thread, and awaiting its settled
    // promise does not let timers, signals or keys in: a run of many calls would starve them until it ends.
    await yieldToEventLoop();
    return Array.from(next);
  }

  async regions(state: Float32Array[]): Promise<Float32Array> {
    if (!this.auxKernel) return (await this.regionKernel(state)) as Float32Array;
    // On webgpu a kernel call returns a promise of its result; awaiting is a no-op on the synchronous modes.
    const aux = await this.auxKernel(state, ...this.dataArgs);
    return (await this.regionKernel(state, aux, ...this.dataArgs)) as Float32Array;
  }

  destroy(): void {
    for (const p of this.pipelines.values()) p.destroy?.();
    this.pipelines.clear();
    this.stepKernel.destroy?.();
    this.regionKernel.destroy?.();
    this.auxKernel?.destroy?.();
  }
}
