import { normalCdf, normalQuantile } from '../../../math/special.js';
import { coordName } from '../../../engine/kernel-model.js';
import { floatLiteral } from '../../../formula/index.js';
import {
  FamilyParameterError,
  requireRange,
  siblingModule,
  type ModelBuild,
  type ModelFamily,
  type ModelRun,
} from '../../family.js';
import { LAMBDA_MAX, wInfLargeD } from './theory.js';
import { gaussianDatasets, smallStart } from './data.js';
import { linearSeparabilityMeasures } from './measures.js';
import { twoPointLateGap, twoPointSInfinity } from './two-point.js';

/**
 * Beck, Levi, Bar-Sinai, "Grokking at the Edge of Linear Separability" (ICML 2025), science.md §4.
 * Each particle is a logistic regression with bias, f(x) = w.x + b, trained on its own N points
 * x_i ~ N(0, I_d), all with label +1 (the paper's two Gaussian classes reduced to one constant label):
 *   U(w, b) = (1/N) sum_i ln(1 + exp(-(w.x_i + b))) + (l2/2) (|w|^2 + b^2).
 * At T = 0 (plain gradient descent) l2 may be 0; at T > 0 the loss alone has no normalizable Gibbs measure
 * (it tends to 0 as b -> infinity), so l2 > 0 is required.
 * Fresh accuracy, exactly: P(w.x + b > 0) = Phi(b/|w|) for x ~ N(0, I) (w.x ~ N(0, |w|^2)).
 * generalizing (default, implicitBias 0): fresh accuracy >= `accuracy`, read off (w, b) alone, never from the
 * training set's geometry (which is a separate measure, measures.ts). Its late-time limit is derived set by set:
 * 1 for a set not separable from the origin, Phi(1/gamma) for a separable one (gamma its max margin: geometry.ts
 * setMargin), so the late-time fraction is 1 - P_sep plus the separable sets with Phi(1/gamma) >= accuracy, and
 * tends to Wendel's 1 - P_sep only as accuracy -> 1 (docs/scenarios.md). implicitBias 1 and 2 are the 0.2.0
 * rules that add a test on the training set (separating weights, or the gradient ratio).
 * Two-point model (twoPoint = 1): d = 1, N = 2, x1 = -sigma, x2 = sigma (1 - 2 lambda), shared by all particles.
 *
 * Coordinates: w1..wd, b. Kernel layout: aux[i][p] = sigmoid(-m_i), m_i = w.x_i + b (the N margins' loss
 * weights, computed once per particle-step), then thread (p, j) sums over i: O(N d) per particle-step.
 * normalized = 1: each step is divided by the bias gradient |dL/db| (normalized gradient descent, Nacson et al.
 * 2019): the same late-time states as plain gradient descent, reached far faster than its 1/ln t (about 1/t
 * measured); aux then holds the margins m_i and the weights are formed relative to the largest one.
 */
export const linearSeparabilityDefaults = {
  d: 50,
  lambda: 0.4,
  l2: 0,
  initScale: 0.01,
  accuracy: 0.95,
  accuracyZ: 0,
  implicitBias: 0,
  gradientRatio: 0.1,
  twoPoint: 0,
  sigma: 1,
  normalized: 0,
};

/** N = round(d / lambda) (two points in the two-point model). */
export function pointCount(p: Record<string, number>): number {
  return p.twoPoint === 1 ? 2 : Math.max(1, Math.round(p.d / p.lambda));
}

/**
 * The accuracy threshold as a normal quantile: generalizing is b/|w| > z, i.e. Phi(b/|w|) > Phi(z).
 * `accuracyZ` gives z itself, for thresholds past float64's reach (accuracy -> 1: the limit in which the
 * late-time fraction is Wendel's 1 - P_sep); 0 takes it from `accuracy`.
 */
function accuracyQuantile(p: Record<string, number>): number {
  return p.accuracyZ > 0 ? p.accuracyZ : normalQuantile(p.accuracy);
}

function thresholdText(p: Record<string, number>): string {
  return p.accuracyZ > 0
    ? `fresh accuracy Phi(b/|w|) > Phi(${p.accuracyZ}) (b/|w| > ${p.accuracyZ})`
    : `fresh accuracy Phi(b/|w|) > ${p.accuracy}`;
}

/** Fresh-sample accuracy Phi(b/|w|) of one particle's coordinates (w1..wd, b); 1/2 at w = 0, b = 0. */
export function freshAccuracy(x: ArrayLike<number>, d: number): number {
  let ww = 0;
  for (let j = 0; j < d; j++) ww += x[j] * x[j];
  const b = x[d];
  if (ww === 0) return b > 0 ? 1 : b < 0 ? 0 : 0.5;
  return normalCdf(b / Math.sqrt(ww));
}

