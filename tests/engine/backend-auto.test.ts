import gpujs from 'gpu.js';
import { describe, expect, it } from 'vitest';
import {
  AUTO_ORDER,
  availableBackends,
  BackendError,
  openBackend,
  type Backend,
  type KernelWorkload,
} from '../../src/engine/backend.js';
import { Simulation } from '../../src/engine/simulation.js';
import { isSoftwareAdapter } from '../../src/engine/webgpu.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { workloadOf } from '../../src/landscape/scenario.js';
import { doubleWell } from '../helpers/models.js';

const probed = await availableBackends();
/** What auto may take here: available, and for webgpu a hardware adapter. */
const takeable = probed
  .filter((b) => b.ok && !(b.name === 'webgpu' && b.adapter && isSoftwareAdapter(b.adapter)))
  .map((b) => b.name);

describe('--backend auto', () => {
  it.each(['pointwise', 'data-loops'] as KernelWorkload[])(
    'takes the first takeable backend of the %s order and says why not the others',
    async (workload) => {
      const expected = AUTO_ORDER[workload].find((b) => takeable.includes(b))!;
      const backend = await openBackend('auto', workload);
      expect(backend.name).toBe(expected);
      for (const other of AUTO_ORDER[workload].filter((b) => b !== expected))
        expect(backend.note).toContain(`${other}: `);
      expect(backend.note.split('\n')).toHaveLength(1);
    },
  );

  // Skipped, not passed, where there is no software adapter to pass over (an early return reported a pass
  // that had asserted nothing); CI provisions one (GROKSCAPE_REQUIRE_WEBGPU=1), so it runs there.
  const webgpu = probed.find((b) => b.name === 'webgpu')!;
  const softwareAdapter = webgpu.ok && !!webgpu.adapter && isSoftwareAdapter(webgpu.adapter);
  it.skipIf(!softwareAdapter)(
    'never takes a software WebGPU adapter, and names the adapter when it passes one over',
    async () => {
      const backend = await openBackend('auto', 'pointwise');
      expect(backend.name).not.toBe('webgpu');
      expect(backend.note).toMatch(/webgpu: adapter .*software rasterizer/);
    },
  );

  it('tells software adapters from GPUs by their info', () => {
    const base = { vendor: '', architecture: '', device: '', description: '', fallback: false };
    expect(isSoftwareAdapter({ ...base, vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15' })).toBe(
      true,
    );
    expect(isSoftwareAdapter({ ...base, vendor: 'google', description: 'SwiftShader Device (Subzero)' })).toBe(true);
    expect(isSoftwareAdapter({ ...base, fallback: true })).toBe(true);
    expect(isSoftwareAdapter({ ...base, vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' })).toBe(
      false,
    );
  });

  // The order itself (cpu before webasm for pointwise kernels, webasm first for loops over data) is a claim
  // about speed, measured in BENCHMARKS.md: a test comparing AUTO_ORDER with a copy of itself could not fail,
  // so it was removed. What can be tested is that the order is used: each scenario is routed to the order of
  // the kernels it compiles to, and the fallbacks follow the order.
  it('routes the model families (loops over their data) to the data-loops order and formulas to pointwise', () => {
    // Catches a data-loop family resolved or classified as pointwise: auto would give it the slower cpu kernels.
    const routed = Object.fromEntries(
      ['double-well', 'entropic-funnel', 'lazy-rich', 'linear-separability'].map((n) => [
        n,
        workloadOf(resolveScenario(n)),
      ]),
    );
    expect(routed).toEqual({
      'double-well': 'pointwise',
      'entropic-funnel': 'pointwise',
      'lazy-rich': 'data-loops',
      'linear-separability': 'data-loops',
    });
  });

  it.each(['pointwise', 'data-loops'] as KernelWorkload[])(
    'falls back from backend to backend in the %s order',
    async (workload) => {
      // Catches a fallback chain that skips a backend, repeats one, or leaves the order (e.g. always cpu).
      const order = AUTO_ORDER[workload].filter((b) => takeable.includes(b));
      const chain: string[] = [];
      let b: Backend | undefined = await openBackend('auto', workload);
      while (b) {
        chain.push(b.name);
        b = b.fallback?.();
      }
      expect(chain).toEqual([order[0], ...order.slice(1).filter((n) => n !== 'webgpu')]);
    },
  );
});

/** A webgpu backend whose kernels fail at their first call, as a shader the adapter rejects does. */
function failingWebGpu(fallback?: () => Backend): Backend {
  const fail = () => Promise.reject(new Error('Tint: shader compilation failed\nsecond line'));
  const gpu = {
    addFunction: () => undefined,
    createKernel: () => Object.assign(fail, { destroy: () => undefined }),
    createPipeline: () => Object.assign(fail, { executorKind: 'fake', destroy: () => undefined }),
  };
  return { name: 'webgpu', gpu: gpu as unknown as Backend['gpu'], note: 'fake', ...(fallback ? { fallback } : {}) };
}

describe('a webgpu backend that cannot compile the kernels', () => {
  const config = (P: number) => ({
    particles: P,
    dt: 0.01,
    temperature: 0.3,
    seed: 5,
    chunk: 50,
    initial: [new Float32Array(P).fill(-1)],
  });

  it('under auto, falls back to the next backend, says so in one line, and gives the same results as that backend', async () => {
    const cpu = (): Backend => ({ name: 'cpu', gpu: new gpujs.GPU({ mode: 'cpu' }), note: 'cpu' });
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    const sim = Simulation.create(doubleWell(0.5), failingWebGpu(cpu), config(64));
    try {
      await sim.advance(200);
    } finally {
      process.stderr.write = write;
    }
    expect(lines).toEqual([
      expect.stringMatching(/^grokscape: webgpu could not run .*shader compilation failed\); falling back to cpu\n$/),
    ]);
    expect(sim.kernelMode).toBe('cpu');
    const ref = Simulation.create(doubleWell(0.5), cpu(), config(64));
    await ref.advance(200);
    expect(Array.from(sim.row(0))).toEqual(Array.from(ref.row(0)));
    expect(Array.from(sim.firstPassage)).toEqual(Array.from(ref.firstPassage));
  });

  it('when requested explicitly, fails with one line that says what to try', async () => {
    const sim = Simulation.create(doubleWell(0.5), failingWebGpu(), config(8));
    const err = await sim.advance(10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(
      /^webgpu could not run this model's kernels \(Tint: shader compilation failed\); try --backend cpu/,
    );
    expect((err as Error).message).not.toContain('\n');
  });
});
