import type { ParticleProgram, ProgramFactory } from '../../../engine/particle-program.js';
import { carve, padTo4, type Simd } from '../../../engine/simd/simd.js';

/**
 * The linear-separability kernels (family.ts) as a particle program: a particle's N points are one N x d
 * matrix X (padded to multiples of 4), the margins m = X w + b one product, the weight gradient
 * X^T s another, the loss weights s_i = 1/(1 + e^(m_i)) a vectorized float32 logistic (simd.ts). The
 * kernels compute the same quantities in float64 and store the auxiliary values (s_i, or the margins when
 * normalized) in float32; here they agree with those to about 1 ulp.
 * Covers implicitBias 0 with per-particle data (the family's default); other settings run the kernels.
 */
export interface LinearSeparabilityProgramArgs {
  d: number;
  n: number;
  l2: number;
  normalized: boolean;
  /** Phi^-1(accuracy): generalizing is b > z |w|. */
  z: number;
}

export const createProgram: ProgramFactory = (raw: unknown): ParticleProgram => {
  const { d, n, l2, normalized, z } = raw as LinearSeparabilityProgramArgs;
  const cols = padTo4(d);
  // Rows padded to a multiple of 4 with zero points; their loss weights stay 0, so they add nothing.
  const rows = padTo4(n);
  // Scratch: the weights, the margins X w, the loss weights, X^T s.
  const layout = carve([cols, rows, rows, cols]);
  let simd: Simd;
  let [w, margins, weights, sums] = layout.offsets;
  const invN = 1 / n;
  // The kernels' auxiliary values aux[i][p] (float32): s_i = sigmoid(-m_i), or m_i when normalized.
  const aux = new Float64Array(n);
  // Sum of the loss weights (plain: dL/db's sum; normalized: the denominator).
  let total = 0;
  return {
    blockFloats: rows * cols,
    scratchFloats: layout.total,
    bind(memory, scratch) {
      simd = memory;
      [w, margins, weights, sums] = layout.offsets.map((o) => scratch + o);
    },
    pack(data, q, f32, at) {
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) f32[at + i * cols + j] = data[i * d + j][q];
    },
    prepare(x, block) {
      const f = simd.f32;
      for (let j = 0; j < d; j++) f[w + j] = x[j];
      simd.gemv(block, w, margins, rows, cols);
      const b = x[d];
      total = 0;
      if (!normalized) {
        simd.logistic(margins, weights, rows, b);
        for (let i = n; i < rows; i++) f[weights + i] = 0;
        for (let i = 0; i < n; i++) {
          aux[i] = f[weights + i];
          total += aux[i];
        }
        return;
      }
      // s_i relative to the largest, e^(-m_i - top) / (1 + e^(-m_i)), finite beyond float32's exp range.
      let top = -Infinity;
      for (let i = 0; i < n; i++) {
        aux[i] = Math.fround(f[margins + i] + b);
        top = Math.max(top, -aux[i]);
      }
      for (let i = 0; i < n; i++) {
        const s = Math.exp(-aux[i] - top) / (1 + Math.exp(Math.min(-aux[i], 80)));
        f[weights + i] = s;
        total += s;
      }
    },
    gradient(x, block, g) {
      simd.gemvt(block, weights, sums, rows, cols);
      const f = simd.f32;
      if (normalized) {
        for (let j = 0; j < d; j++) g[j] = -(f[sums + j] / total);
        g[d] = -1;
        return;
      }
      for (let j = 0; j < d; j++) g[j] = (l2 > 0 ? l2 * x[j] : 0) - invN * f[sums + j];
      g[d] = (l2 > 0 ? l2 * x[d] : 0) - invN * total;
    },
    holds(index, x) {
      if (index === 0) {
        let ww = 0;
        for (let j = 0; j < d; j++) ww += x[j] * x[j];
        return x[d] > z * Math.sqrt(ww);
      }
      // memorizing: every training margin positive
      for (let i = 0; i < n; i++) if (normalized ? aux[i] <= 0 : aux[i] >= 0.5) return false;
      return true;
    },
  };
};
