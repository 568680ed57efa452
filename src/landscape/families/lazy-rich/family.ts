import { coordName } from '../../../engine/kernel-model.js';
import { checkCapacity } from '../../../engine/simulation.js';
import { floatLiteral } from '../../../formula/index.js';
import {
  FamilyParameterError,
  requireRange,
  siblingModule,
  type ModelBuild,
  type ModelFamily,
  type ModelRun,
} from '../../family.js';
import type { LazyRichProgramArgs } from './program.js';
import type { Measures, RunEnd } from '../../scenario.js';
import {
  alignment,
  initialTestMse,
  initialWeights,
  inputsOf,
  lazyFit,
  lazyTestMse,
  learningRate,
  output,
  stabilityNumber,
  startKernel,
  target,
  testMse,
  trainMse,
  trainingInputs,
  type LazyRichParams,
  type StartKernel,
} from './model.js';
import { mean, meanInterval } from '../../../analysis/mean-interval.js';
import { symmetricEigenCost } from '../../../math/symmetric-eigen.js';

/**
 * Kumar, Bordelon, Gershman, Pehlevan, "Grokking as the Transition from Lazy to Rich Training Dynamics"
 * (ICLR 2024), science.md §4. Each particle is a whole two-layer network f(w, x) = (alpha/N) sum_i phi(w_i.x),
 * phi(h) = h + (eps/2) h^2, with its own start w_i ~ N(0, I), trained by full-batch gradient descent on
 *   U(w) = eta L(w),  L = (1/(2P)) sum_mu (f(w, x_mu) - f(w0, x_mu) - y_mu)^2,  eta = lrScale N / alpha^2,
 * so that dt = 1 is one step of learning rate eta (T > 0 is the Langevin extension of that step, not in
 * the paper). Target y = (beta*.x)^2 / 2, x ~ N(0, I/D); the math and random streams are in model.ts.
 *
 * Coordinates: w1..w{N D} (neuron i, component j at i D + j), then tFit, a noiseless clock: it holds the
 * elapsed time until the train MSE first falls below the fitting threshold, then -(tFit + dt) for good; then
 * teFit, noiseless: 0 until that same step, then for good the exact test MSE of the state that first fitted
 * (so the test MSE at the time of fit is read from the final state, exactly, per particle).
 * Kernel layout: aux[i P + mu][p] = h_{i mu} = w_i . x_mu and aux[N P + mu][p] = r_mu, the centred residual
 * (O(D) and O(N D) per thread: O(P N D) per particle-step); the step thread of w_ij sums over mu
 * r_mu (1 + eps h_{i mu}) x_mu,j (O(P)), times eta alpha/(N P).
 * Constant data per particle: w0 (N D rows), then t_mu = y_mu + f(w0, x_mu) (P rows), then x (P D rows) when
 * each particle has its own training set; a shared training set is passed once as `shared` (x_mu,j at mu D + j).
 */
/**
 * Defaults in the paper's regime (issue 19): the lazy kernel fits the training set (N D >= P; here N D = 60
 * = 4 P, a margin that keeps the initial NTK well conditioned), but does not identify the target (P = 15 <
 * D (D + 3)/2 = 20, the number of coefficients of a quadratic in D = 5 inputs), while a rich network does
 * (P = 3 D). fitThreshold 0.01: "fitted" means interpolated to 1% of the initial test MSE; in the lazy limit
 * the network fits where its kernel path (lazyFit) does, before that path's test MSE has converged to the
 * kernel regression's (docs/scenarios.md, lazy-rich).
 */
export const lazyRichDefaults: Record<keyof LazyRichParams, number> = {
  D: 5,
  P: 15,
  N: 12,
  eps: 0.25,
  alpha: 1,
  lrScale: 0.5,
  targetScale: 1,
  dataSeed: 1,
  ownData: 0,
  fitThreshold: 0.01,
  generalizeThreshold: 0.1,
  memorizeFloor: 0.2,
};

const asParams = (p: Record<string, number>): LazyRichParams => p as unknown as LazyRichParams;

