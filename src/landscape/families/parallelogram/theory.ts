import { drawTrainingSet, parallelogramGram } from './training-set.js';
import { symmetricEigenvalues } from '../../../theory/saddle.js';

export interface ParallelogramTheory {
  trainingPairs: number;
  trainingParallelograms: number;
  /** Eigenvalues of the effective loss's Hessian at the linear solution, ascending (two are 0: shift, scale). */
  hessianEigenvalues: number[];
  /** The third eigenvalue; 0 (within rounding) when the training set leaves extra zero modes. */
  lambda3: number;
  /** true when lambda3 > 0: the linear structure is the only zero-loss configuration on the sphere. */
  linearStructureUnique: boolean;
  /** 1 / (lambda3 eta) in steps (eta = dt), or null when lambda3 = 0. */
  predictedSteps: number | null;
}

/** Eigenvalues below this are zero modes: A has integer entries, so its nonzero eigenvalues are far above it. */
const ZERO = 1e-9;

/**
 * On the sphere (sum E = 0, sum E^2 = 1) l_eff = E^T A E / Z with Z = 1, and at the linear solution
 * (A E = 0, l_eff = 0) the Hessian of the ratio is exactly 2 A / Z = 2 A: the terms of the quotient rule
 * that carry A E or E^T A E vanish there. A always annihilates 1 and (0, 1, ..., 9) (the shift and the
 * linear structure itself), so lambda_1 = lambda_2 = 0 and lambda_3 decides (Liu et al.): a positive
 * lambda_3 pins the linear structure and sets the time to reach it, about 1/(lambda_3 eta) steps.
 */
export function parallelogramTheory(trainFraction: number, dataSeed: number, dt: number): ParallelogramTheory {
  const set = drawTrainingSet(trainFraction, dataSeed);
  const A = parallelogramGram(set.parallelograms);
  const eig = symmetricEigenvalues(A.map((row) => row.map((a) => 2 * a)));
  const lambda3 = eig[2] > ZERO ? eig[2] : 0;
  return {
    trainingPairs: set.train.length,
    trainingParallelograms: set.parallelograms.length,
    hessianEigenvalues: eig.map((l) => (Math.abs(l) < ZERO ? 0 : l)),
    lambda3,
    linearStructureUnique: lambda3 > 0,
    predictedSteps: lambda3 > 0 ? 1 / (lambda3 * dt) : null,
  };
}

/**
 * Exact probability over training sets that the linear structure is unique (lambda_3 > 0) at a training
 * fraction, counted over dataSeed = 1..seeds (the draws a scan over dataSeed makes).
 */
export function uniqueStructureProbability(trainFraction: number, seeds: number): number {
  let unique = 0;
  for (let s = 1; s <= seeds; s++) if (parallelogramTheory(trainFraction, s, 1).linearStructureUnique) unique++;
  return unique / seeds;
}
