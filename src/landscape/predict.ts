import { compileEvaluator, derivative } from '../formula/index.js';
import {
  equilibriumFractions1d,
  eyringKramersTime,
  findSaddle,
  findStationaryPoints,
  kramersRate,
  mfpt1d,
  minimize,
  symmetricEigenvalues,
  validityNote,
} from '../theory/index.js';
import { isModelFamily } from './family.js';
import { families } from './families/index.js';
import type { Prediction } from './prediction.js';
import { classifier, firstNonFinite, range1d, targetBoundary } from './regions-1d.js';
import { type Scenario as AnyScenario, type FormulaScenario as Scenario, OTHER_REGION } from './scenario.js';

/** How a prediction's note begins when the potential lets particles run off (the run's divergence advice reads it). */
export const UNCONFINED = 'the potential does not confine';

/** The generic prediction of a one-coordinate formula: exact quadrature, exact MFPT and Kramers. */
function predict1d(s: Scenario): Prediction {
  const T = s.temperature;
  const f = compileEvaluator(s.potential, s.layout.coordinates, s.parameters);
  const U = (x: number) => f([x]);
  const method = 'exact 1D quadrature';
  const none = (note: string): Prediction => ({ method, populations: null, mfpt: null, kramers: null, notes: [note] });
  const [lo, hi] = range1d(U, T, s.start[0], s.bounds[0]);
  if (lo === null || hi === null)
    return none(
      `${UNCONFINED} the particles ${lo === null ? 'below' : 'above'} the start (it never rises 60 T there): no equilibrium or MFPT prediction; add bounds or a confining term`,
    );
  const pole = firstNonFinite(U, lo, hi);
  if (pole !== null)
    return none(
      `the potential is not finite near x = ${pole.toPrecision(4)} (a pole or a domain edge): no exact 1D prediction`,
    );
  const classify = classifier(s, 0, s.start);
  const regionNames = [...s.regions.map((r) => r.name), OTHER_REGION];
  const populations = equilibriumFractions1d({ U, T, lower: lo, upper: hi, classify, regionNames });
  const notes: string[] = [];
  let mfpt: number | null = null;
  let kramers: Prediction['kramers'] = null;
  if (s.escape) {
    const edge = targetBoundary(classify, s.escape.to, s.start[0], lo, hi);
    if (!edge) notes.push(`no point of region ${s.escape.to} found in [${lo}, ${hi}]: no MFPT prediction`);
    else {
      mfpt = edge.up
        ? mfpt1d({ U, T, x0: s.start[0], b: edge.b, lower: lo })
        : mfpt1d({ U, T, x0: s.start[0], b: edge.b, upper: hi, direction: 'down' });
      const a = Math.min(s.start[0], edge.b);
      const b = Math.max(s.start[0], edge.b);
      const points = findStationaryPoints(U, a - 0.5 * (b - a), b);
      const well = points.minima.filter((m) => m >= a - (b - a) && m <= b).sort((p, q) => U(p) - U(q))[0];
      const saddle = points.maxima.filter((m) => m > Math.min(well ?? a, a) && m < b).sort((p, q) => U(q) - U(p))[0];
      if (well !== undefined && saddle !== undefined) {
        const rate = kramersRate({ U, T, well, saddle });
        const barrier = U(saddle) - U(well);
        kramers = { rate, time: 1 / rate, barrier, note: validityNote(barrier, T) };
      }
    }
  }
  return { method, populations, mfpt, kramers, notes };
}

/** Hessians are derived symbolically, D^2 of them: beyond this many coordinates the prediction is skipped. */
const MAX_EYRING_KRAMERS_DIMENSIONS = 16;

/**
 * Eyring-Kramers for a D-dimensional formula: the well (descent from the start), a minimum of the target
 * region, the saddle between them (climbing-image nudged elastic band), and both Hessians' eigenvalues.
 */