function check(p: Record<string, number>): LazyRichParams {
  requireRange(p, 'D', 1, 256, true);
  requireRange(p, 'P', 1, 4096, true);
  requireRange(p, 'N', 1, 64, true);
  requireRange(p, 'eps', 0, 100);
  requireRange(p, 'alpha', 1e-6, 1e6);
  requireRange(p, 'lrScale', 1e-9, 1e3);
  requireRange(p, 'targetScale', 1e-9, 1e6);
  requireRange(p, 'dataSeed', 0, 2 ** 31, true);
  requireRange(p, 'ownData', 0, 1, true);
  requireRange(p, 'fitThreshold', 0, 10);
  requireRange(p, 'generalizeThreshold', 0, 10);
  requireRange(p, 'memorizeFloor', 0, 10);
  if (p.N * p.D > 4096)
    throw new FamilyParameterError('N', `N D = ${p.N * p.D} weights per network is more than 4096: lower N or D`);
  return asParams(p);
}

/**
 * The lazy regime's inequality: the initial NTK has N D features psi_i(x) = (alpha/N) phi'(w0_i.x) x, so the
 * linearized network can interpolate P generic training points only when N D >= P (the parameter count of the
 * linearized model at least the number of points). Below it lazy training stops at a least-squares residual
 * and the network fits only by moving its features: there is no lazy fit to be delayed from.
 */
export const lazyFits = (q: LazyRichParams): boolean => q.N * q.D >= q.P;

function lazyRegimeLine(q: LazyRichParams): string {
  const nd = q.N * q.D;
  return lazyFits(q)
    ? `lazy regime N D >= P: N D = ${nd} >= P = ${q.P} (${(nd / q.P).toPrecision(3)} P): the lazy kernel can fit the training set`
    : `lazy regime N D >= P: NOT met, N D = ${nd} < P = ${q.P}: the lazy kernel cannot fit the training set (least squares leaves a residual); the network fits only by moving its features, so no lazy-then-rich delay (raise N to at least ${Math.ceil(q.P / q.D)})`;
}

const warned = new Set<string>();

/** One `grokscape: warning: lazy-rich:` line per key and process (a warning, not an error). */
function warnOnce(key: string, text: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  process.stderr.write(`grokscape: warning: lazy-rich: ${text}\n`);
}

/** One warning line per parameter set and process when a run is outside the lazy regime. */
function warnOutsideLazyRegime(q: LazyRichParams): void {
  if (!lazyFits(q)) warnOnce(JSON.stringify(q), lazyRegimeLine(q).replace('lazy regime N D >= P: NOT met, ', ''));
}

/** Kernel statements: the train-set squared-error sum `se<sx>` of particle p from the aux stage's residuals. */
function trainSum(q: LazyRichParams, sx: string): string {
  const r0 = q.N * q.P;
  return `let se${sx} = 0.0;
for (let m${sx} = 0; m${sx} < ${q.P}; m${sx}++) { let res${sx} = aux[${r0} + m${sx}][p]; se${sx} += res${sx} * res${sx}; }`;
}

/**
 * Kernel statements: the exact test MSE `te<sx>` of particle p from the Gram matrix of its weights w_i,
 * its start v_i and beta* (O(N^2 D)): |a|^2/D + ((tr B)^2 + 2 tr B^2)/(4 D^2) with
 * tr B = c sum_i (|w_i|^2 - |v_i|^2) - |b|^2, tr B^2 = c^2 sum_ik ((w_i.w_k)^2 + (v_i.v_k)^2 - 2 (w_i.v_k)^2)
 * - 2 c sum_i ((w_i.b)^2 - (v_i.b)^2) + |b|^4, |a|^2 = (alpha/N)^2 sum_ik (w_i - v_i).(w_k - v_k), c = alpha eps / N.
 */