const MAX_D = 512;
const MAX_POINTS = 4096;

function check(p: Record<string, number>): void {
  requireRange(p, 'twoPoint', 0, 1, true);
  requireRange(p, 'd', 1, MAX_D, true);
  if (p.twoPoint === 1 && p.d !== 1)
    throw new FamilyParameterError('d', `the two-point model is one-dimensional: set d: 1 (got ${p.d})`);
  requireRange(p, 'lambda', 1e-3, p.twoPoint === 1 ? 0.4999 : 1e3);
  const n = pointCount(p);
  if (n > MAX_POINTS)
    throw new FamilyParameterError('lambda', `gives N = ${n} points, more than ${MAX_POINTS}: raise lambda or lower d`);
  requireRange(p, 'l2', 0, 1e3);
  requireRange(p, 'initScale', 0, 1e3);
  requireRange(p, 'accuracy', 0.5, 0.999999);
  requireRange(p, 'accuracyZ', 0, 1e6);
  requireRange(p, 'implicitBias', 0, 2, true);
  requireRange(p, 'gradientRatio', 1e-6, 1);
  requireRange(p, 'sigma', 1e-6, 1e6);
  requireRange(p, 'normalized', 0, 1, true);
  if (p.normalized === 1 && p.l2 > 0)
    throw new FamilyParameterError(
      'l2',
      `must be 0 with normalized: 1 (normalized gradient descent is for T = 0 and the plain loss); set l2: 0 or normalized: 0`,
    );
}

