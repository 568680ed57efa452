/** What theory says about a scenario; every field is optional because not every landscape has a theory. */
export interface Prediction {
  /** How the numbers were obtained, e.g. "exact 1D quadrature". */
  method: string;
  /** Equilibrium (Gibbs) fraction of each region, 'other' included. */
  populations: Record<string, number> | null;
  /** Mean first-passage time from the start point into escape.to. */
  mfpt: number | null;
  /** High-barrier rate theory, with the barrier it used and when it holds. */
  kramers: { rate: number; time: number; barrier: number; note: string } | null;
  /** Free-energy barrier along the order coordinate (entropic funnels). */
  freeEnergyBarrier?: number | null;
  /** Data size at which generalizing overtakes memorizing at equilibrium (grokking- and entropic-threshold). */
  threshold?: { dataSize: number | null; fractionsByDataSize: Record<string, Record<string, number>> } | null;
  /**
   * First-order transition in the control parameter u (first-order family): the spinodal where the ordered
   * minimum appears, the mean-field transition where it becomes the lower one (both intensive), and the u
   * at which the escape regions hold equal equilibrium populations at this d and T.
   */
  transition?: {
    parameter: string;
    spinodal: number | null;
    meanField: number | null;
    equalPopulations: number | null;
  } | null;
  /** Liu et al.'s effective theory (parallelogram family): the Hessian at the linear solution. */
  structure?: {
    lambda3: number;
    linearStructureUnique: boolean;
    /** 1/(lambda3 dt): the time to structure in steps scales as this. */
    predictedSteps: number | null;
    hessianEigenvalues: number[];
    trainingPairs: number;
    trainingParallelograms: number;
  } | null;
  notes: string[];
}
