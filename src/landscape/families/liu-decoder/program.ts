import type { ParticleProgram, ProgramFactory } from '../../../engine/particle-program.js';
import { SYMBOLS } from '../parallelogram/training-set.js';
import { networkLayout } from './layout.js';

/**
 * The liu-decoder kernels (family.ts) as a particle program: the same network, loss, AdamW step and clocks,
 * by backpropagation. The kernels give each parameter its own thread, which recomputes the softmax of every
 * training pair it depends on (about 10^5 exponentials per particle-step at H = 8); here one forward pass
 * over the 55 pairs and one backward pass over the training pairs share them (nT x 19). The sums run in the
 * kernels' order in float64, without the kernels' float32 rounding of the auxiliary values (so the two
 * agree to float32 rounding, tested).
 */
export interface LiuDecoderProgramArgs {
  H: number;
  /** Classes (the sums 0..18). */
  K: number;
  /** Training pairs (the first nT of the shared pairs). */
  nT: number;
  /** All pairs, training first. */
  nA: number;
  eta: number;
  /** The embeddings by plain gradient descent (embedOptimizer 1) instead of Adam. */
  embedGradientDescent: boolean;
  /** The embeddings move on engine steps t (1-based) that are multiples of this (gradient descent only). */
  decoderSteps: number;
  etaDec: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** The accuracy threshold as the kernels compare it (threshold - 1e-6). */
  thr: number;
  dt: number;
}

export const createProgram: ProgramFactory = (raw, shared): ParticleProgram => {
  const q = raw as LiuDecoderProgramArgs;
  const { H, K, nT, nA, dt } = q;
  const nV = nA - nT;
  const { oW1, oB1, oW2, oB2, nParams: n, cN, cT, cV } = networkLayout(H, K);
  const pa = Int32Array.from({ length: nA }, (_, m) => Math.floor(shared![2 * m]));
  const pb = Int32Array.from({ length: nA }, (_, m) => Math.floor(shared![2 * m + 1]));
  const z = new Float64Array(nA * H);
  const soft = new Float64Array(nT * K);
  const correct = new Uint8Array(nA);
  const grad = new Float64Array(n);
  const dpre = new Float64Array(H);
  const inv = 1 / nT;
  const invV = nV === 0 ? 0 : 1 / nV;
  const invDt = 1 / dt;
  let accT = 0;
  let accV = 0;

  return {
    blockFloats: 0,
    scratchFloats: 0,
    bind() {},
    pack() {},
    prepare(x) {
      for (let m = 0; m < nA; m++) {
        const hv = x[pa[m]] + x[pb[m]];
        for (let k = 0; k < H; k++) z[m * H + k] = Math.tanh(x[oW1 + k] * hv + x[oB1 + k]);
        let best = -1.0e30;
        let arg = 0;
        let mx = -1.0e30;
        const logits = m < nT ? soft : null;
        for (let o = 0; o < K; o++) {
          let lg = x[oB2 + o];
          for (let k = 0; k < H; k++) lg += x[oW2 + o * H + k] * z[m * H + k];
          if (lg > best) {
            best = lg;
            arg = o;
          }
          if (lg > mx) mx = lg;
          if (logits) logits[m * K + o] = lg;
        }
        correct[m] = arg === pa[m] + pb[m] ? 1 : 0;
        if (logits) {
          let se = 0;
          for (let o = 0; o < K; o++) se += Math.exp(logits[m * K + o] - mx);
          const lse = mx + Math.log(se);
          // dL/dlogit (times nT): softmax minus the one-hot of the answer
          for (let o = 0; o < K; o++)
            logits[m * K + o] = Math.exp(logits[m * K + o] - lse) - (o === pa[m] + pb[m] ? 1 : 0);
        }
      }
      accT = 0;
      for (let m = 0; m < nT; m++) accT += correct[m];
      accT = accT * inv;
      if (nV === 0) accV = 1;
      else {
        accV = 0;
        for (let m = nT; m < nA; m++) accV += correct[m];
        accV = accV * invV;
      }
    },
    gradient(x, _block, g) {
      grad.fill(0);
      for (let m = 0; m < nT; m++) {
        const hv = x[pa[m]] + x[pb[m]];
        let dh = 0;
        for (let k = 0; k < H; k++) {
          const zk = z[m * H + k];
          let sw = 0;
          for (let o = 0; o < K; o++) {
            const r = soft[m * K + o];
            sw += r * x[oW2 + o * H + k];
            grad[oW2 + o * H + k] += r * zk;
          }
          dpre[k] = sw * (1 - zk * zk);
          grad[oW1 + k] += dpre[k] * hv;
          grad[oB1 + k] += dpre[k];
          dh += dpre[k] * x[oW1 + k];
        }
        for (let o = 0; o < K; o++) grad[oB2 + o] += soft[m * K + o];
        grad[pa[m]] += dh;
        grad[pb[m]] += dh;
      }
      // AdamW (family.ts adam): each of theta, m, v moves to its new value in one engine step of dt
      const t = x[cN] + 1;
      const c1 = 1 - q.beta1 ** t;
      const c2 = 1 - q.beta2 ** t;
      const embedMoves = t % q.decoderSteps === 0;
      for (let j = 0; j < n; j++) {
        const gg = grad[j] * inv;
        const mN = q.beta1 * x[n + j] + (1 - q.beta1) * gg;
        const vN = q.beta2 * x[2 * n + j] + (1 - q.beta2) * gg * gg;
        // the embeddings: eta, no weight decay; the decoder: etaDec, weightDecay
        const lr = j < SYMBOLS ? q.eta : q.etaDec;
        const wd = j < SYMBOLS ? 0 : q.weightDecay;
        g[j] =
          j < SYMBOLS && q.embedGradientDescent
            ? embedMoves
              ? lr * gg * invDt
              : 0
            : lr * (wd * x[j] + mN / c1 / (Math.sqrt(vN / c2) + q.eps)) * invDt;
        g[n + j] = (x[n + j] - mN) * invDt;
        g[2 * n + j] = (x[2 * n + j] - vN) * invDt;
      }
      g[cN] = -1 / dt;
      // the clocks (family.ts makeClock): time until the accuracy first reaches the threshold, then held
      const clock = (c: number, acc: number) => (x[c] < 0 ? 0 : acc >= q.thr ? (2 * x[c] + dt) * invDt : -1);
      g[cT] = clock(cT, accT);
      g[cV] = clock(cV, accV);
    },
    holds(index) {
      return index === 0 ? accT >= q.thr && accV >= q.thr : accT >= q.thr;
    },
  };
};
