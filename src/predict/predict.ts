import { parallelogramTheory } from '../theory/parallelogram.js';
import { LAMBDA_MAX, wInfLargeD } from '../theory/separability.js';
import { collectIdentifiers, compileEvaluator, derivative, evaluate } from '../formula/index.js';
import type { FormulaScenario as Scenario, Scenario as AnyScenario } from '../landscape/scenario.js';
import { OTHER_REGION } from '../landscape/scenario.js';
import { pointCount } from '../landscape/families/linear-separability.js';
import {
  equilibriumFractions1d,
  eyringKramersTime,
  fickJacobsMfpt,
  findSaddle,
  minimize,
  symmetricEigenvalues,
  findStationaryPoints,
  barrierAlong,
  firstOrderFreeEnergy,
  firstOrderRange,
  firstOrderTransition,
  type FirstOrderParams,
  funnelPredictions,
  grokkingThreshold,
  kramersRate,
  mfpt1d,
  validityNote,
  type FunnelParams,
} from '../theory/index.js';
import type { Prediction } from './prediction.js';

/** Classifies a point by the scenario's regions (first match wins), with fixed values for the other coordinates. */
function classifier(s: Scenario, coord: number, fixed: number[]): (x: number) => string {
  const env: Record<string, number> = { ...s.parameters };
  s.layout.coordinates.forEach((c, i) => {
    env[c] = fixed[i];
  });
  const name = s.layout.coordinates[coord];
  return (x: number) => {
    env[name] = x;
    return s.regions.find((r) => evaluate(r.expr, env) !== 0)?.name ?? OTHER_REGION;
  };
}

/** Whether every region predicate reads only coordinate `coord`. */
function regionsUseOnly(s: Scenario, coord: number): boolean {
  const name = s.layout.coordinates[coord];
  return s.regions.every((r) => [...collectIdentifiers(r.expr).coords].every((c) => c === name));
}

/** Scans from x0 towards `dir` for the first point in the target region; bisects the boundary. */
function targetBoundary(
  classify: (x: number) => string,
  target: string,
  x0: number,
  lo: number,
  hi: number,
): { b: number; up: boolean } | null {
  const n = 20000;
  for (const up of [true, false]) {
    const end = up ? hi : lo;
    let prev = x0;
    for (let i = 1; i <= n; i++) {
      const x = x0 + ((end - x0) * i) / n;
      if (classify(x) === target) {
        let a = prev;
        let b = x;
        for (let k = 0; k < 60; k++) {
          const m = (a + b) / 2;
          if (classify(m) === target) b = m;
          else a = m;
        }
        return { b, up };
      }
      prev = x;
    }
  }
  return null;
}

/** A range that holds all but a negligible part of exp(-U/T): walls where there are, else where U - U(x0) > 60 T. */
function range1d(U: (x: number) => number, T: number, x0: number, walls: [number, number] | null): [number, number] {
  if (walls) return walls;
  const far = (dir: number) => {
    let step = 0.1;
    let x = x0;
    const u0 = U(x0);
    for (let i = 0; i < 200; i++) {
      x += dir * step;
      if (U(x) - u0 > 60 * T) return x;
      step *= 1.2;
    }
    return x;
  };
  return [far(-1), far(1)];
}

function predict1d(s: Scenario): Prediction {
  const T = s.temperature;
  const f = compileEvaluator(s.potential, s.layout.coordinates, s.parameters);
  const U = (x: number) => f([x]);
  const [lo, hi] = range1d(U, T, s.start[0], s.bounds[0]);
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
  return { method: 'exact 1D quadrature', populations, mfpt, kramers, notes };
}

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

/** Interval [lo, hi] in s of a region, found by scanning s at y = 0. */
function intervalOf(classify: (x: number) => string, name: string, lo: number, hi: number): [number, number] | null {
  const n = 4000;
  let a: number | null = null;
  let b: number | null = null;
  for (let i = 0; i <= n; i++) {
    const x = lo + ((hi - lo) * i) / n;
    if (classify(x) === name) {
      a ??= x;
      b = x;
    }
  }
  return a === null || b === null ? null : [a, b];
}

function predictFunnel(s: Scenario): Prediction {
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
  if (s.family === 'grokking-threshold' || s.family === 'entropic-threshold') {
    const t = grokkingThreshold(p, s.temperature, { memorizing: mem, generalizing: gen });
    prediction.threshold = { dataSize: t.threshold, fractionsByDataSize: t.fractionsByDataSize };
  }
  return prediction;
}

