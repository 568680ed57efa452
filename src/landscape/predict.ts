import { compileEvaluator, derivative } from '../formula/index.js';
import {
  equilibriumFractions1d,
  eyringKramersTime,
  exitSaddles,
  findStationaryPoints,
  kramersRate,
  mfpt1d,
  mfpt1dBetween,
  minimize,
  symmetricEigenvalues,
  validityNote,
} from '../theory/index.js';
import { isModelFamily } from './family.js';
import { families } from './families/index.js';
import { type Prediction, sig } from './prediction.js';
import { classifier, firstNonFinite, range1d, targetEdges } from './regions-1d.js';
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
      `${UNCONFINED} the particles ${lo === null ? 'below' : 'above'} the start (U never rises 60 T above its lowest value there): no equilibrium or MFPT prediction; add bounds or a confining term`,
    );
  const pole = firstNonFinite(U, lo, hi);
  if (pole !== null)
    return none(
      `the potential is not finite near x = ${pole.toPrecision(4)} (a pole or a domain edge): no exact 1D prediction`,
    );
  const classify = classifier(s, 0, s.start);
  const regionNames = [...s.regions.map((r) => r.name), OTHER_REGION];
  const populations = equilibriumFractions1d({ U, T, lower: lo, upper: hi, classify, regionNames });
  // a pole between grid points (1/x) escapes firstNonFinite but not the quadrature
  if (!Object.values(populations).every(Number.isFinite))
    return none(
      `the quadrature of exp(-U/T) over [${sig(lo)}, ${sig(hi)}] is not finite: U has a pole or is unbounded below there; no exact 1D prediction`,
    );
  const notes: string[] = [];
  let mfpt: number | null = null;
  let kramers: Prediction['kramers'] = null;
  if (s.escape) {
    const x0 = s.start[0];
    const to = s.escape.to;
    const { below, above } = targetEdges(classify, to, x0, [lo, hi], s.bounds[0]);
    if (below === null && above === null)
      notes.push(`no point of region ${to} found in [${lo}, ${hi}]: no MFPT prediction`);
    else {
      const exact =
        below !== null && above !== null
          ? mfpt1dBetween({ U, T, x0, a: below, b: above })
          : above !== null
            ? mfpt1d({ U, T, x0, b: above, lower: lo })
            : mfpt1d({ U, T, x0, b: below!, upper: hi, direction: 'down' });
      if (Number.isFinite(exact)) mfpt = exact;
      else notes.push('the exact MFPT is beyond float64 (a barrier of more than about 700 T): no number');
      if (below !== null && above !== null)
        notes.push(
          `region ${to} lies on both sides of the start (edges ${below.toPrecision(4)} and ${above.toPrecision(4)}): the MFPT absorbs at both; no Kramers estimate, which counts one barrier`,
        );
      else kramers = kramers1d(U, T, x0, (above ?? below)!, notes);
    }
  }
  return { method, populations, mfpt, kramers, notes };
}

/** Whether U is smooth at x: its second difference barely changes with the step (at a kink it grows as 1/h). */
function smoothAt(U: (x: number) => number, x: number): boolean {
  const d2 = (h: number) => (U(x + h) - 2 * U(x) + U(x - h)) / (h * h);
  const [fine, coarse] = [d2(1e-3), d2(1e-2)];
  return Math.abs(fine - coarse) <= 0.1 * Math.max(Math.abs(fine), Math.abs(coarse)) + 1e-9;
}

/**
 * Kramers' estimate from the start's own well over the highest barrier on the way to the target edge `b`:
 * the well is where U descends to from x0, the saddle the highest maximum between it and b. None (with a
 * note) where there is no barrier, where its top or the well is a kink, or where it is not one barrier.
 */
