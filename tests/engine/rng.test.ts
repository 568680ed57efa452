import gpujs from 'gpu.js';
import { describe, expect, it } from 'vitest';
import { fmix24, KERNEL_RNG_SOURCES, keyFromSeed, mul24, particleKey, uniformOpen1, word } from '../../src/engine/rng.js';
import { runnableBackends } from '../helpers/backends.js';
import { chiSquareCritical, chiSquareUniform, correlation } from '../helpers/stats.js';

const { GPU } = gpujs;

describe('float32-exact generator, host reference', () => {
  it('mul24 is multiplication modulo 2^24', () => {
    const c = 0xb2fb6d;
    for (let h = 0; h < 1 << 24; h += 9973) {
      expect(mul24(h, c & 4095, c >> 12)).toBe(Number((BigInt(h) * BigInt(c)) % 16777216n));
    }
  });

  it('fmix24 is a bijection on 24-bit words', () => {
    const seen = new Uint8Array(1 << 24);
    for (let h = 0; h < 1 << 24; h++) seen[fmix24(h)] = 1;
    expect(seen.reduce((a, b) => a + b, 0)).toBe(1 << 24);
  });

  it('keeps every intermediate below 2^24 (exact in float32)', () => {
    for (let h = 0; h < 1 << 24; h += 7919) {
      const y = fmix24(h);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(1 << 24);
      expect(Math.fround(y)).toBe(y);
    }
  });

  it('different seeds give different keys and streams', () => {
    const a = keyFromSeed(1);
    const b = keyFromSeed(2);
    expect(a).not.toEqual(b);
    expect(word(particleKey(a, 0, 0), 0, 1)).not.toBe(word(particleKey(b, 0, 0), 0, 1));
  });

  it('rejects seeds that are not integers in [0, 2^48)', () => {
    expect(() => keyFromSeed(-1)).toThrow(RangeError);
    expect(() => keyFromSeed(1.5)).toThrow(RangeError);
    expect(() => keyFromSeed(2 ** 48)).toThrow(RangeError);
  });
});

/** Words for P particles x S steps at slot 1, computed by a kernel on `mode`. */
async function kernelWords(mode: string, keys: Float32Array, steps: number): Promise<Float32Array[]> {
  const gpu = new GPU({ mode: mode as 'cpu' });
  for (const src of KERNEL_RNG_SOURCES) gpu.addFunction(src as never);
  const k = gpu.createKernel(
    `function (keys) { return fmix24(fmix24(keys[this.thread.x] ^ this.thread.y) ^ 1); }` as never,
    { output: [keys.length, steps], precision: 'single' },
  );
  const out = (await k(keys)) as Float32Array[];
  expect((k as unknown as { kernel?: { constructor: { mode: string } } }).kernel?.constructor.mode ?? mode).toBe(mode);
  return out;
}

describe.each(runnableBackends)('generator streams on backend %s', (mode) => {
  const P = 4096;
  const S = 256;
  const key = keyFromSeed(12345);
  const keys = Float32Array.from({ length: P }, (_, p) => particleKey(key, p, 0));

  it('equal the host reference bit for bit', async () => {
    const out = await kernelWords(mode, keys, S);
    let mismatches = 0;
    for (let s = 0; s < S; s++) for (let p = 0; p < P; p++) if (out[s][p] !== word(keys[p], s, 1)) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('are uniform (chi-square, 1024 bins, 1M draws) and uncorrelated in step and across particles', async () => {
    const out = await kernelWords(mode, keys, S);
    const bins = new Array<number>(1024).fill(0);
    for (const row of out) for (const w of row) bins[Math.floor(uniformOpen1(w) * 1024)]++;
    // 1023 dof; 4.5 sigma upper critical value: false alarm ~3e-6
    expect(chiSquareUniform(bins)).toBeLessThan(chiSquareCritical(1023, 4.5));
    // Correlations: SE = 1/sqrt(n); 5 SE bound.
    const successiveA: number[] = [];
    const successiveB: number[] = [];
    const neighbourA: number[] = [];
    const neighbourB: number[] = [];
    for (let s = 0; s + 1 < S; s++) {
      for (let p = 0; p + 1 < P; p++) {
        successiveA.push(out[s][p]);
        successiveB.push(out[s + 1][p]);
        neighbourA.push(out[s][p]);
        neighbourB.push(out[s][p + 1]);
      }
    }
    const se = 1 / Math.sqrt(successiveA.length);
    expect(Math.abs(correlation(successiveA, successiveB))).toBeLessThan(5 * se);
    expect(Math.abs(correlation(neighbourA, neighbourB))).toBeLessThan(5 * se);
  });
});
