import type { ParticleProgram, ProgramFactory } from '../../../engine/particle-program.js';
import { carve, padTo4, type Simd } from '../../../engine/simd/simd.js';

/**
 * The lazy-rich kernels (family.ts) as a particle program: the training inputs are one P x D matrix X
 * (shared by all particles, or the particle's own), the pre-activations h_i = X w_i one product per neuron,
 * the weight gradient of neuron i X^T (r * (1 + eps h_i)) another. The clocks (tFit, teFit), the train sum
 * and the exact test MSE are the kernels' statements, in the same order; the auxiliary values (h, r) are
 * float32 as the kernels store them.
 */
export interface LazyRichProgramArgs {
  N: number;
  D: number;
  P: number;
  own: boolean;
  eps: number;
  alpha: number;
  targetScale: number;
  dt: number;
  /** (eta alpha / N) / P: the weight gradient's factor. */
  gain: number;
  /** The train squared-error sum below which a network has fitted (fitThreshold t0 P). */
  fitSum: number;
  /** generalizing: test MSE below this (generalizeThreshold t0). */
  generalizeBelow: number;
  /** memorizing: test MSE at least this (memorizeFloor t0). */
  memorizeFrom: number;
}

export const createProgram: ProgramFactory = (raw, shared): ParticleProgram => {
  const a = raw as LazyRichProgramArgs;
  const { N, D, P, own, eps, dt } = a;
  const ND = N * D;
  const cols = padTo4(D);
  const rows = padTo4(P);
  // Block: w0 (N D), t = y + f(w0, x) (P), then X (rows x cols) with own training sets.
  const tAt = padTo4(ND);
  const xAt = tAt + padTo4(P);
  // Scratch: the shared X (without own training sets), a neuron's weights, h (N rows), r (1 + eps h_i), X^T of it.
  const layout = carve([own ? 0 : rows * cols, cols, N * rows, rows, cols]);
  let simd: Simd;
  let [sharedX, w, h, coef, sums] = layout.offsets;
  const res = new Float64Array(P);
  const c = (a.alpha * eps) / N;
  const bb = a.targetScale * D;
  // the kernels' literals eps / 2 and alpha / N
  const halfEps = eps / 2;
  const alphaOverN = a.alpha / N;
  const literal = {
    twoCS: 2 * c * a.targetScale,
    cc: c * c,
    aScale: (a.alpha / N) ** 2 / D,
    quarter: 1 / (4 * D * D),
    invDt: 1 / dt,
  };
  let se = 0;
  let te = Number.NaN;

  /** The exact test MSE (family.ts testSum), from the weights x and the start w0 at f32[block ..]. */
  const testMse = (x: Float64Array, block: number): number => {
    const v = simd.f32;
    let trB = -bb;
    let trB2 = bb * bb;
    let aa = 0;
    for (let i = 0; i < N; i++) {
      let wb = 0;
      let vb = 0;
      for (let j = 0; j < D; j++) {
        wb += x[i * D + j];
        vb += v[block + i * D + j];
      }
      trB2 -= literal.twoCS * (wb * wb - vb * vb);
      for (let k = 0; k < N; k++) {
        let ww = 0;
        let vv = 0;
        let wv = 0;
        for (let j = 0; j < D; j++) {
          const wi = x[i * D + j];
          const vi = v[block + i * D + j];
          ww += wi * x[k * D + j];
          vv += vi * v[block + k * D + j];
          wv += wi * v[block + k * D + j];
        }
        trB2 += literal.cc * (ww * ww + vv * vv - 2 * wv * wv);
        aa += ww - 2 * wv + vv;
        if (i === k) trB += c * (ww - vv);
      }
    }
    return literal.aScale * aa + (trB * trB + 2 * trB2) * literal.quarter;
  };
  const test = (x: Float64Array, block: number): number => {
    if (Number.isNaN(te)) te = testMse(x, block);
    return te;
  };

  return {
    blockFloats: xAt + (own ? rows * cols : 0),
    scratchFloats: layout.total,
    bind(memory, scratch) {
      simd = memory;
      [sharedX, w, h, coef, sums] = layout.offsets.map((o) => scratch + o);
      if (!own)
        for (let m = 0; m < P; m++) for (let j = 0; j < D; j++) simd.f32[sharedX + m * cols + j] = shared![m * D + j];
    },
    pack(data, q, f32, at) {
      for (let r = 0; r < ND + P; r++) f32[at + (r < ND ? r : tAt + r - ND)] = data[r][q];
      if (own)
        for (let m = 0; m < P; m++)
          for (let j = 0; j < D; j++) f32[at + xAt + m * cols + j] = data[ND + P + m * D + j][q];
    },
    prepare(x, block) {
      const f = simd.f32;
      const X = own ? block + xAt : sharedX;
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < D; j++) f[w + j] = x[i * D + j];
        simd.gemv(X, w, h + i * rows, rows, cols);
      }
      se = 0;
      for (let m = 0; m < P; m++) {
        let fo = 0;
        for (let k = 0; k < N; k++) {
          const hk = f[h + k * rows + m];
          fo += hk + halfEps * hk * hk;
        }
        const r = Math.fround(alphaOverN * fo - f[block + tAt + m]);
        res[m] = r;
        se += r * r;
      }
      te = Number.NaN;
    },
    gradient(x, block, g) {
      const f = simd.f32;
      const X = own ? block + xAt : sharedX;
      for (let i = 0; i < N; i++) {
        for (let m = 0; m < P; m++) f[coef + m] = res[m] * (1 + eps * f[h + i * rows + m]);
        simd.gemvt(X, coef, sums, rows, cols);
        for (let j = 0; j < D; j++) g[i * D + j] = a.gain * f[sums + j];
      }
      // tFit: counts time until the first fit, then holds -(tFit + dt) (family.ts makeClock).
      const clock = x[ND];
      g[ND] = clock < 0 ? 0 : se < a.fitSum ? (2 * clock + dt) * literal.invDt : -1;
      // teFit: the test MSE at that same step (family.ts makeAtFit).
      g[ND + 1] = clock >= 0 && se < a.fitSum ? (x[ND + 1] - test(x, block)) * literal.invDt : 0;
    },
    holds(index, x, block) {
      if (index === 0) return test(x, block) < a.generalizeBelow;
      return se < a.fitSum && test(x, block) >= a.memorizeFrom;
    },
  };
};