function testSum(q: LazyRichParams, sx: string): string {
  const { N, D } = q;
  const c = (q.alpha * q.eps) / N;
  const bb = q.targetScale * D;
  return `let trB${sx} = ${floatLiteral(-bb)};
let trB2${sx} = ${floatLiteral(bb * bb)};
let aa${sx} = 0.0;
for (let i${sx} = 0; i${sx} < ${N}; i${sx}++) {
  let wb${sx} = 0.0;
  let vb${sx} = 0.0;
  for (let j${sx} = 0; j${sx} < ${D}; j${sx}++) { wb${sx} += state[i${sx} * ${D} + j${sx}][p]; vb${sx} += data[i${sx} * ${D} + j${sx}][p]; }
  trB2${sx} -= ${floatLiteral(2 * c * q.targetScale)} * (wb${sx} * wb${sx} - vb${sx} * vb${sx});
  for (let k${sx} = 0; k${sx} < ${N}; k${sx}++) {
    let ww${sx} = 0.0;
    let vv${sx} = 0.0;
    let wv${sx} = 0.0;
    for (let j${sx} = 0; j${sx} < ${D}; j${sx}++) {
      let wi${sx} = state[i${sx} * ${D} + j${sx}][p];
      let vi${sx} = data[i${sx} * ${D} + j${sx}][p];
      ww${sx} += wi${sx} * state[k${sx} * ${D} + j${sx}][p];
      vv${sx} += vi${sx} * data[k${sx} * ${D} + j${sx}][p];
      wv${sx} += wi${sx} * data[k${sx} * ${D} + j${sx}][p];
    }
    trB2${sx} += ${floatLiteral(c * c)} * (ww${sx} * ww${sx} + vv${sx} * vv${sx} - 2.0 * wv${sx} * wv${sx});
    aa${sx} += ww${sx} - 2.0 * wv${sx} + vv${sx};
    if (i${sx} === k${sx}) { trB${sx} += ${floatLiteral(c)} * (ww${sx} - vv${sx}); }
  }
}
let te${sx} = ${floatLiteral((q.alpha / N) ** 2 / D)} * aa${sx} + (trB${sx} * trB${sx} + 2.0 * trB2${sx}) * ${floatLiteral(1 / (4 * D * D))};`;
}

/** Per-particle constant rows: w0 (N D), t = y + f(w0, x) (P), and x (P D) with own training sets. */
function particleRows(q: LazyRichParams, run: ModelRun): Float32Array[] {
  const { N, D, P } = q;
  const own = q.ownData === 1;
  const rows = Array.from({ length: N * D + P + (own ? P * D : 0) }, () => new Float32Array(run.particles));
  const shared = own ? null : trainingInputs(q.dataSeed, 0, P, D);
  for (let p = 0; p < run.particles; p++) {
    const w0 = initialWeights(run.seed, p, N, D);
    const xs = shared ?? trainingInputs(run.seed, p, P, D);
    for (let r = 0; r < N * D; r++) rows[r][p] = w0[r];
    for (let m = 0; m < P; m++) {
      rows[N * D + m][p] = target(q, xs[m]) + output(q, w0, xs[m]);
      if (own) for (let j = 0; j < D; j++) rows[N * D + P + m * D + j][p] = xs[m][j];
    }
  }
  return rows;
}

/** How many particles' starts the lazy reference averages (each one a P x P or ND x ND solve on the host). */
const LAZY_SAMPLES = 8;

/** Host work each of the per-particle references of `measures` (lazy solves, kernel paths, stability) may take. */
const LAZY_BUDGET = 4e9;

/** How many particles a per-particle reference of `cost` host operations fits into LAZY_BUDGET for. */
const withinBudget = (cost: number): number => Math.floor(LAZY_BUDGET / (cost + 1));

/** Host operations of one lazy reference (lazyTestMse): a least-squares solve in the smaller of P and N D. */
const lazySolveCost = (q: LazyRichParams): number => Math.min(q.N * q.D, q.P) ** 2 * Math.max(q.N * q.D, q.P);

/** How many particles' own lazy references measures computes: at least LAZY_SAMPLES. */
function lazyCount(q: LazyRichParams, particles: number): number {
  return Math.min(particles, Math.max(LAZY_SAMPLES, withinBudget(lazySolveCost(q))));
}

/** Host operations of one kernel path (lazyFit): the NTK Gram matrix and its eigendecomposition. */
const kernelPathCost = (q: LazyRichParams): number => q.P * q.P * q.N * q.D + symmetricEigenCost(q.P);

/** A particle's start, training set and initial kernel: what its lazy reference and kernel path read. */
interface Start {
  w0: Float64Array;
  xs: Float64Array[];
  at: StartKernel;
}