function predictEyringKramers(s: Scenario): Prediction | null {
  if (!s.escape) return null;
  const method = 'Eyring-Kramers (well, saddle and Hessians found numerically)';
  const none = (note: string): Prediction => ({ method, populations: null, mfpt: null, kramers: null, notes: [note] });
  const coords = s.layout.coordinates;
  const D = coords.length;
  if (D > MAX_EYRING_KRAMERS_DIMENSIONS)
    return none(`no Eyring-Kramers estimate beyond ${MAX_EYRING_KRAMERS_DIMENSIONS} coordinates`);
  const U = compileEvaluator(s.potential, coords, s.parameters);
  const grads = s.gradient.map((g) => compileEvaluator(g, coords, s.parameters));
  const grad = (x: number[]) => grads.map((g) => g(x));
  const preds = s.regions.map((r) => ({ name: r.name, f: compileEvaluator(r.expr, coords, s.parameters) }));
  const regionOf = (x: number[]) => preds.find((r) => r.f(x) !== 0)?.name ?? OTHER_REGION;
  const { from, to } = s.escape;
  const well = minimize(U, grad, s.start, (x) => regionOf(x) === from);
  let seed: number[] | null = null;
  search: for (let r = 0.05; r <= 10; r += 0.05) {
    for (let d = 0; d < D; d++) {
      for (const sign of [1, -1]) {
        const x = [...well];
        x[d] += sign * r;
        if (regionOf(x) === to) {
          seed = x;
          break search;
        }
      }
    }
  }
  if (!seed) return none(`no point of region ${to} found along the axes within 10 of the well`);
  const product = minimize(U, grad, seed, (x) => regionOf(x) === to);
  const saddle = findSaddle(U, grad, well, product);
  const hessian = s.gradient.map((g) => coords.map((c) => compileEvaluator(derivative(g, c), coords, s.parameters)));
  const eig = (x: number[]) => symmetricEigenvalues(hessian.map((row) => row.map((h) => h(x))));
  const lw = eig(well);
  const ls = eig(saddle);
  if (lw.some((l) => !(l > 0)) || ls.filter((l) => l < 0).length !== 1) {
    return none(
      'no index-1 saddle with a strict minimum found (a flat or degenerate landscape): Eyring-Kramers does not apply; use quadrature or Fick-Jacobs',
    );
  }
  const dU = U(saddle) - U(well);
  const time = eyringKramersTime({ wellEigenvalues: lw, saddleEigenvalues: ls, dU, T: s.temperature });
  const at = (x: number[]) => `(${x.map((v) => Number(v.toPrecision(3))).join(', ')})`;
  return {
    method,
    populations: null,
    mfpt: null,
    kramers: {
      rate: 1 / time,
      time,
      barrier: dU,
      note: `${validityNote(dU, s.temperature)}; well ${at(well)}, saddle ${at(saddle)}; fails where a curvature vanishes`,
    },
    notes: s.bounds.some((b) => b !== null) ? ['reflecting walls are ignored by Eyring-Kramers'] : [],
  };
}

/**
 * A model family's scenario has no potential formula: its family states what its closed forms predict, and
 * the formula methods (equilibrium quadrature, exact MFPT, Kramers) do not apply.
 */
function predictModel(s: Extract<AnyScenario, { kind: 'model' }>): Prediction {
  return {
    method: `closed forms of family ${s.family}`,
    populations: null,
    mfpt: null,
    kramers: null,
    observableMean: s.equilibriumObservable(),
    notes: [
      ...s.predictions(),
      'no potential formula: equilibrium populations, exact MFPT and Kramers rates are not computed for this family',
    ],
  };
}

/** What theory says about a scenario, or null where grokscape knows no theory for it. */
export function predict(s: AnyScenario): Prediction | null {
  if (s.kind === 'model') return predictModel(s);
  const family = s.family ? families[s.family] : undefined;
  if (family && !isModelFamily(family) && family.predict) return family.predict(s);
  return s.layout.coordinates.length === 1 ? predict1d(s) : predictEyringKramers(s);
}

/** The line `predict` prints for a family's extra `name`, or null where no family declares it. */
export function describeExtra(name: string, value: unknown): string | null {
  for (const f of Object.values(families)) {
    const line = f.extras?.[name];
    if (line) return (line as (v: unknown) => string)(value);
  }
  return null;
}
