import fs from 'node:fs';
import path from 'node:path';
import gpujs from 'gpu.js';
import { describe, expect, it } from 'vitest';
import type { KernelSources } from '../../src/engine/executor.js';
import { GpuExecutor } from '../../src/engine/gpu-executor.js';
import { particleKernelSources } from '../../src/engine/particle-kernel.js';
import { ParticleKernelExecutor } from '../../src/engine/particle-kernel-executor.js';
import { auxKernelSource, regionKernelSource, stepKernelSource } from '../../src/engine/kernel-source.js';
import { keyFromSeed, kernelRngSources, NORMAL_TABLE, particleKey, streamKey } from '../../src/engine/rng.js';
import { toKernelModel } from '../../src/landscape/kernel-model.js';
import { resolveScenario } from '../../src/landscape/resolve.js';

const files = ['scenarios', 'bench'].flatMap((dir) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(dir, f)),
);

describe('cpu backend: particle-by-particle JavaScript against the GPU.js cpu kernels it replaced', () => {
  // Same expressions, literals and order of operations, so the same float32 results: bit for bit, over steps
  // that start from the shipped start, with each scenario's own noise and a model's data, first passages and
  // regions included. (A changed operand order or a missed float32 rounding of an auxiliary value shows here.)
  it.each(files)('%s: identical states, first passages and regions', async (file) => {
    const s = resolveScenario(file, { particles: 96 });
    const model = toKernelModel(s);
    const constants = { dt: s.dt, temperature: s.temperature };
    const sources: KernelSources = {
      step: stepKernelSource(model, constants),
      region: regionKernelSource(model),
      rng: kernelRngSources('cpu'),
      rows: model.dimensions + 1,
      stepConstants: { ztab: NORMAL_TABLE },
      ...(model.aux ? { aux: { source: auxKernelSource(model)!, width: model.aux.width } } : {}),
      ...(model.maxLoop !== undefined ? { loopMax: model.maxLoop + 1 } : {}),
    };
    const data = model.data ?? {};
    const gpu = new GpuExecutor(new gpujs.GPU({ mode: 'cpu' }), sources, s.particles, data);
    const js = new ParticleKernelExecutor(
      { ...sources, particleKernel: particleKernelSources(model, constants) },
      s.particles,
      data,
    );
    const key = keyFromSeed(s.seed);
    const k0 = Float32Array.from({ length: s.particles }, (_, p) => particleKey(key, p, 0));
    const keys = [k0, k0.map((w) => streamKey(w))];
    let a: Float32Array[] = [...s.initial(), new Float32Array(s.particles).fill(-1)];
    let b: Float32Array[] = a.map((r) => Float32Array.from(r));
    for (const base of [0, 7]) {
      a = await gpu.run(a, keys, base, 7);
      b = await js.run(b, keys, base, 7);
      expect(b.map((r) => Array.from(r))).toEqual(a.map((r) => Array.from(r)));
      expect(Array.from(await js.regions(b))).toEqual(Array.from(await gpu.regions(a)));
      a[model.dimensions].fill(-1);
      b[model.dimensions].fill(-1);
    }
    expect(js.executorKind).toBe('js');
    gpu.destroy();
  });
});