/** The first `count` particles' starts (predict's references share them). */
function firstStarts(q: LazyRichParams, run: ModelRun, count: number): Start[] {
  return Array.from({ length: count }, (_, p) => {
    const w0 = initialWeights(run.seed, p, q.N, q.D);
    const xs = inputsOf(q, run.seed, p);
    return { w0, xs, at: startKernel(q, w0, xs) };
  });
}

/**
 * One warning line per parameter set and process when networks end above gradient descent's stability limit:
 * there the step oscillates instead of settling (at small alpha the rich network's kernel grows during
 * training), which no other output shows.
 */
function warnUnstable(q: LazyRichParams, dt: number, above: number, n: number, max: number): void {
  if (above > 0)
    warnOnce(
      `stability ${JSON.stringify(q)} ${dt}`,
      `${above} of ${n} networks end with gradient descent's stability number dt eta lambda_max/P above 2 (max ${max.toPrecision(3)}) at alpha = ${q.alpha}, dt = ${dt}: the step oscillates instead of settling; lower dt (e.g. --set dt=${dt / 2})`,
    );
}

/** The lazy reference: the mean over the first LAZY_SAMPLES particles' values, relative to the initial test MSE. */
function lazyReference(q: LazyRichParams, values: number[]): number {
  let s = 0;
  const n = Math.min(LAZY_SAMPLES, values.length);
  for (let p = 0; p < n; p++) s += values[p];
  return s / n / initialTestMse(q);
}

/**
 * The family's measures: per particle the time to fit (the clock) and to generalize (the engine's first
 * passage into the escape target), the delay between them with a 95% interval over the particles that did
 * both, and the final train/test MSE (relative to the initial test MSE) and alignment, in float64 on the host.
 * Against the lazy limit (issue 19): the delay over the time to fit per particle (`delayOverFit`), the test
 * MSE at the time of fit (`testAtFit`, recorded by the teFit coordinate), each particle's own lazy reference
 * (`lazy`: kernel regression with its initial NTK) and the paired difference (`testAtFitMinusLazy`), all
 * relative to the initial test MSE, each with a normal 95% interval. And the lazy limit of the fit itself
 * (`lazyAtFit`: the same kernel regression run by the network's gradient descent and stopped at the same
 * threshold, its test MSE there and its time to fit), paired with the network's (`testAtFitMinusLazyAtFit`,
 * `fitTimeOverLazy`, 1 in the lazy limit). `stability`: gradient descent's stability number at the final
 * weights (stabilityNumber), which warns once per parameter set when a network ends above 2.
 */