function predictChannel(s: Scenario): Prediction | null {
  if (!s.escape || !regionsUseOnly(s, 0)) return null;
  const p = s.parameters;
  const T = s.temperature;
  // Effective width of the Gaussian transverse density: ∫ exp(-stiffness y^2 / (2 T w^2)) dy = w sqrt(2 pi T / stiffness)
  const halfWidth = (x: number) => p.width * (1 - (1 - p.neck) * Math.exp(-(x * x) / (2 * p.neckLength ** 2)));
  const width = (x: number) => halfWidth(x) * Math.sqrt((2 * Math.PI * T) / p.stiffness);
  const classify = classifier(
    s,
    0,
    s.start.map(() => 0),
  );
  const regionNames = [...s.regions.map((r) => r.name), OTHER_REGION];
  // p(x) is proportional to w(x) exactly: the free energy along x is A(x) = -T ln w(x)
  const U = (x: number) => -T * Math.log(width(x));
  const populations = equilibriumFractions1d({ U, T, lower: -p.length, upper: p.length, classify, regionNames });
  const edge = targetBoundary(classify, s.escape.to, s.start[0], -p.length, p.length);
  const mfpt = edge?.up
    ? fickJacobsMfpt({ width, T, xL: -p.length, x0: s.start[0], xR: edge.b, diffusivity: 'reguera-rubi' })
    : null;
  return {
    method: 'exact p(x) ∝ w(x) by quadrature; Fick-Jacobs MFPT with Reguera-Rubi diffusivity',
    populations,
    mfpt,
    kramers: null,
    notes: [
      'Fick-Jacobs is derived for hard walls and slowly varying width; with harmonic confinement it is an approximation',
    ],
  };
}

/**
 * first-order family: Phi = w1 decouples from the Gaussian transverse coordinates, so its marginal is
 * exp(-U(Phi)/T) exactly and the mean first-passage time in Phi is the exact 1D one. The potential is even
 * in Phi; with regions symmetric in w1, the time to reach |Phi| >= b is that of |Phi| reflected at 0.
 */
function predictFirstOrder(s: Scenario): Prediction {
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
    transition: { parameter: 'u', spinodal, meanField: transition, equalPopulations },
    notes,
  };
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
    notes: [
      ...s.predictions(),
      ...(s.family === 'linear-separability' ? separabilityNotes(s.parameters) : []),
      'no potential formula: equilibrium populations, exact MFPT and Kramers rates are not computed for this family',
    ],
  };
}

/** Beck, Levi, Bar-Sinai at large d: |w_inf| of a non-separable set, and what it says about the time to generalize. */
function separabilityNotes(p: Record<string, number>): string[] {
  if (p.twoPoint === 1) return [];
  const lambda = p.d / pointCount(p);
  if (!(lambda <= LAMBDA_MAX))
    return [
      `large-d limit: not computed for lambda = ${lambda.toFixed(4)} > ${LAMBDA_MAX} (|w_inf| diverges at 1/2 and is infinite past it as d -> infinity)`,
    ];
  const r = wInfLargeD(lambda);
  return [
    `large-d limit (El Karoui et al. system, src/theory/separability.ts): a non-separable set's late weights have |w_inf| = r(lambda) = ${r.toPrecision(5)}; r diverges like about 0.9 (1/2 - lambda)^(-1/2) as lambda -> 1/2`,
    `late fresh accuracy grows like Phi(ln t / |w_inf|) (b ~ ln t, w -> w_inf): the time to accuracy ${p.accuracy} grows with |w_inf| (summary.json measures, per set), so without bound as lambda -> 1/2`,
  ];
}

/** Liu et al.: lambda_3 of the effective loss's Hessian at the linear solution, and 1/(lambda_3 eta). */
function predictParallelogram(s: Scenario): Prediction {
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

/** What theory says about a scenario, or null where grokscape knows no theory for it. */
export function predict(s: AnyScenario): Prediction | null {
  if (s.kind === 'model') return predictModel(s);
  switch (s.family) {
    case 'entropic-funnel':
    case 'grokking-threshold':
    case 'entropic-threshold':
      return predictFunnel(s);
    case 'entropic-channel':
      return predictChannel(s);
    case 'first-order':
      return predictFirstOrder(s);
    case 'parallelogram':
      return predictParallelogram(s);
    default:
      return s.layout.coordinates.length === 1 ? predict1d(s) : predictEyringKramers(s);
  }
}
