import { SYMBOLS } from '../parallelogram/training-set.js';

/**
 * Where each part of a liu-decoder network sits among its coordinates (family.ts): the 10 embeddings, W1 and
 * b1 (H each), W2 (K H, class o and unit k at o H + k), b2 (K); the same n parameters again as Adam's first
 * and second moments; then the Adam step counter and the clocks tTrain and tVal.
 */
export function networkLayout(H: number, K: number) {
  const oW1 = SYMBOLS;
  const oB1 = oW1 + H;
  const oW2 = oB1 + H;
  const oB2 = oW2 + K * H;
  const nParams = oB2 + K;
  const cN = 3 * nParams;
  return { oW1, oB1, oW2, oB2, nParams, cN, cT: cN + 1, cV: cN + 2 };
}