function kramers1d(U: (x: number) => number, T: number, x0: number, b: number, notes: string[]): Prediction['kramers'] {
  const span = Math.abs(b - x0);
  const up = b > x0;
  const { minima, maxima } = findStationaryPoints(U, up ? x0 - span : b, up ? b : x0 + span);
  // descend from the start: the first minimum downhill of it
  const downhill = U(x0 + 1e-6) < U(x0 - 1e-6) ? 1 : -1;
  const well = minima
    .filter((m) => (m - x0) * downhill >= -1e-9)
    .sort((p, q) => Math.abs(p - x0) - Math.abs(q - x0))[0];
  if (well === undefined || (up ? well >= b : well <= b)) return null;
  const between = maxima.filter((m) => (up ? m > well && m < b : m < well && m > b));
  if (between.length === 0) return null;
  const saddle = between.sort((p, q) => U(q) - U(p))[0];
  if (!smoothAt(U, saddle) || !smoothAt(U, well)) {
    notes.push(
      `the ${smoothAt(U, saddle) ? 'well' : 'barrier top'} is a kink (U'' is not defined there): no Kramers estimate, trust the exact MFPT`,
    );
    return null;
  }
  const barrier = U(saddle) - U(well);
  const rate = kramersRate({ U, T, well, saddle });
  if (!(rate > 0 && Number.isFinite(1 / rate))) return null; // beyond float64, as the exact MFPT's note says
  const others = between.filter((m) => m !== saddle && U(m) - U(well) > barrier / 2);
  const note = validityNote(barrier, T);
  return {
    rate,
    time: 1 / rate,
    barrier,
    note: others.length
      ? `${note.replace(/: high-barrier asymptotics hold to O\(T\/dU\)$/, '')}; ${others.length + 1} barriers on the way, Kramers counts the highest only: trust the exact MFPT`
      : note,
  };
}

/** Hessians are derived symbolically, D^2 of them: beyond this many coordinates the prediction is skipped. */
const MAX_EYRING_KRAMERS_DIMENSIONS = 16;

/**
 * Directions to look for the target region in from the well: in 2D every 7.5 degrees, in more dimensions the
 * axes and the diagonals of each pair of axes (both signs).
 */
function searchDirections(D: number): number[][] {
  if (D === 2)
    return Array.from({ length: 48 }, (_, k) => [Math.cos((k * Math.PI) / 24), Math.sin((k * Math.PI) / 24)]);
  const out: number[][] = [];
  const unit = (entries: [number, number][]) => {
    const v = new Array<number>(D).fill(0);
    for (const [i, x] of entries) v[i] = x;
    return v;
  };
  for (let i = 0; i < D; i++) for (const s of [1, -1]) out.push(unit([[i, s]]));
  for (let i = 0; i < D; i++)
    for (let j = i + 1; j < D; j++)
      for (const a of [1, -1])
        for (const b of [1, -1])
          out.push(
            unit([
              [i, a / Math.SQRT2],
              [j, b / Math.SQRT2],
            ]),
          );
  return out;
}

/** The most target points a prediction bends its bands through (evenly spread over the directions that hit). */
const MAX_ROUTES = 8;
const SEARCH_RADIUS = 10;

/**
 * Eyring-Kramers for a D-dimensional formula: the well (descent from the start), the minima of the target
 * region reached along rays from the well, the well's own index-1 saddles towards them (climbing-image nudged
 * elastic bands, straight and bent through each ray's first target point, so that every route around a hill
 * is tried), and the Hessians' eigenvalues. Parallel saddles add their rates.
 */
