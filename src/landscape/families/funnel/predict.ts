import { classifier, intervalOf, regionsUseOnly } from '../../regions-1d.js';
import type { Prediction } from '../../prediction.js';
import { type FormulaScenario as Scenario, OTHER_REGION } from '../../scenario.js';
import { type FunnelParams, funnelPredictions, grokkingThreshold } from './theory.js';

function funnelParams(s: Scenario): FunnelParams {
  const p = s.parameters;
  return {
    modes: p.modes,
    stiffModes: p.dataSize,
    ruleModes: p.ruleModes ?? 0,
    kappaLo: p.kappaLo,
    kappaHi: p.kappaHi,
    kappaNeck: p.kappaNeck,
    neckWidth: p.neckWidth,
    switchWidth: p.switchWidth,
    sMin: p.sMin,
    sMax: p.sMax,
    bias: p.bias,
  };
}

/** Data size at which generalizing overtakes memorizing at equilibrium (a prediction's `threshold`). */
export interface Threshold {
  dataSize: number | null;
  fractionsByDataSize: Record<string, Record<string, number>>;
}

/** The funnel's 1D reduction; the threshold families also say where generalizing overtakes memorizing. */
export function predictFunnel(s: Scenario, withThreshold: boolean): Prediction {
  const p = funnelParams(s);
  const notes: string[] = [];
  if (!regionsUseOnly(s, 0) || !s.escape) {
    return {
      method: 'funnel 1D reduction',
      populations: null,
      mfpt: null,
      kramers: null,
      notes: ['regions must depend on s alone (and an escape be defined) for the funnel prediction'],
    };
  }
  const classify = classifier(
    s,
    0,
    s.start.map(() => 0),
  );
  const mem = intervalOf(classify, s.escape.from, p.sMin, p.sMax);
  const gen = intervalOf(classify, s.escape.to, p.sMin, p.sMax);
  if (!mem || !gen)
    return {
      method: 'funnel 1D reduction',
      populations: null,
      mfpt: null,
      kramers: null,
      notes: ['escape regions are empty along s'],
    };
  const f = funnelPredictions(p, s.temperature, { memorizing: mem, generalizing: gen }, s.start[0]);
  const populations: Record<string, number> = {
    [s.escape.from]: f.fractions.memorizing,
    [s.escape.to]: f.fractions.generalizing,
    [OTHER_REGION]: f.fractions.other,
  };
  notes.push(f.note);
  const prediction: Prediction = {
    method: 'exact marginal A(s) by quadrature; MFPT from the 1D (adiabatic) reduction',
    populations,
    mfpt: f.mfpt,
    kramers: null,
    freeEnergyBarrier: f.barrier,
    notes,
  };
  if (withThreshold) {
    const t = grokkingThreshold(p, s.temperature, { memorizing: mem, generalizing: gen });
    const threshold: Threshold = { dataSize: t.threshold, fractionsByDataSize: t.fractionsByDataSize };
    prediction.threshold = threshold;
  }
  return prediction;
}
