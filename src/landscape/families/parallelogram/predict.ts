import type { Prediction } from '../../prediction.js';
import type { FormulaScenario as Scenario } from '../../scenario.js';
import { parallelogramTheory } from './theory.js';

/** Liu et al.: lambda_3 of the effective loss's Hessian at the linear solution, and 1/(lambda_3 eta). */
export function predictParallelogram(s: Scenario): Prediction {
  const t = parallelogramTheory(s.parameters.trainFraction, s.parameters.dataSeed, s.dt);
  const notes = [
    t.linearStructureUnique
      ? `time to structure ~ 1/(lambda_3 eta) = ${t.predictedSteps!.toPrecision(3)} steps (a scaling: the measured mean is this times ln(initial distance / delta), 3.4 to 3.7 at the shipped spread and delta)`
      : `lambda_3 = 0: the training set (${t.trainingPairs} pairs, ${t.trainingParallelograms} parallelograms) leaves extra zero modes, so zero training loss does not imply the linear structure (memorization)`,
  ];
  return {
    method: 'effective theory: Hessian 2A of l_eff at the linear solution (exact)',
    populations: null,
    mfpt: null,
    kramers: null,
    structure: t,
    notes,
  };
}