function measures(q: LazyRichParams, run: ModelRun, end: RunEnd): Measures {
  const { N, D } = q;
  const clock = end.row(N * D);
  const atFit = end.row(N * D + 1);
  const fit: number[] = [];
  const gen: number[] = [];
  const delay: number[] = [];
  const ratio: number[] = [];
  const teFit: number[] = [];
  const lazy: number[] = [];
  const paired: number[] = [];
  // Per-particle host references within LAZY_BUDGET each: the first nLazy particles' own lazy references
  // (the family's mean reference reuses the first ones), the first nPaths' kernel paths (a P x P Gram and its
  // eigendecomposition, whatever the number of steps), and
  // the first nStability's stability numbers (a P x P Gram and its power iteration).
  const step = learningRate(q) * run.dt;
  const nLazy = lazyCount(q, run.particles);
  const nPaths = Math.min(run.particles, withinBudget(kernelPathCost(q)));
  const nStability = Math.min(run.particles, withinBudget(q.P * q.P * (N * D + 1000)));
  const lazyAbs: number[] = [];
  const pathTest: number[] = [];
  const pathFit: number[] = [];
  const pairedPath: number[] = [];
  const fitRatio: number[] = [];
  const stability: number[] = [];
  const t0 = initialTestMse(q);
  let train = 0;
  let test = 0;
  let align = 0;
  const shared = q.ownData === 1 ? null : trainingInputs(q.dataSeed, 0, q.P, D);
  for (let p = 0; p < run.particles; p++) {
    const c = clock[p];
    const tf = c < 0 ? Math.round((-c - run.dt) / run.dt) * run.dt : null;
    const tg = end.escapeSteps[p] >= 0 ? end.escapeSteps[p] * run.dt : null;
    if (tf !== null) fit.push(tf);
    if (tg !== null) gen.push(tg);
    if (tf !== null && tg !== null) {
      delay.push(tg - tf);
      if (tf > 0) ratio.push((tg - tf) / tf);
    }
    const w = Float64Array.from({ length: N * D }, (_, r) => end.row(r)[p]);
    const w0 = initialWeights(run.seed, p, N, D);
    const xs = shared ?? trainingInputs(run.seed, p, q.P, D);
    // the lazy reference and the kernel path of a particle share its initial kernel
    const at = p < nLazy || p < nPaths ? startKernel(q, w0, xs) : undefined;
    if (p < nLazy) lazyAbs.push(lazyTestMse(q, w0, xs, at));
    const lz = p < nLazy ? lazyAbs[p] / t0 : null;
    if (lz !== null) lazy.push(lz);
    if (tf !== null) {
      teFit.push(atFit[p] / t0);
      if (lz !== null) paired.push(atFit[p] / t0 - lz);
    }
    const path = p < nPaths ? lazyFit(q, w0, xs, step, end.stepsDone, at) : null;
    if (path?.steps != null) {
      pathFit.push(path.steps * run.dt);
      pathTest.push(path.testMse / t0);
      if (tf !== null) {
        pairedPath.push(atFit[p] / t0 - path.testMse / t0);
        if (path.steps > 0) fitRatio.push(tf / (path.steps * run.dt));
      }
    }
    if (p < nStability) stability.push(stabilityNumber(q, w, xs, step));
    train += trainMse(q, w, w0, xs);
    test += testMse(q, w, w0);
    align += alignment(q, w);
  }
  const n = run.particles;
  const unstable = stability.filter((v) => v > 2).length;
  const maxStability = stability.length ? Math.max(...stability) : null;
  warnUnstable(q, run.dt, unstable, stability.length, maxStability ?? 0);
  return {
    initialTestMse: t0,
    fitted: { fraction: fit.length / n, meanTime: mean(fit) },
    generalized: { fraction: gen.length / n, meanTime: mean(gen) },
    delay: meanInterval(delay),
    final: { trainMse: train / n / t0, testMse: test / n / t0, alignment: align / n },
    lazyTestMse: lazyReference(q, lazyAbs),
    lazyRegime: { ND: N * D, P: q.P, fits: lazyFits(q) ? 1 : 0 },
    delayOverFit: meanInterval(ratio),
    testAtFit: meanInterval(teFit),
    lazy: {
      ...meanInterval(lazy),
      generalizes: lazy.length ? lazy.filter((v) => v < q.generalizeThreshold).length / lazy.length : null,
    },
    testAtFitMinusLazy: meanInterval(paired),
    lazyAtFit: {
      ...meanInterval(pathTest),
      fitted: nPaths ? pathFit.length / nPaths : null,
      meanTime: mean(pathFit),
    },
    testAtFitMinusLazyAtFit: meanInterval(pairedPath),
    fitTimeOverLazy: meanInterval(fitRatio),
    stability: {
      mean: mean(stability),
      max: maxStability,
      above2: stability.length ? unstable / stability.length : null,
    },
  };
}