function build(p: Record<string, number>): ModelBuild {
  check(p);
  const d = p.d;
  const n = pointCount(p);
  const two = p.twoPoint === 1;
  const z = accuracyQuantile(p);
  const threshold = thresholdText(p);
  const bias = coordName(d);
  // Point i, coordinate j, as kernel code: a per-particle data row, or a shared value (two-point model).
  const x = (i: string, j: string) => (two ? `shared[${i}]` : `data[${i} * ${d} + ${j}][p]`);
  const decay = (c: string) => (p.l2 > 0 ? `${floatLiteral(p.l2)} * ${c} - ` : '-');
  const invN = floatLiteral(1 / n);
  // The run's datasets, drawn once: the kernels read them, and the measures decide each set's geometry.
  let drawn: { seed: number; particles: number; rows: Float32Array[] } | null = null;
  const datasets = (r: ModelRun) => {
    if (drawn?.seed !== r.seed || drawn.particles !== r.particles)
      drawn = { seed: r.seed, particles: r.particles, rows: gaussianDatasets(r.seed, r.particles, n, d) };
    return drawn.rows;
  };
  const normalized = p.normalized === 1;
  // The loss weight s_i = sigmoid(-m_i) of point i. Plain: aux holds s_i. Normalized: aux holds the margin m_i,
  // and s_i is taken relative to the largest one, s_i e^(-M) with M = max_i(-m_i), in the prelude `top` sets up:
  // the ratios stay finite in float32 when every margin is far beyond the exponent range (b grows like t).
  const top = `let top = -aux[0][p];\nfor (let i = 1; i < ${n}; i++) { top = Math.max(top, -aux[i][p]); }`;
  const lossWeight = (i: string) =>
    normalized ? `(Math.exp(-aux[${i}][p] - top) / (1.0 + Math.exp(Math.min(-aux[${i}][p], 80.0))))` : `aux[${i}][p]`;
  // Weights share one kernel branch (r is the thread's coordinate, self its value); the bias has its own.
  // Normalized: the step divided by the bias gradient |dL/db| = (1/N) sum_i s_i, so b moves by dt and w by dt
  // times the s-weighted mean of the points.
  const weight = normalized
    ? {
        prelude: `${top}\nlet g = 0.0;\nlet den = 0.0;\nfor (let i = 0; i < ${n}; i++) { const wi = ${lossWeight('i')}; g += wi * ${x('i', 'r')}; den += wi; }`,
        expression: '-(g / den)',
        uses: [],
        shared: true,
      }
    : {
        prelude: `let g = 0.0;\nfor (let i = 0; i < ${n}; i++) { g += aux[i][p] * ${x('i', 'r')}; }`,
        expression: `${decay('self')}${invN} * g`,
        uses: [],
        shared: true,
      };
  const gradient = [
    ...Array.from({ length: d }, () => weight),
    normalized
      ? { expression: '(-1.0)', uses: [d] }
      : {
          prelude: `let g = 0.0;\nfor (let i = 0; i < ${n}; i++) { g += aux[i][p]; }`,
          expression: `${decay(bias)}${invN} * g`,
          uses: [d],
        },
  ];
  const norm = `let ww = 0.0;\nfor (let j = 0; j < ${d}; j++) { ww += state[j][p] * state[j][p]; }`;
  // Every training margin positive: s_i < 1/2 (plain), m_i > 0 (normalized).
  const fits = `let fits = 1.0;\nfor (let i = 0; i < ${n}; i++) { if (${normalized ? 'aux[i][p] <= 0.0' : 'aux[i][p] >= 0.5'}) { fits = 0.0; } }`;
  // Weights alone fit the training set (min_i w.x_i > 0): the signature of the max-margin memorizing solution.
  // O(N d), so only evaluated where the accuracy test already holds.
  const accurate = `${bias} > ${floatLiteral(z)} * Math.sqrt(ww)`;
  // implicitBias 1: weights separating the set (the max-margin memorizing solution's signature).
  // implicitBias 2: the weight gradient small against the bias gradient, |sum s_i x_i| < eps sum s_i.
  const separates =
    p.implicitBias === 2
      ? `let sep = 0.0;\nif (${accurate}) {\n${normalized ? `  ${top.replaceAll('\n', '\n  ')}\n` : ''}  let ss = 0.0;\n  for (let i = 0; i < ${n}; i++) { ss += ${lossWeight('i')}; }\n  let mm = 0.0;\n  for (let j = 0; j < ${d}; j++) {\n    let mj = 0.0;\n    for (let i = 0; i < ${n}; i++) { mj += ${lossWeight('i')} * ${x('i', 'j')}; }\n    mm += mj * mj;\n  }\n  if (mm > ${floatLiteral(p.gradientRatio * p.gradientRatio)} * ss * ss) { sep = 1.0; }\n}`
      : `let sep = 0.0;\nif (${accurate}) {\n  sep = 1.0;\n  for (let i = 0; i < ${n}; i++) {\n    let wx = 0.0;\n    for (let j = 0; j < ${d}; j++) { wx += state[j][p] * ${x('i', 'j')}; }\n    if (wx <= 0.0) { sep = 0.0; }\n  }\n}`;
  const implicit = p.implicitBias >= 1;
  const generalizing = {
    name: 'generalizing',
    predicate: implicit ? `${accurate} && sep < 0.5` : accurate,
    uses: [d],
    prelude: implicit ? `${norm}\n${separates}` : norm,
  };
  const memorizing = { name: 'memorizing', predicate: 'fits > 0.5', uses: [], prelude: fits };
  return {
    dimensions: [{ name: 'w', count: d }, 'b'],
    regions: [
      {
        name: 'generalizing',
        text:
          p.implicitBias === 2
            ? `${threshold} and the weight gradient is below ${p.gradientRatio} x the bias gradient (|sum s_i x_i| < eps sum s_i)`
            : implicit
              ? `${threshold} and the weights alone do not separate the training set (some w.x_i <= 0)`
              : threshold,
      },
      { name: 'memorizing', text: 'every training margin w.x_i + b > 0 (and not generalizing)' },
    ],
    escape: { from: 'memorizing', to: 'generalizing' },
    observable: { text: 'accuracy', evaluate: (c) => freshAccuracy(c, d) },
    // The same model per particle over SIMD products (program.ts), for the webasm backend: the default rule
    // with per-particle data; the other settings run the kernels.
    ...(two || implicit
      ? {}
      : {
          program: () => ({
            module: siblingModule(import.meta.url, 'program'),
            args: { d, n, l2: p.l2, normalized, z },
          }),
        }),
    kernelModel(r) {
      const data = two
        ? { shared: Float32Array.from([-p.sigma, p.sigma * (1 - 2 * p.lambda)]) }
        : { perParticle: { width: n * d, rows: datasets(r) } };
      return {
        dimensions: d + 1,
        gradient,
        bounds: Array.from({ length: d + 1 }, () => null),
        regions: [generalizing, memorizing],
        data,
        aux: {
          width: n,
          uses: [d],
          body: `let m = ${bias};\nfor (let j = 0; j < ${d}; j++) { m += state[j][p] * ${x('a', 'j')}; }\nreturn ${normalized ? 'm' : '1.0 / (1.0 + Math.exp(m))'};`,
        },
        maxLoop: Math.max(n, d),
      };
    },
    initial: (r) => smallStart(r.seed, r.particles, d, p.initScale),
    predictions: () => [...linearSeparabilityPredictions(p), ...separabilityNotes(p)],
    ...(two
      ? {}
      : {
          measures: (r, end) => linearSeparabilityMeasures(r, end, datasets(r), n, d, wendelSeparable(n, d), z),
        }),
    checkTemperature(t) {
      if (t > 0 && normalized) {
        throw new FamilyParameterError(
          'normalized',
          `must be 0 at temperature ${t} > 0: normalized gradient descent is a T = 0 method with no Langevin form; set normalized: 0 or temperature 0`,
        );
      }
      if (t > 0 && !(p.l2 > 0)) {
        throw new FamilyParameterError(
          'l2',
          `must be > 0 at temperature ${t} > 0: without the weak L2 term the loss has no normalizable Gibbs measure (it vanishes as b -> infinity); set l2 (e.g. 1e-3) or temperature 0`,
        );
      }
    },
  };
}