function predictEyringKramers(s: Scenario): Prediction | null {
  if (!s.escape) return null;
  const method = 'Eyring-Kramers (well, saddles and Hessians found numerically)';
  const none = (note: string): Prediction => ({ method, populations: null, mfpt: null, kramers: null, notes: [note] });
  const coords = s.layout.coordinates;
  const D = coords.length;
  if (D > MAX_EYRING_KRAMERS_DIMENSIONS)
    return none(`no Eyring-Kramers estimate beyond ${MAX_EYRING_KRAMERS_DIMENSIONS} coordinates`);
  const U = compileEvaluator(s.potential, coords, s.parameters);
  const grads = s.gradient.map((g) => compileEvaluator(g, coords, s.parameters));
  const grad = (x: number[]) => grads.map((g) => g(x));
  const hessianTerms = s.gradient.map((g) =>
    coords.map((c) => compileEvaluator(derivative(g, c), coords, s.parameters)),
  );
  const hessian = (x: number[]) => hessianTerms.map((row) => row.map((h) => h(x)));
  const preds = s.regions.map((r) => ({ name: r.name, f: compileEvaluator(r.expr, coords, s.parameters) }));
  const regionOf = (x: number[]) => preds.find((r) => r.f(x) !== 0)?.name ?? OTHER_REGION;
  const inBounds = (x: number[]) => s.bounds.every((b, d) => b === null || (x[d] >= b[0] && x[d] <= b[1]));
  const { from, to } = s.escape;
  const well = minimize(U, grad, s.start, (x) => regionOf(x) === from);
  const directions = searchDirections(D);
  const hits: number[][] = [];
  for (const dir of directions) {
    for (let r = 0.05; r <= SEARCH_RADIUS; r += 0.05) {
      const x = well.map((v, d) => v + r * dir[d]);
      if (!inBounds(x)) break; // beyond a reflecting wall
      if (regionOf(x) === to) {
        hits.push(x);
        break;
      }
    }
  }
  if (hits.length === 0)
    return none(
      `no point of region ${to} found within ${SEARCH_RADIUS} of the well (${directions.length} directions searched): no Eyring-Kramers estimate`,
    );
  const routes = hits.filter((_, i) => hits.length <= MAX_ROUTES || i % Math.ceil(hits.length / MAX_ROUTES) === 0);
  const targets: { minimum: number[]; via: number[][] }[] = [];
  for (const via of routes) {
    const minimum = minimize(U, grad, via, (x) => regionOf(x) === to);
    const same = targets.find((t) => Math.hypot(...t.minimum.map((v, d) => v - minimum[d])) < 1e-3);
    if (same) same.via.push(via);
    else targets.push({ minimum, via: [via] });
  }
  const lw = symmetricEigenvalues(hessian(well));
  if (lw.some((l) => !(l > 0)))
    return none(
      'the well is not a strict minimum (a flat or degenerate direction): Eyring-Kramers does not apply; use quadrature or Fick-Jacobs',
    );
  const { own, further } = exitSaddles(U, grad, hessian, well, targets);
  // a coordinate within rounding of 0 prints as 0 (Newton leaves 1e-16 where symmetry puts 0)
  const at = (x: number[]) => `(${x.map((v) => (Math.abs(v) < 1e-9 ? 0 : Number(v.toPrecision(3)))).join(', ')})`;
  const T = s.temperature;
  const walls = s.bounds.some((b) => b !== null) ? ['reflecting walls are ignored by Eyring-Kramers'] : [];
  if (own.length === 0) {
    return none(
      further.length
        ? `no index-1 saddle of the well's own basin found (the routes to ${to} first cross another minimum, beyond saddle ${at(further[0].point)}): Eyring-Kramers does not apply to several barriers in a row; measure the MFPT`
        : /\b(abs|min|max|ind)\s*\(/.test(s.potentialText)
          ? 'no index-1 saddle with a strict minimum found: the potential has kinks (abs, min, max or ind), where the Hessian Eyring-Kramers needs is not defined; measure the MFPT'
          : 'no index-1 saddle with a strict minimum found (a flat or degenerate landscape): Eyring-Kramers does not apply; use quadrature or Fick-Jacobs',
    );
  }
  const channels = own
    .map((q) => {
      const dU = U(q.point) - U(well);
      return { ...q, dU, time: eyringKramersTime({ wellEigenvalues: lw, saddleEigenvalues: q.eigenvalues, dU, T }) };
    })
    .sort((a, b) => a.time - b.time);
  const rate = channels.reduce((k, c) => k + 1 / c.time, 0);
  const lowest = channels[0];
  const saddles =
    channels.length === 1
      ? `saddle ${at(lowest.point)}`
      : `${channels.length} saddles, rates added: ${channels.map((c) => `${at(c.point)} (barrier ${sig(c.dU)}, time ${sig(c.time)})`).join(', ')}`;
  return {
    method,
    populations: null,
    mfpt: null,
    kramers: {
      rate,
      time: 1 / rate,
      barrier: lowest.dU,
      // no exact MFPT beside it in D > 1: the note must not point to one
      note: `${validityNote(lowest.dU, T).replace('; trust the exact MFPT', '; measure the MFPT')}; well ${at(well)}, ${saddles}; fails where a curvature vanishes`,
    },
    notes: walls,
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