function build(p: Record<string, number>): ModelBuild {
  const q = check(p);
  const { N, D, P } = q;
  const ND = N * D;
  const own = q.ownData === 1;
  const t0 = initialTestMse(q);
  const eta = learningRate(q);
  const clock = coordName(ND);
  const x = (m: string, j: string) => (own ? `data[${ND + P} + ${m} * ${D} + ${j}][p]` : `shared[${m} * ${D} + ${j}]`);
  // Weights share one kernel branch: r is the thread's coordinate (neuron ni, component nj).
  const weight = {
    prelude: `let ni = Math.floor(r / ${D});
let nj = r - ni * ${D};
let gsum = 0.0;
for (let m = 0; m < ${P}; m++) { gsum += aux[${N * P} + m][p] * (1.0 + ${floatLiteral(q.eps)} * aux[ni * ${P} + m][p]) * ${x('m', 'nj')}; }`,
    expression: `${floatLiteral((eta * q.alpha) / N / P)} * gsum`,
    uses: [],
    shared: true,
  };
  // The clock: v = c - dt * adv. Running (c >= 0): adv = -1, so c counts time. First fit: adv = (2c + dt)/dt,
  // so v = -(c + dt) < 0. Stopped (c < 0): adv = 0. Set in makeClock, where dt is known.
  const fitSum = floatLiteral(q.fitThreshold * t0 * P);
  const makeClock = (dt: number) => ({
    prelude: `${trainSum(q, 'C')}
let adv = -1.0;
if (${clock} < 0.0) { adv = 0.0; } else if (seC < ${fitSum}) { adv = (2.0 * ${clock} + ${floatLiteral(dt)}) * ${floatLiteral(1 / dt)}; }`,
    expression: 'adv',
    uses: [ND],
    noiseless: true,
  });
  // teFit: v = c - dt * adv. Until the clock stops (c of the clock >= 0 and the train MSE first below the
  // threshold, the same test as the clock's), adv = 0 (it stays 0); at that step adv = (c - te)/dt, so v = te,
  // the exact test MSE of the state that first fitted; once the clock has stopped, adv = 0 for good.
  const atFit = coordName(ND + 1);
  const makeAtFit = (dt: number) => ({
    prelude: `${trainSum(q, 'F')}
let advF = 0.0;
if (${clock} >= 0.0 && seF < ${fitSum}) {
${testSum(q, 'F')}
advF = (${atFit} - teF) * ${floatLiteral(1 / dt)};
}`,
    expression: 'advF',
    uses: [ND, ND + 1],
    noiseless: true,
  });
  const generalizing = {
    name: 'generalizing',
    predicate: `teG < ${floatLiteral(q.generalizeThreshold * t0)}`,
    uses: [],
    prelude: testSum(q, 'G'),
  };
  const memorizing = {
    name: 'memorizing',
    predicate: `seM < ${fitSum} && teM >= ${floatLiteral(q.memorizeFloor * t0)}`,
    uses: [],
    prelude: `${trainSum(q, 'M')}\n${testSum(q, 'M')}`,
  };
  return {
    dimensions: [{ name: 'w', count: ND }, 'tFit', 'teFit'],
    regions: [
      { name: 'generalizing', text: `test MSE < ${q.generalizeThreshold} x the initial test MSE ${t0.toPrecision(4)}` },
      {
        name: 'memorizing',
        text: `train MSE < ${q.fitThreshold} x and test MSE >= ${q.memorizeFloor} x the initial test MSE (and not generalizing)`,
      },
    ],
    escape: { from: 'memorizing', to: 'generalizing' },
    observable: { text: 'alignment', evaluate: (c) => alignment(q, c) },
    // The same model per particle over SIMD products (program.ts), for the webasm backend.
    program: (run) => ({
      module: siblingModule(import.meta.url, 'program'),
      args: {
        N,
        D,
        P,
        own,
        eps: q.eps,
        alpha: q.alpha,
        targetScale: q.targetScale,
        dt: run.dt,
        gain: (eta * q.alpha) / N / P,
        fitSum: q.fitThreshold * t0 * P,
        generalizeBelow: q.generalizeThreshold * t0,
        memorizeFrom: q.memorizeFloor * t0,
      } satisfies LazyRichProgramArgs,
    }),
    kernelModel(run) {
      // Refuse before allocating: own training sets hold P D floats per particle (a CapacityError is one line).
      warnOutsideLazyRegime(q);
      checkCapacity(run.particles, ND + 2, undefined, run.particles * (ND + P + (own ? P * D : 0) + N * P + P) * 4);
      return {
        dimensions: ND + 2,
        gradient: [...Array.from({ length: ND }, () => weight), makeClock(run.dt), makeAtFit(run.dt)],
        bounds: Array.from({ length: ND + 2 }, () => null),
        regions: [generalizing, memorizing],
        data: {
          perParticle: { width: ND + P + (own ? P * D : 0), rows: particleRows(q, run) },
          ...(own ? {} : { shared: Float32Array.from(trainingInputs(q.dataSeed, 0, P, D).flatMap((r) => [...r])) }),
        },
        aux: {
          // slots i P + mu: h_{i mu} = w_i . x_mu; slots N P + mu: the residual r_mu (its N projections
          // recomputed, O(N D)), so that no step thread loops over neurons: O(P N D) per particle-step in all.
          width: N * P + P,
          uses: [],
          body: `if (a < ${N * P}) {
  let ni = Math.floor(a / ${P});
  let m = a - ni * ${P};
  let h = 0.0;
  for (let j = 0; j < ${D}; j++) { h += state[ni * ${D} + j][p] * ${x('m', 'j')}; }
  return h;
}
let mr = a - ${N * P};
let fo = 0.0;
for (let k = 0; k < ${N}; k++) {
  let hk = 0.0;
  for (let j = 0; j < ${D}; j++) { hk += state[k * ${D} + j][p] * ${x('mr', 'j')}; }
  fo += hk + ${floatLiteral(q.eps / 2)} * hk * hk;
}
return ${floatLiteral(q.alpha / N)} * fo - data[${ND} + mr][p];`,
        },
        maxLoop: Math.max(P, D, N),
      };
    },
    initial(run) {
      const rows = Array.from({ length: ND + 2 }, () => new Float32Array(run.particles));
      for (let p = 0; p < run.particles; p++) {
        const w0 = initialWeights(run.seed, p, N, D);
        for (let r = 0; r < ND; r++) rows[r][p] = w0[r];
      }
      return rows;
    },
    predictions: (run) => predictions(q, run),
    measures: (run, end) => measures(q, run, end),
  };
}

