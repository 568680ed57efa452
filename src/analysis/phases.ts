/**
 * Liu et al.'s four learning phases (science.md §4). A run is classified by when its training and its
 * validation accuracy first reach 90% within the horizon (10^5 steps in the paper): comprehension (both,
 * lag < 10^3 steps), grokking (both, lag >= 10^3 steps), memorization (training only), confusion
 * (training not reached). What "accuracy" means is the caller's: see docs/scenarios.md for the
 * parallelogram family's effective-theory reading.
 */
export const PHASES = ['comprehension', 'grokking', 'memorization', 'confusion'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseInput {
  /** Step at which training accuracy first reached the threshold, or null if not within the horizon. */
  trainStep: number | null;
  /** Step at which validation accuracy first reached the threshold, or null if not within the horizon. */
  validationStep: number | null;
  /** Steps run: reaching later than this counts as not reached. */
  horizon: number;
  /** Lag (steps) from which generalization counts as delayed: 10^3 in the paper. */
  lagThreshold?: number;
}

export function classifyPhase(i: PhaseInput): { phase: Phase; lag: number | null } {
  const within = (s: number | null) => s !== null && s <= i.horizon;
  if (!within(i.trainStep)) return { phase: 'confusion', lag: null };
  if (!within(i.validationStep)) return { phase: 'memorization', lag: null };
  // validation before training (possible for a noisy criterion) is no delay
  const lag = Math.max(0, i.validationStep! - i.trainStep!);
  return { phase: lag < (i.lagThreshold ?? 1e3) ? 'comprehension' : 'grokking', lag };
}

/**
 * First recorded step at which at least `fraction` of the particles are in the union of `members` (region
 * indices into each counts row), or null. With fraction 1/2 it is the median particle's first-reach time,
 * to within one recording interval.
 */
export function firstReach(
  steps: readonly number[],
  counts: readonly number[][],
  members: readonly number[],
  fraction = 0.5,
): number | null {
  for (let r = 0; r < steps.length; r++) {
    const row = counts[r];
    const total = row.reduce((a, b) => a + b, 0);
    const inside = members.reduce((a, m) => a + row[m], 0);
    if (total > 0 && inside >= fraction * total) return steps[r];
  }
  return null;
}
