import seedrandom from 'seedrandom';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend, type BackendName } from '../../src/engine/backend.js';
import { carve, MAX_FLOATS, Simd, simdSupported } from '../../src/engine/simd/simd.js';
import { toKernelModel } from '../../src/landscape/kernel-model.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { workloadOf } from '../../src/landscape/scenario.js';
import { listScenarios } from '../../src/scenario/load.js';
import { createSimulation } from '../../src/observe/run-scenario.js';

describe('SIMD products (engine/simd)', () => {
  it('the module validates: this Node runs WebAssembly SIMD', () => {
    expect(simdSupported()).toBe(true);
  });

  it('gemv and gemvt equal float64 sums to float32 rounding, padded rows and columns included', () => {
    const rng = seedrandom('simd');
    for (const [rows, cols] of [
      [4, 4],
      [8, 12],
      [100, 52],
      [240, 40],
    ]) {
      const { offsets, total } = carve([rows * cols, cols, rows, rows, cols]);
      const [x, w, out, s, back] = offsets;
      const simd = new Simd(total);
      const f = simd.f32;
      for (let k = 0; k < rows * cols; k++) f[x + k] = rng() * 2 - 1;
      for (let j = 0; j < cols; j++) f[w + j] = rng() * 2 - 1;
      for (let i = 0; i < rows; i++) f[s + i] = rng() * 2 - 1;
      simd.gemv(x, w, out, rows, cols);
      simd.gemvt(x, s, back, rows, cols);
      for (let i = 0; i < rows; i++) {
        let ref = 0;
        let mag = 0;
        for (let j = 0; j < cols; j++) {
          ref += f[x + i * cols + j] * f[w + j];
          mag += Math.abs(f[x + i * cols + j] * f[w + j]);
        }
        // float32 accumulation: each of the cols additions rounds by at most 2^-24 of the running magnitude
        expect(Math.abs(f[out + i] - ref)).toBeLessThanOrEqual(cols * 2 ** -24 * mag);
      }
      for (let j = 0; j < cols; j++) {
        let ref = 0;
        let mag = 0;
        for (let i = 0; i < rows; i++) {
          ref += f[s + i] * f[x + i * cols + j];
          mag += Math.abs(f[s + i] * f[x + i * cols + j]);
        }
        expect(Math.abs(f[back + j] - ref)).toBeLessThanOrEqual(rows * 2 ** -24 * mag);
      }
    }
  });

  it('logistic is 1/(1 + e^(v + b)) to 2 float32 ulp wherever the value is a normal float32', () => {
    const n = 1 << 14;
    const simd = new Simd(2 * n);
    const f = simd.f32;
    for (let i = 0; i < n; i++) f[i] = -100 + (200 * i) / n;
    simd.logistic(0, n, n, 0.375);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const ref = 1 / (1 + Math.exp(f[i] + 0.375));
      if (ref < 2 ** -126) continue;
      worst = Math.max(worst, Math.abs(f[n + i] - ref) / ref);
    }
    expect(worst).toBeLessThan(2 * 2 ** -23);
    expect(f[n]).toBe(1); // far below: exactly 1
  });

  it('refuses a memory larger than WebAssembly addresses', () => {
    expect(() => new Simd(MAX_FLOATS + 1)).toThrow(/more than one WebAssembly memory/);
  });
});

describe('particle programs on the webasm backend', () => {
  const workers = process.env.GROKSCAPE_CPU_WORKERS;
  afterEach(() => {
    if (workers === undefined) delete process.env.GROKSCAPE_CPU_WORKERS;
    else process.env.GROKSCAPE_CPU_WORKERS = workers;
  });

  async function runOn(
    name: string,
    overrides: Record<string, number>,
    backend: BackendName,
    steps: number,
  ): Promise<{ rows: Float32Array[]; kind: string; passage: number[] }> {
    const s = resolveScenario(name, overrides);
    const sim = createSimulation(s, await openBackend(backend));
    await sim.advance(steps);
    const rows = s.layout.coordinates.map((_, i) => Float32Array.from(sim.row(i)));
    const out = { rows, kind: sim.executorKind, passage: Array.from(sim.firstPassage) };
    await sim.destroy();
    return out;
  }

  // T > 0 with l2: each step draws noise of size sqrt(2 T dt) = 0.045 per coordinate; a wrong slot, step or
  // particle key in the program's noise would move coordinates by that much, the gradient by dt |grad U|.
  const noisy = { d: 6, lambda: 0.4, l2: 0.5, initScale: 0.5, particles: 300, dt: 0.02 };

  it.each([
    ['linear-separability', { ...noisy, temperature: 0.05 }],
    ['linear-separability', { d: 6, lambda: 0.4, particles: 300, dt: 0.5, normalized: 1 }],
    ['lazy-rich', { D: 6, P: 14, N: 5, particles: 300, temperature: 0.001, dt: 0.5 }],
    ['lazy-rich', { D: 6, P: 14, N: 5, particles: 300, ownData: 1, dt: 0.5 }],
    // a network per particle, trained by AdamW: few steps, or the cpu kernels' reference takes long
    ['liu-decoder', { particles: 256, steps: 12, hidden: 3, etaDec: 0.01, weightDecay: 0.1, temperature: 1e-6 }],
  ] as [string, Record<string, number>][])(
    '%s %j: the program agrees with the cpu kernels to float32 rounding, and a worker pool with one thread bit for bit',
    async (name, overrides) => {
      const steps = overrides.steps ?? 40;
      process.env.GROKSCAPE_CPU_WORKERS = '1';
      const one = await runOn(name, overrides, 'webasm', steps);
      process.env.GROKSCAPE_CPU_WORKERS = '2';
      const pool = await runOn(name, overrides, 'webasm', steps);
      const ref = await runOn(name, overrides, 'cpu', steps);
      expect(one.kind).toBe('program');
      expect(pool.kind).toBe('program-workers(2)');
      expect(pool.rows).toEqual(one.rows);
      expect(pool.passage).toEqual(one.passage);
      let worst = 0;
      for (const [i, row] of one.rows.entries())
        for (let p = 0; p < row.length; p++)
          worst = Math.max(worst, Math.abs(row[p] - ref.rows[i][p]) / (1 + Math.abs(ref.rows[i][p])));
      expect(worst).toBeLessThan(1e-4);
      // first passages: the same step, but for particles within rounding of the boundary
      const differ = one.passage.filter((t, p) => t !== ref.passage[p]).length;
      expect(differ).toBeLessThanOrEqual(Math.ceil(0.02 * one.passage.length));
    },
  );

  it('a scenario says it has a program exactly when its kernel model names one (auto picks webasm for those)', () => {
    for (const { file } of listScenarios()) {
      const s = resolveScenario(file, { particles: 4 });
      const named = toKernelModel(s).program !== undefined;
      expect({ file, program: s.kind === 'model' && s.hasProgram }).toEqual({ file, program: named });
      expect(workloadOf(s)).toBe(named ? 'data-loops' : 'pointwise');
    }
  });

  it('families name their programs only where they cover the settings (implicitBias 0, per-particle data)', () => {
    const program = (o: Record<string, number>) =>
      toKernelModel(resolveScenario('linear-separability', { particles: 4, ...o })).program;
    expect(program({})).toBeDefined();
    expect(program({ implicitBias: 1 })).toBeUndefined();
    expect(program({ twoPoint: 1, d: 1, lambda: 0.3 })).toBeUndefined();
  });
});
