import { equilibriumFractions1d, mfpt1d } from '../../../theory/index.js';
import { classifier, regionsUseOnly, targetBoundary } from '../../regions-1d.js';
import type { Prediction } from '../../prediction.js';
import { type FormulaScenario as Scenario, OTHER_REGION } from '../../scenario.js';
import {
  barrierAlong,
  type FirstOrderParams,
  firstOrderFreeEnergy,
  firstOrderRange,
  firstOrderTransition,
} from './theory.js';

/**
 * First-order transition in the control parameter u: the spinodal where the ordered minimum appears, the
 * mean-field transition where it becomes the lower one (both intensive), and the u at which the escape
 * regions hold equal equilibrium populations at this d and T (a prediction's `transition`).
 */
export interface Transition {
  parameter: string;
  spinodal: number | null;
  meanField: number | null;
  equalPopulations: number | null;
}

/**
 * first-order family: Phi = w1 decouples from the Gaussian transverse coordinates, so its marginal is
 * exp(-U(Phi)/T) exactly and the mean first-passage time in Phi is the exact 1D one. The potential is even
 * in Phi; with regions symmetric in w1, the time to reach |Phi| >= b is that of |Phi| reflected at 0.
 */
export function predictFirstOrder(s: Scenario): Prediction {
  const method =
    'exact marginal of Phi = w1 by quadrature (the transverse coordinates are Gaussian and decouple); exact 1D MFPT';
  const p = s.parameters as unknown as FirstOrderParams;
  const T = s.temperature;
  if (!regionsUseOnly(s, 0))
    return {
      method,
      populations: null,
      mfpt: null,
      kramers: null,
      notes: ['regions must depend on w1 (Phi) alone for the first-order prediction'],
    };
  const R = firstOrderRange(p, T);
  const classify = classifier(
    s,
    0,
    s.start.map(() => 0),
  );
  const regionNames = [...s.regions.map((r) => r.name), OTHER_REGION];
  const fractionsAt = (q: FirstOrderParams) => {
    const Rq = firstOrderRange(q, T);
    return equilibriumFractions1d({
      U: (x) => firstOrderFreeEnergy(x, q),
      T,
      lower: -Rq,
      upper: Rq,
      classify,
      regionNames,
    });
  };
  const populations = fractionsAt(p);
  const notes: string[] = [];
  let mfpt: number | null = null;
  let freeEnergyBarrier: number | null = null;
  const symmetric = Array.from({ length: 401 }, (_, i) => (R * i) / 400).every((x) => classify(x) === classify(-x));
  if (s.escape && !symmetric) notes.push('regions are not symmetric in w1: no MFPT prediction');
  else if (s.escape) {
    const x0 = Math.abs(s.start[0]);
    const edge = targetBoundary(classify, s.escape.to, x0, 0, R);
    if (!edge?.up) notes.push(`no point of region ${s.escape.to} found beyond the start: no MFPT prediction`);
    else {
      mfpt = mfpt1d({ U: (x) => firstOrderFreeEnergy(x, p), T, x0, b: edge.b, lower: 0 });
      freeEnergyBarrier = barrierAlong(p, x0, edge.b);
    }
  }
  const { spinodal, transition } = firstOrderTransition(p);
  let equalPopulations: number | null = null;
  if (s.escape && spinodal !== null) {
    // bisection in u between the spinodal and where `to` surely wins; populations are monotone in u
    const gap = (u: number) => {
      const f = fractionsAt({ ...p, u });
      return f[s.escape!.to] - f[s.escape!.from];
    };
    let lo = spinodal;
    let hi = 2 * (transition ?? spinodal);
    while (gap(hi) < 0 && hi < 1e9) hi *= 2;
    if (gap(lo) < 0 && gap(hi) > 0) {
      for (let k = 0; k < 30; k++) {
        const m = (lo + hi) / 2;
        if (gap(m) > 0) hi = m;
        else lo = m;
      }
      equalPopulations = hi;
    }
  }
  notes.push(
    'reductions: fixed mean field (u is not solved self-consistently), |w|^2 in the erf normalization taken as Phi^2 + sigma2; see docs/scenarios.md',
  );
  return {
    method,
    populations,
    mfpt,
    kramers: null,
    freeEnergyBarrier,
    transition: { parameter: 'u', spinodal, meanField: transition, equalPopulations } satisfies Transition,
    notes,
  };
}
