import { normalQuantile } from '../math/special.js';

/**
 * grokscape's random numbers: a counter-based generator built only from operations that are exact in
 * float32 (see docs/rng.md). Every intermediate value is an integer below 2^24, so GPU.js's WebAssembly
 * backend (float32 locals, i32 bitwise ops), its cpu backend (float64) and WGSL produce the same bits.
 *
 * A draw is a pure function of (seed, particle, step, slot): no per-particle state, any step reproducible.
 * Each particle's words are a bijection of the step keyed by its two key words (word, streamKey), so no
 * particle's stream is a shifted or reordered copy of another's.
 *
 * The kernel copies of these functions are the strings in kernelRngSources and NORMAL_KERNEL_CODE; tests
 * check that the kernel streams equal this host reference bit for bit (words) or to float32 rounding (normals).
 */

export const WORD = 16777216; // 2^24: every word lives in [0, WORD)
/** Steps are split as n = hi * STEP_SPLIT + lo with lo < STEP_SPLIT, so lo + offset stays below 2^24. */
export const STEP_SPLIT = 8388608; // 2^23
const INV_WORD = 5.960464477539063e-8; // 2^-24, exact

/** (h * (ch * 4096 + cl)) mod 2^24 with 12-bit limbs: every product is below 2^24. */
export function mul24(h: number, cl: number, ch: number): number {
  const lo = h & 4095;
  const hi = h >> 12;
  const p = lo * cl;
  const t = (p >> 12) + ((hi * cl) & 4095) + ((lo * ch) & 4095);
  return ((t & 4095) << 12) | (p & 4095);
}

/** A bijective 24-bit finalizer in the style of MurmurHash3's fmix (xorshift, multiply by odd constants). */
export function fmix24(h0: number): number {
  let h = h0 ^ (h0 >> 12);
  h = mul24(h, 2925, 2863); // multiplier 0xB2FB6D (odd)
  h = h ^ (h >> 11);
  h = mul24(h, 1371, 3359); // multiplier 0xD1F55B (odd)
  return h ^ (h >> 12);
}

/**
 * fmix24 by Math.imul: the low 24 bits of the 32-bit product are the product modulo 2^24, so the words equal
 * fmix24's (tested over every word); the host twin of the cpu kernels' copy, for code that draws per step.
 */
export function fmix24Imul(h0: number): number {
  let h = h0 ^ (h0 >> 12);
  h = Math.imul(h, 11729773) & 16777215;
  h = h ^ (h >> 11);
  h = Math.imul(h, 13759835) & 16777215;
  return h ^ (h >> 12);
}

export interface RngKey {
  k0: number;
  k1: number;
}

/** Derives two 24-bit key words from a user seed (an integer in [0, 2^48)). */
export function keyFromSeed(seed: number): RngKey {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 48) {
    throw new RangeError(`seed must be an integer in [0, 2^48), got ${seed}`);
  }
  const lo = seed % WORD;
  const hi = Math.floor(seed / WORD);
  const k0 = fmix24(fmix24(lo) ^ 0x5bd1e9);
  const k1 = fmix24(fmix24(hi ^ k0) ^ 0x1b8735);
  return { k0, k1 };
}

/** Per-particle key for the step block `stepHi` (steps stepHi * 2^23 .. (stepHi + 1) * 2^23 - 1). */
export function particleKey(key: RngKey, particle: number, stepHi: number): number {
  return fmix24(fmix24(particle ^ key.k0) ^ (stepHi ^ key.k1));
}

/**
 * The second key word of a particle's stream, injected between the mixing rounds of `word`. With the particle
 * key alone XORed into the counter, particles whose keys differ by d read each other's words at steps n ^ d
 * (0.1.0's flaw: its streams were step-permutations of one another, which biased escape times).
 */
export function streamKey(pkey: number): number {
  return fmix24(pkey ^ 0x3c6ef3);
}

/**
 * The 24-bit word for (particle key, step low part, slot). The step word (slot 0) takes two rounds, the
 * particle's two key words entering before each: a keyed bijection of the step for each particle. Slot
 * j >= 1 mixes j into the step word in a third round.
 */
export function word(pkey: number, stepLo: number, slot: number): number {
  const step = fmix24(fmix24(pkey ^ stepLo) ^ streamKey(pkey));
  return slot === 0 ? step : fmix24(step ^ slot);
}

/** Uniform in (0, 1]: (word + 1) / 2^24, exact in float32. */
export function uniformOpen0(w: number): number {
  return (w + 1) * INV_WORD;
}

/** Uniform in [0, 1): word / 2^24, exact in float32. */
export function uniformOpen1(w: number): number {
  return w * INV_WORD;
}

/**
 * Standard normal for model data (a family's datasets and starts; never the dynamics' noise): Box-Muller on
 * the pair floor(coord / 2), cosine for even coordinates and sine for odd ones. Kept as it was in 0.1.0 so
 * that a seed names the same dataset in every version; tails are truncated at 5.77 sigma.
 */
export function dataGaussian(pkey: number, stepLo: number, coord: number): number {
  const s2 = fmix24(pkey ^ stepLo);
  const pair = Math.floor(coord / 2);
  const u1 = uniformOpen0(fmix24(s2 ^ (2 * pair + 1)));
  const u2 = uniformOpen1(fmix24(s2 ^ (2 * pair + 2)));
  const radius = Math.sqrt(-2 * Math.log(u1));
  const angle = 6.283185307179586 * u2;
  return coord % 2 === 0 ? radius * Math.cos(angle) : radius * Math.sin(angle);
}

