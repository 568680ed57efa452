import { mulberry32, WORD } from '../../../math/mulberry32.js';

/**
 * The combinatorics of Liu et al.'s addition toy (science.md §4): p = 10 symbols, the 55 unordered pairs
 * (i <= j), the 70 parallelograms (two different pairs with the same sum i + j = m + n), and a training set
 * drawn reproducibly from (trainFraction, dataSeed). The family builds its formulas from these and the
 * theory computes the Hessian from the same sets, so both always see one training set.
 */
export const SYMBOLS = 10;

export type Pair = readonly [number, number];
/** Two different pairs with equal sums: E_i + E_j - E_m - E_n = 0 on the linear structure. */
export type Parallelogram = readonly [Pair, Pair];

/** The 55 pairs (i <= j) in lexicographic order. */
export const PAIRS: readonly Pair[] = Array.from({ length: SYMBOLS }, (_, i) =>
  Array.from({ length: SYMBOLS - i }, (_, k) => [i, i + k] as const),
).flat();

/** Every permissible parallelogram of pairs from `pairs` (each unordered pair of pairs once). */
export function parallelogramsOf(pairs: readonly Pair[]): Parallelogram[] {
  const out: Parallelogram[] = [];
  for (let a = 0; a < pairs.length; a++) {
    for (let b = a + 1; b < pairs.length; b++) {
      if (pairs[a][0] + pairs[a][1] === pairs[b][0] + pairs[b][1]) out.push([pairs[a], pairs[b]]);
    }
  }
  return out;
}

/** The 70 parallelograms of the full table: the denominator of RQI. */
export const ALL_PARALLELOGRAMS: readonly Parallelogram[] = parallelogramsOf(PAIRS);

export interface TrainingSet {
  /** round(trainFraction * 55) pairs, in lexicographic order. */
  train: Pair[];
  /** The other pairs: the validation set. */
  validation: Pair[];
  /** Parallelograms whose two pairs are both in the training set: the terms of the effective loss. */
  parallelograms: Parallelogram[];
}

/** The training set of (trainFraction, dataSeed): a Fisher-Yates shuffle of the 55 pairs, first n kept. */
export function drawTrainingSet(trainFraction: number, dataSeed: number): TrainingSet {
  const n = Math.round(trainFraction * PAIRS.length);
  const order = PAIRS.map((_, i) => i);
  // the same draw is written in bench/peers/numpy_parallelogram.py
  const word = mulberry32(dataSeed);
  const rand = () => word() / WORD;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const chosen = new Set(order.slice(0, n));
  const train = PAIRS.filter((_, i) => chosen.has(i));
  const validation = PAIRS.filter((_, i) => !chosen.has(i));
  return { train, validation, parallelograms: parallelogramsOf(train) };
}

/** Coefficient vector v of E_i + E_j - E_m - E_n (length SYMBOLS). */
export function parallelogramVector([[i, j], [m, n]]: Parallelogram): number[] {
  const v = new Array<number>(SYMBOLS).fill(0);
  v[i] += 1;
  v[j] += 1;
  v[m] -= 1;
  v[n] -= 1;
  return v;
}

/** A = sum over the training parallelograms of v v^T: the effective loss's numerator is E^T A E. */
export function parallelogramGram(parallelograms: readonly Parallelogram[]): number[][] {
  const A = Array.from({ length: SYMBOLS }, () => new Array<number>(SYMBOLS).fill(0));
  for (const q of parallelograms) {
    const v = parallelogramVector(q);
    for (let a = 0; a < SYMBOLS; a++) for (let b = 0; b < SYMBOLS; b++) A[a][b] += v[a] * v[b];
  }
  return A;
}
