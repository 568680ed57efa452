/**
 * grokscape's random numbers: a counter-based generator built only from operations that are exact in
 * float32 (see docs/rng.md). Every intermediate value is an integer below 2^24, so GPU.js's WebAssembly
 * backend (float32 locals, i32 bitwise ops), its cpu backend (float64) and WGSL produce the same bits.
 *
 * A draw is a pure function of (seed, particle, step, slot): no per-particle state, any step reproducible,
 * and streams cannot overlap because distinct counters are distinct inputs to bijective mixing rounds.
 *
 * The kernel copies of these functions are the strings in KERNEL_RNG_SOURCES; tests check that the kernel
 * streams equal this host reference bit for bit.
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

/** The 24-bit word for (particle key, step low part, slot); slot >= 1 numbers the uniforms drawn in a step. */
export function word(pkey: number, stepLo: number, slot: number): number {
  return fmix24(fmix24(pkey ^ stepLo) ^ slot);
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
 * Standard normal for coordinate `coord` at one step: Box-Muller on the pair floor(coord / 2), cosine for
 * even coordinates and sine for odd ones, so each pair of coordinates costs two uniforms.
 * Tails are truncated at sqrt(-2 ln 2^-24) = 5.77 sigma.
 */
export function gaussian(pkey: number, stepLo: number, coord: number): number {
  const s2 = fmix24(pkey ^ stepLo);
  const pair = Math.floor(coord / 2);
  const u1 = uniformOpen0(fmix24(s2 ^ (2 * pair + 1)));
  const u2 = uniformOpen1(fmix24(s2 ^ (2 * pair + 2)));
  const radius = Math.sqrt(-2 * Math.log(u1));
  const angle = 6.283185307179586 * u2;
  return coord % 2 === 0 ? radius * Math.cos(angle) : radius * Math.sin(angle);
}

/** Kernel sources (GPU.js subset) of the same functions; numeric literals stay integers on purpose. */
export const KERNEL_RNG_SOURCES: readonly string[] = [
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
