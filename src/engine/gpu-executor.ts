import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Gpu } from './backend.js';
import type { KernelSources, StepExecutor } from './executor.js';

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

/** Runs the kernels on one GPU.js instance: K steps unrolled into one pipeline dispatch. */
export class GpuExecutor implements StepExecutor {
  private readonly stepKernel: Kernel;
  private readonly regionKernel: Kernel;
  private readonly pipelines = new Map<number, Pipeline>();
  executorKind = '';

  constructor(
    private readonly gpu: Gpu,
    sources: KernelSources,
    particles: number,
  ) {
    // addFunction and createKernel take source strings at run time; the typings only list functions.
    for (const src of sources.rng) gpu.addFunction(src as never);
    this.stepKernel = gpu.createKernel(sources.step as never, { output: [particles, sources.rows], precision: 'single' }) as unknown as Kernel;
    this.regionKernel = gpu.createKernel(sources.region as never, { output: [particles], precision: 'single', asyncMode: true }) as unknown as Kernel;
  }

  get mode(): string {
    return this.stepKernel.kernel?.constructor.mode ?? 'unknown';
  }

  private pipeline(k: number): Pipeline {
    let p = this.pipelines.get(k);
    if (!p) {
      const kernel = this.stepKernel;
      p = this.gpu.createPipeline(function (state: unknown, keys: unknown, base: number) {
        let s: unknown = state;
        for (let i = 0; i < k; i++) s = kernel(s, keys, base, i);
        return s;
      }) as unknown as Pipeline;
      this.pipelines.set(k, p);
    }
    return p;
  }

  async run(state: Float32Array[], keys: Float32Array, base: number, k: number): Promise<Float32Array[]> {
    const pipe = this.pipeline(k);
    const next = await pipe(state, keys, base);
    this.executorKind = pipe.executorKind;
    // On the synchronous modes the pipeline has already run on this thread, and awaiting its settled
    // promise does not let timers, signals or keys in: a run of many calls would starve them until it ends.
    await yieldToEventLoop();
    return Array.from(next);
  }

  async regions(state: Float32Array[]): Promise<Float32Array> {
    return (await this.regionKernel(state)) as Float32Array;
  }

  destroy(): void {
    for (const p of this.pipelines.values()) p.destroy?.();
    this.pipelines.clear();
    this.stepKernel.destroy?.();
    this.regionKernel.destroy?.();
  }
}