/** Host work each kind of predict's references (lazy solves, kernel paths) may take in all: it runs before every run and watch. */
const PREDICT_BUDGET = 2e8;

/** How far in time predict follows a kernel path (far beyond any run: the closed form costs the same). */
const PREDICT_HORIZON = 1e8;

/** How many starts predict gives a reference of `cost` host operations: up to LAZY_SAMPLES within its budget. */
const predictStarts = (run: ModelRun, cost: number): number =>
  Math.min(LAZY_SAMPLES, run.particles, Math.floor(PREDICT_BUDGET / cost));

/** The lazy limit of the fit, from the kernel paths of `starts` (none: over predict's budget). */
function lazyPathLine(q: LazyRichParams, run: ModelRun, starts: Start[]): string {
  if (!lazyFits(q)) return 'lazy limit of the fit: none (N D < P: the kernel cannot interpolate)';
  if (starts.length === 0)
    return `lazy limit of the fit: not computed at P = ${q.P} (a P x P eigendecomposition per start is over predict's host budget; a run computes it for as many particles as its budget allows: summary.json measures.lazyAtFit)`;
  const step = learningRate(q) * run.dt;
  const maxSteps = Math.ceil(PREDICT_HORIZON / run.dt);
  const paths = starts.map((s) => lazyFit(q, s.w0, s.xs, step, maxSteps, s.at));
  const fitted = paths.filter((f) => f.steps !== null);
  const n = paths.length;
  if (fitted.length === 0)
    return `lazy limit of the fit: no kernel path of ${n} starts reaches train MSE ${q.fitThreshold} x E[y^2] within time ${PREDICT_HORIZON.toPrecision(2)}`;
  const steps = mean(fitted.map((f) => f.steps! * run.dt))!;
  const test = mean(fitted.map((f) => f.testMse))! / initialTestMse(q);
  return `lazy limit of the fit: kernel regression by the same gradient descent reaches train MSE ${q.fitThreshold} x E[y^2] at time ${steps.toPrecision(4)} with test MSE ${test.toPrecision(4)} x the initial one (${fitted.length} of ${n} starts; the network's testAtFit tends to it as alpha grows)`;
}

/** Points per input dimension, and dimensions, at which the rich network found the target on every set measured. */
const RICH_POINTS_PER_DIMENSION = 5.5;
const RICH_DIMENSIONS = 20;