/** Bins of the normal table: a word's top 12 bits pick the bin, its low 12 bits the place within it. */
const BINS = 4096;
/** Bins below TAIL_BINS or from BINS - TAIL_BINS on (u < 1/64 or u >= 63/64) take the tail formula. */
const TAIL_BINS = 64;

/**
 * The normal quantile at the bin edges, NORMAL_TABLE[k] = Phi^-1(k / 4096) in float32 (AS 241 in float64),
 * for k = 64..4032: the only entries the interpolation reads. The others stay 0.
 */
export const NORMAL_TABLE: Float32Array = (() => {
  const t = new Float32Array(BINS + 1);
  for (let k = TAIL_BINS; k <= BINS - TAIL_BINS; k++) t[k] = normalQuantile(k / BINS);
  return t;
})();

/**
 * Standard normal from one 24-bit word by the inverse CDF at u = (w + 1/2) / 2^24: linear interpolation
 * in NORMAL_TABLE for 1/64 <= u < 63/64 (97% of words), Wichura's AS 241 single-precision tail formula
 * (relative error about 1e-7) outside. Symmetric (w and 2^24 - 1 - w give opposite values up to rounding);
 * the largest values are +-Phi^-1(2^-25) = +-5.42 sigma. This function is the host twin of NORMAL_KERNEL_CODE.
 */
export function normal24(w: number): number {
  const j = w >> 12;
  if (j >= TAIL_BINS && j < BINS - TAIL_BINS) {
    const t0 = NORMAL_TABLE[j];
    return t0 + (NORMAL_TABLE[j + 1] - t0) * ((w & 4095) + 0.5) * 0.000244140625;
  }
  const q = (w - 8388607.5) * INV_WORD;
  const r = Math.sqrt(-Math.log(0.5 - Math.abs(q))) - 1.6;
  const z =
    (((0.17023821103 * r + 1.3067284816) * r + 2.75681539) * r + 1.4234372777) /
    ((0.12021132975 * r + 0.7370016425) * r + 1);
  return q < 0 ? -z : z;
}

/** The dynamics' noise: standard normal for coordinate `coord` at one step, from the word at slot `coord`. */
export function noiseGaussian(pkey: number, stepLo: number, coord: number): number {
  return normal24(word(pkey, stepLo, coord));
}

/**
 * Kernel statements that set `xi` to normal24(zw) for a word `zw` already in scope, reading the table as the
 * kernel constant `ztab` (the executors pass NORMAL_TABLE under that name). Its locals start with z so as not
 * to shadow the kernel's own names.
 */
export const NORMAL_KERNEL_CODE = `const zj = zw >> 12;
let xi = 0.0;
if (zj >= ${TAIL_BINS} && zj < ${BINS - TAIL_BINS}) {
  const zt = this.constants.ztab[zj];
  xi = zt + (this.constants.ztab[zj + 1] - zt) * ((zw & 4095) + 0.5) * 0.000244140625;
} else {
  const zq = (zw - 8388607.5) * ${INV_WORD};
  const zr = Math.sqrt(-Math.log(0.5 - Math.abs(zq))) - 1.6;
  xi = (((0.17023821103 * zr + 1.3067284816) * zr + 2.756815390) * zr + 1.4234372777) / ((0.12021132975 * zr + 0.7370016425) * zr + 1.0);
  if (zq < 0.0) { xi = -xi; }
}`;

/** Kernel sources (GPU.js subset) of the same functions; numeric literals stay integers on purpose. */
const KERNEL_RNG_SOURCES: readonly string[] = [
  `function mul24(h, cl, ch) {
  const lo = h & 4095;
  const hi = h >> 12;
  const p = lo * cl;
  const t = (p >> 12) + ((hi * cl) & 4095) + ((lo * ch) & 4095);
  return ((t & 4095) << 12) | (p & 4095);
}`,
  `function fmix24(h0) {
  let h = h0 ^ (h0 >> 12);
  h = mul24(h, 2925, 2863);
  h = h ^ (h >> 11);
  h = mul24(h, 1371, 3359);
  return h ^ (h >> 12);
}`,
];

/**
 * The same fmix24 for the cpu backend, whose kernels compute in float64 and int32: the low 24 bits of
 * Math.imul's 32-bit product are the product modulo 2^24, so the words are identical (tested) at about half
 * the cost of the limbs. Not for webasm or WGSL, whose Math.imul goes through float32.
 */
const KERNEL_RNG_SOURCES_CPU: readonly string[] = [
  `function fmix24(h0) {
  let h = h0 ^ (h0 >> 12);
  h = Math.imul(h, 11729773) & 16777215;
  h = h ^ (h >> 11);
  h = Math.imul(h, 13759835) & 16777215;
  return h ^ (h >> 12);
}`,
];

/** The generator's kernel functions for a GPU.js mode: the same words everywhere, the cheapest code each. */
export function kernelRngSources(mode: string): readonly string[] {
  return mode === 'cpu' ? KERNEL_RNG_SOURCES_CPU : KERNEL_RNG_SOURCES;
}
