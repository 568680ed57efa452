import { dataGaussian, fmix24, keyFromSeed, particleKey, type RngKey } from '../../../engine/rng.js';

/**
 * Reproducible per-particle datasets and starts for the linear-separability family, drawn with grokscape's
 * counter-based generator (src/engine/rng.ts) under keys derived from the run seed:
 *   data key  = (fmix24(k0 ^ 0xda7a5e), fmix24(k1 ^ 0x0d47a5)), start key = (fmix24(k0 ^ 0x57a27f), fmix24(k1 ^ 0x1417a1))
 * where (k0, k1) = keyFromSeed(seed). Point i of particle p, coordinate j: dataGaussian(particleKey(dataKey, p, 0), i, j);
 * the start weight j of particle p: dataGaussian(particleKey(startKey, p, 0), 0, j). The dynamics' noise uses
 * the seed's own key, so data, start and noise never share a stream.
 */
function derivedKey(seed: number, a: number, b: number): RngKey {
  const k = keyFromSeed(seed);
  return { k0: fmix24(k.k0 ^ a), k1: fmix24(k.k1 ^ b) };
}

/**
 * N points x_i ~ N(0, I_d) per particle, as the kernels read them: W = N d rows of P values, row i d + j
 * holding coordinate j of point i for every particle (particle-minor, so kernel threads of neighbouring
 * particles read neighbouring floats and every index stays below 2^24 on float32 backends).
 */
export function gaussianDatasets(seed: number, particles: number, points: number, d: number): Float32Array[] {
  const key = derivedKey(seed, 0xda7a5e, 0x0d47a5);
  const rows = Array.from({ length: points * d }, () => new Float32Array(particles));
  for (let p = 0; p < particles; p++) {
    const pk = particleKey(key, p, 0);
    for (let i = 0; i < points; i++) for (let j = 0; j < d; j++) rows[i * d + j][p] = dataGaussian(pk, i, j);
  }
  return rows;
}

/** Point i of particle p from the kernel layout (a host reference for tests and observables). */
export function pointOf(rows: Float32Array[], d: number, p: number, i: number): Float64Array {
  const x = new Float64Array(d);
  for (let j = 0; j < d; j++) x[j] = rows[i * d + j][p];
  return x;
}

/** Small start: w_j ~ N(0, initScale^2 / d) (so |w| is about initScale), b = 0. D = d + 1 rows of P values. */
export function smallStart(seed: number, particles: number, d: number, initScale: number): Float32Array[] {
  const key = derivedKey(seed, 0x57a27f, 0x1417a1);
  const rows = Array.from({ length: d + 1 }, () => new Float32Array(particles));
  const sd = initScale / Math.sqrt(d);
  for (let p = 0; p < particles; p++) {
    const pk = particleKey(key, p, 0);
    for (let j = 0; j < d; j++) rows[j][p] = sd * dataGaussian(pk, 0, j);
  }
  return rows;
}
