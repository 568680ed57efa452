import { ALL_PARALLELOGRAMS } from '../parallelogram/training-set.js';

/** R^2 of the least-squares line E_k = a + b k: 1 on the linear (generalizing) representation. */
export function linearity(E: readonly number[]): number {
  const n = E.length;
  const km = (n - 1) / 2;
  const em = E.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  E.forEach((v, k) => {
    sxy += (k - km) * (v - em);
    sxx += (k - km) ** 2;
    syy += (v - em) ** 2;
  });
  return syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
}

/**
 * R^2 from which a network's representation counts as linear (`linearFormed`): scale-free and far looser than
 * the paper's RQI > 0.95 (which needs R^2 of about 0.999), so it marks the representation's first appearance.
 */
export const LINEAR_FORMED = 0.95;

/** The paper's parallelogram tolerance delta (§3.1; threshold_P in the authors' toy/train_add.py). */
export const RQI_DELTA = 0.01;

/** RQI above which the representation counts as learned (the paper's "steps to RQI > 0.95", §3.2). */
export const RQI_FORMED = 0.95;

/**
 * Liu et al.'s representation quality index as the authors compute it (ejmichaud/grokking-squared,
 * toy/train_add.py): the embeddings standardized (zero mean, unit standard deviation with n - 1), then the
 * fraction of the 70 parallelograms i + j = m + n of the full table whose residual
 * (E_i + E_j - E_m - E_n)^2 is below delta. 1 on any linear representation; 0 when the embeddings are all equal.
 */
export function representationQuality(E: readonly number[], delta = RQI_DELTA): number {
  const n = E.length;
  const mean = E.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(E.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  if (!(sd > 0)) return 0;
  const e = E.map((v) => (v - mean) / sd);
  let closed = 0;
  for (const [[i, j], [m, k]] of ALL_PARALLELOGRAMS) if ((e[i] + e[j] - e[m] - e[k]) ** 2 < delta) closed++;
  return closed / ALL_PARALLELOGRAMS.length;
}