// Measured, not a closed form (docs/scenarios.md, "Across training sets"): at P = 3 D the small-alpha bound
// held on half the training sets; at 5.5 D (the ratio of the authors' code) on all at D = 20, on 8 of 10 at
// D = 12 and 16 (fewer dimensions, larger fluctuations between sets).
function richSideLine(q: LazyRichParams): string {
  const where = `P = ${(q.P / q.D).toPrecision(3)} D, D = ${q.D}`;
  return q.P >= RICH_POINTS_PER_DIMENSION * q.D && q.D >= RICH_DIMENSIONS
    ? `rich side: ${where} (P >= ${RICH_POINTS_PER_DIMENSION} D, the ratio of the authors' code, and D >= ${RICH_DIMENSIONS}): small alpha fitted and generalized together on every training set measured`
    : `rich side: ${where} (below P >= ${RICH_POINTS_PER_DIMENSION} D with D >= ${RICH_DIMENSIONS}): on some training sets a small-alpha network first interpolates with another quadratic, so "no delay at small alpha" depends on the set (measured: docs/scenarios.md, lazy-rich)`;
}

function predictions(q: LazyRichParams, run: ModelRun): string[] {
  const t0 = initialTestMse(q);
  // predict runs before every run and watch: the references it cannot afford are left to the run's measures
  const nLazy = predictStarts(run, lazySolveCost(q));
  const nPaths = lazyFits(q) ? predictStarts(run, kernelPathCost(q)) : 0;
  const starts = firstStarts(q, run, Math.max(nLazy, nPaths));
  const lazy =
    nLazy > 0
      ? lazyReference(
          q,
          starts.slice(0, nLazy).map((s) => lazyTestMse(q, s.w0, s.xs, s.at)),
        )
      : null;
  const rich = (q.D * q.D) / (2 * Math.max(q.eps, 1e-12));
  // Which side of the window: too few points for any solution, or so many that the lazy kernel (rank <= N D)
  // already generalizes, judged by the exact lazy reference against the generalizing threshold.
  const window =
    q.P < q.D
      ? 'P < D, too few points: the training set is fitted but the target is not identified (memorizing for good)'
      : lazy === null
        ? 'not judged (the lazy reference is not computed at this size)'
        : lazy < q.generalizeThreshold
          ? 'the lazy kernel already generalizes (reference below the generalizing threshold): no lazy-then-rich delay expected'
          : 'inside (the lazy kernel does not generalize; the features must move)';
  const reference =
    lazy === null
      ? `lazy reference: not computed at P = ${q.P}, N D = ${q.N * q.D} (a least-squares solve per start is over predict's host budget; a run computes it: summary.json measures.lazyTestMse)`
      : `lazy reference: kernel regression with the initial NTK (the linearized network trained to convergence) has test MSE ${lazy.toPrecision(4)} x the initial one (mean over ${nLazy} starts${q.ownData === 1 ? ' and their own training sets' : ''})`;
  return [
    `f = (alpha/N) sum_i phi(w_i.x), phi(h) = h + (eps/2) h^2, centred at the start; y = (beta*.x)^2/2, |beta*|^2 = ${q.targetScale * q.D}; learning rate eta = ${learningRate(q).toPrecision(4)} per unit time`,
    `initial test MSE E[y^2] = 3 |beta*|^4/(4 D^2) = ${t0.toPrecision(4)} (the regions' thresholds are relative to it)`,
    reference,
    lazyPathLine(q, run, starts.slice(0, nPaths)),
    lazyRegimeLine(q),
    `grokking window D <~ P << D^2/(2 eps): D = ${q.D}, P = ${q.P}, D^2/(2 eps) = ${rich.toPrecision(4)}: ${window}`,
    richSideLine(q),
    'not predicted: the times to fit and to generalize, their delay and its ratio to the time to fit, the test MSE at the fit (measure them with run/scan: summary.json measures.delay, delayOverFit, testAtFit, testAtFitMinusLazy, testAtFitMinusLazyAtFit, fitTimeOverLazy)',
  ];
}

export const lazyRich: ModelFamily = {
  kind: 'model',
  name: 'lazy-rich',
  summary: 'two-layer networks, quadratic target, lazy-to-rich transition (Kumar, Bordelon, Gershman, Pehlevan)',
  defaults: lazyRichDefaults,
  allowsZeroTemperature: true,
  build,
};