/** Wendel (1962): probability that N symmetric points in general position in R^d lie in an open half-space through the origin. */
export function wendelSeparable(n: number, d: number): number {
  if (n <= d) return 1;
  // 2^(1-N) sum_{k<d} C(N-1, k), summed in logs so N up to thousands stays finite.
  let logC = 0;
  let sum = 0;
  for (let k = 0; k < d; k++) {
    if (k > 0) logC += Math.log((n - k) / k);
    sum += Math.exp(logC + (1 - n) * Math.LN2);
  }
  return Math.min(1, sum);
}

function linearSeparabilityPredictions(p: Record<string, number>): string[] {
  const n = pointCount(p);
  if (p.twoPoint === 1) {
    const s = twoPointSInfinity(p.lambda);
    return [
      `two-point model: x1 = ${-p.sigma}, x2 = ${p.sigma * (1 - 2 * p.lambda)}: not separable from the origin for lambda < 1/2, so b -> infinity and the fresh accuracy -> 1`,
      `S_inf = ln(1/(1 - 2 lambda)) / (2 (1 - lambda)) = ${s.toPrecision(6)}: gradient descent drives sigma w(t) -> -S_inf (= ${(-s / p.sigma).toPrecision(6)} / sigma for w)`,
      `grokking time (exponential loss, the paper's Fig. 9): ln(t_gen / t_tr) -> S_inf^2 / 2 - ln C = ${twoPointLateGap(p.lambda).toPrecision(6)} at late times (both losses below eps once w = w_inf; leading term (1/2) ln^2(1 - 2 lambda) = ${(0.5 * Math.log(1 - 2 * p.lambda) ** 2).toPrecision(6)}); w reaches w_inf first only at large sigma: docs/scenarios.md`,
    ];
  }
  const sep = wendelSeparable(n, p.d);
  return [
    `N = ${n} points in d = ${p.d} (lambda = d/N = ${(p.d / n).toFixed(4)}; critical lambda = 1/2)`,
    `Wendel: P(separable from the origin) = 2^(1-N) sum_{k<d} C(N-1, k) = ${sep.toPrecision(6)}`,
    `late-time fraction generalizing perfectly (fresh accuracy -> 1) = 1 - P_sep = ${(1 - sep).toPrecision(6)} (gradient descent, T = 0)`,
    `late-time fraction with ${thresholdText(p)} (the generalizing region): 1 - P_sep plus the separable sets whose max-margin limit b/|w| = 1/gamma reaches it; decided set by set in summary.json measures.lateTime.limit (accuracyZ large: the limit accuracy -> 1, 1 - P_sep)`,
    'summary.json measures: each set decided separable or not on the host (vs Wendel), the late-time limit of the region rule, and the time to generalize over the non-separable sets',
  ];
}

export const linearSeparability: ModelFamily = {
  kind: 'model',
  name: 'linear-separability',
  summary: 'logistic regression with bias on N = d/lambda Gaussian points, one label (Beck, Levi, Bar-Sinai)',
  defaults: linearSeparabilityDefaults,
  allowsZeroTemperature: true,
  build,
};

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
    `large-d limit (El Karoui et al. system, src/landscape/families/linear-separability/theory.ts): a non-separable set's late weights have |w_inf| = r(lambda) = ${r.toPrecision(5)}; r diverges like about 0.9 (1/2 - lambda)^(-1/2) as lambda -> 1/2`,
    `late fresh accuracy grows like Phi(ln t / |w_inf|) (b ~ ln t, w -> w_inf): the time to ${thresholdText(p)} grows with |w_inf| (summary.json measures, per set), so without bound as lambda -> 1/2`,
  ];
}
