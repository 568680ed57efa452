import { coordName } from '../../../engine/kernel-model.js';
import { dataGaussian, fmix24, keyFromSeed, particleKey } from '../../../engine/rng.js';
import { floatLiteral } from '../../../formula/index.js';
import {
  FamilyParameterError,
  requireRange,
  siblingModule,
  type ModelBuild,
  type ModelFamily,
  type ModelRun,
} from '../../family.js';
import { networkLayout } from './layout.js';
import type { LiuDecoderProgramArgs } from './program.js';
import type { Measures, RunEnd } from '../../scenario.js';
import { drawTrainingSet, PAIRS, SYMBOLS } from '../parallelogram/training-set.js';
import { classifyPhase } from '../../../analysis/phases.js';
import { LINEAR_FORMED, linearity, representationQuality, RQI_FORMED } from './representation.js';

/**
 * Liu, Kitouni, Nolte, Michaud, Tegmark, Williams, "Towards Understanding Grokking: An Effective Theory of
 * Representation Learning" (NeurIPS 2022; arXiv:2205.10343), the toy model with its decoder and the phase
 * diagram over the decoder's learning rate and weight decay (the "phase diagrams" section, Fig. 6c: addition
 * as classification). Each particle is one network: ten one-dimensional embeddings E_0..E_9 (the
 * representation, learning rate eta, no weight decay, as the paper's encoder_weight_decay = 0) and a decoder
 *   logits(h) = W2 tanh(W1 h + b1) + b2,  h = E_a + E_b,  19 classes (the sums 0..18),
 * trained on the mean cross-entropy over the shared training set of pairs (drawn as the parallelogram family
 * draws it: parallelogram/training-set.ts), full batch. As in the paper and the authors' code
 * (ejmichaud/grokking-squared, scripts/run_toy_model_ng.py): the embeddings by Adam (learning rate eta, 1e-3,
 * no weight decay), the decoder by AdamW (learning rate etaDec, decoupled weight decay weightDecay; the
 * authors' script defaults to torch.optim.Adam, whose weight decay is coupled L2: here AdamW, as the paper
 * states). One engine step (dt = 1) is one optimizer step; T > 0 would be a Langevin extension, not in the paper.
 * Two options beyond the paper, for its effective theory's time 1/(lambda_3 eta): embedOptimizer 1 (the
 * embeddings by gradient descent) and decoderSteps K (with it, they move on every K-th step only).
 * Reductions (docs/scenarios.md, liu-decoder): one hidden tanh layer of H units instead of the paper's
 * decoder of width 200; cross-entropy over 19 sum classes instead of the script's MSE to random symbol
 * vectors; the step budget is the scenario's `steps`, and the grokking lag threshold is `lagFraction` of it
 * (the paper: 10^3 of 10^5 steps, lagFraction 0.01).
 *
 * Coordinates (n = 10 + 2H + 19H + 19 parameters): E1..E10, W1 (H), b1 (H), W2 (19 H, class o, unit k at
 * o H + k), b2 (19); then the n Adam first moments, the n second moments (same order), the Adam step counter
 * (all noiseless, starting at 0), then two noiseless clocks tTrain and tVal (the lazy-rich clock: elapsed time
 * until the train / validation accuracy first reaches `threshold`, then -(t + dt) for good).
 * Aux layout, per particle: [0, nT H) z_{m,k} = tanh(W1_k h_m + b1_k) of training pair m; [A1, A1 + 55 K)
 * logits of all 55 pairs (training first, then validation); [A2, A2 + nT) log-sum-exp of the training
 * logits; [A3, A3 + 55) 1 when the pair is classified correctly (argmax = a + b).
 * Shared data: pair m's a, b at 2m, 2m + 1 (training pairs first).
 */
export const CLASSES = 2 * SYMBOLS - 1;

export interface LiuDecoderParams {
  eta: number;
  embedOptimizer: number;
  decoderSteps: number;
  etaDec: number;
  weightDecay: number;
  hidden: number;
  trainFraction: number;
  dataSeed: number;
  initScale: number;
  threshold: number;
  lagFraction: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const liuDecoderDefaults: Record<keyof LiuDecoderParams, number> = {
  eta: 1e-3,
  // 0: Adam, as the paper trains the embeddings; 1: plain gradient descent, the effective theory's dynamics
  embedOptimizer: 0,
  // K: the decoder takes K AdamW steps per embedding step (the embeddings move on every K-th engine step
  // only), so K -> infinity approaches a decoder at its optimum for the current embeddings; needs embedOptimizer 1
  decoderSteps: 1,
  etaDec: 1e-3,
  weightDecay: 1,
  hidden: 8,
  trainFraction: 0.8,
  // dataSeed 3: every validation sum is also a training sum (ideal validation accuracy 1; dataSeed 1 gives 0.82 < 0.9)
  dataSeed: 3,
  initScale: 0.3,
  threshold: 0.9,
  lagFraction: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
};

function check(p: Record<string, number>): LiuDecoderParams {
  requireRange(p, 'eta', 0, 1e3);
  requireRange(p, 'embedOptimizer', 0, 1, true);
  requireRange(p, 'decoderSteps', 1, 1e4, true);
  // Adam's moments and bias correction count engine steps; gating them would need a second step counter
  if (p.decoderSteps > 1 && p.embedOptimizer !== 1)
    throw new FamilyParameterError('decoderSteps', 'above 1 needs embedOptimizer 1 (gradient-descent embeddings)');
  requireRange(p, 'etaDec', 0, 1e3);
  requireRange(p, 'weightDecay', 0, 1e3);
  requireRange(p, 'hidden', 1, 256, true);
  requireRange(p, 'trainFraction', 0.02, 0.99);
  requireRange(p, 'dataSeed', 0, 2 ** 31, true);
  requireRange(p, 'initScale', 0, 100);
  requireRange(p, 'threshold', 0, 1);
  requireRange(p, 'lagFraction', 0, 1);
  requireRange(p, 'beta1', 0, 0.999999);
  requireRange(p, 'beta2', 0, 0.999999);
  requireRange(p, 'eps', 0, 1);
  return p as unknown as LiuDecoderParams;
}

/** The training set (pairs in training-first order) of a parameter set. */
export function pairsOf(q: LiuDecoderParams): {
  train: (readonly [number, number])[];
  all: (readonly [number, number])[];
} {
  const set = drawTrainingSet(q.trainFraction, q.dataSeed);
  return { train: set.train, all: [...set.train, ...set.validation] };
}

/** Start of particle p: E ~ N(0, initScale^2), W1, b1 ~ N(0, 1), W2 ~ N(0, 1/H), b2 = 0 (flat, coordinate order). */
export function initialNetwork(q: LiuDecoderParams, seed: number, particle: number): Float64Array {
  const H = q.hidden;
  const k = keyFromSeed(seed);
  const pk = particleKey({ k0: fmix24(k.k0 ^ 0x11d0c0), k1: fmix24(k.k1 ^ 0xdec0de) }, particle, 0);
  const n = SYMBOLS + 2 * H + CLASSES * H + CLASSES;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const g = dataGaussian(pk, Math.floor(r / 64), r % 64);
    if (r < SYMBOLS) out[r] = q.initScale * g;
    else if (r < SYMBOLS + 2 * H) out[r] = g;
    else if (r < SYMBOLS + 2 * H + CLASSES * H) out[r] = g / Math.sqrt(H);
    else out[r] = 0;
  }
  return out;
}

function build(p: Record<string, number>): ModelBuild {
  const q = check(p);
  const H = q.hidden;
  const K = CLASSES;
  const { train, all } = pairsOf(q);
  const nT = train.length;
  const nA = all.length;
  const nV = nA - nT;
  const { oW1, oB1, oW2, oB2, nParams, cN, cT, cV } = networkLayout(H, K);
  const A1 = nT * H;
  const A2 = A1 + nA * K;
  const A3 = A2 + nT;
  const width = A3 + nA;
  const f = floatLiteral;
  const pa = (m: string) => `Math.floor(shared[2 * ${m}])`;
  const pb = (m: string) => `Math.floor(shared[2 * ${m} + 1])`;
  const h = (m: string) => `(state[${pa(m)}][p] + state[${pb(m)}][p])`;
  // z of hidden unit k for input hv, from the state
  const zOf = (hv: string, k: string) => `Math.tanh(state[${oW1} + ${k}][p] * ${hv} + state[${oB1} + ${k}][p])`;
  // dL/dlogit_{m,o}: softmax - one hot, over nT (the mean)
  const rr = (m: string, o: string) =>
    `(Math.exp(aux[${A1} + ${m} * ${K} + ${o}][p] - aux[${A2} + ${m}][p]) - (${o} === ${pa(m)} + ${pb(m)} ? 1.0 : 0.0))`;
  const inv = f(1 / nT);
  // dL/dtheta_jj (jj a parameter index, a runtime value) of each block, into `gg`. Locals avoid the kernels'
  // argument names (`s`, `base` are uniforms on webgpu: assigning one does not compile).
  const gradE = `let gg = 0.0;
for (let m = 0; m < ${nT}; m++) {
  let mult = 0.0;
  if (${pa('m')} === jj) { mult += 1.0; }
  if (${pb('m')} === jj) { mult += 1.0; }
  if (mult > 0.0) {
    let gh = 0.0;
    for (let k = 0; k < ${H}; k++) {
      let sw = 0.0;
      for (let o = 0; o < ${K}; o++) { sw += ${rr('m', 'o')} * state[${oW2} + o * ${H} + k][p]; }
      let z = aux[m * ${H} + k][p];
      gh += sw * (1.0 - z * z) * state[${oW1} + k][p];
    }
    gg += mult * gh;
  }
}
gg = gg * ${inv};`;
  const gradHidden = (withInput: boolean, offset: number) => `let k = jj - ${offset};
let gg = 0.0;
for (let m = 0; m < ${nT}; m++) {
  let sw = 0.0;
  for (let o = 0; o < ${K}; o++) { sw += ${rr('m', 'o')} * state[${oW2} + o * ${H} + k][p]; }
  let z = aux[m * ${H} + k][p];
  gg += sw * (1.0 - z * z)${withInput ? ` * ${h('m')}` : ''};
}
gg = gg * ${inv};`;
  const gradW2 = `let o = Math.floor((jj - ${oW2}) / ${H});
let k = jj - ${oW2} - o * ${H};
let gg = 0.0;
for (let m = 0; m < ${nT}; m++) { gg += ${rr('m', 'o')} * aux[m * ${H} + k][p]; }
gg = gg * ${inv};`;
  const gradB2 = `let o = jj - ${oB2};
let gg = 0.0;
for (let m = 0; m < ${nT}; m++) { gg += ${rr('m', 'o')}; }
gg = gg * ${inv};`;
  // AdamW (PyTorch's): step t = counter + 1; m' = b1 m + (1 - b1) g; v' = b2 v + (1 - b2) g^2;
  // theta' = theta - lr (wd theta + m'/(1 - b1^t) / (sqrt(v'/(1 - b2^t)) + eps)). Each of theta, m, v is a
  // coordinate whose "gradient" is (old - new)/dt; all read the same old state, so one engine step is one
  // AdamW step. m, v and the counter are noiseless.
  const invDt = (run: ModelRun) => f(1 / run.dt);
  // plain: the parameter moves by lr x its gradient (its moments are still kept, unused), on the engine steps
  // t = counter + 1 that are multiples of decoderSteps
  const K1 = f(q.decoderSteps);
  const embedGate =
    q.decoderSteps === 1
      ? ''
      : ` * (state[${cN}][p] + 1.0 - ${K1} * Math.floor((state[${cN}][p] + 1.0) / ${K1}) < 0.5 ? 1.0 : 0.0)`;
  const adam = (role: 0 | 1 | 2, grad: string, lr: number, wd: number, run: ModelRun, plain = false) => ({
    prelude: `let jj = r - ${role * nParams};
${grad}
let mN = ${f(q.beta1)} * state[${nParams} + jj][p] + ${f(1 - q.beta1)} * gg;
let vN = ${f(q.beta2)} * state[${2 * nParams} + jj][p] + ${f(1 - q.beta2)} * gg * gg;`,
    expression:
      role === 0 && plain
        ? `${f(lr)} * gg * ${invDt(run)}${embedGate}`
        : role === 0
          ? `${f(lr)} * (${f(wd)} * self + (mN / (1.0 - Math.pow(${f(q.beta1)}, state[${cN}][p] + 1.0))) / (Math.sqrt(vN / (1.0 - Math.pow(${f(q.beta2)}, state[${cN}][p] + 1.0))) + ${f(q.eps)})) * ${invDt(run)}`
          : `(self - ${role === 1 ? 'mN' : 'vN'}) * ${invDt(run)}`,
    uses: [],
    shared: true,
    ...(role === 0 ? {} : { noiseless: true }),
  });
  const blocks = (role: 0 | 1 | 2, run: ModelRun) => {
    const E = adam(role, gradE, q.eta, 0, run, q.embedOptimizer === 1);
    const W1 = adam(role, gradHidden(true, oW1), q.etaDec, q.weightDecay, run);
    const B1 = adam(role, gradHidden(false, oB1), q.etaDec, q.weightDecay, run);
    const W2 = adam(role, gradW2, q.etaDec, q.weightDecay, run);
    const B2 = adam(role, gradB2, q.etaDec, q.weightDecay, run);
    return [
      ...Array.from({ length: SYMBOLS }, () => E),
      ...Array.from({ length: H }, () => W1),
      ...Array.from({ length: H }, () => B1),
      ...Array.from({ length: K * H }, () => W2),
      ...Array.from({ length: K }, () => B2),
    ];
  };
  const trainAcc = (sx: string) =>
    `let acc${sx} = 0.0;\nfor (let m${sx} = 0; m${sx} < ${nT}; m${sx}++) { acc${sx} += aux[${A3} + m${sx}][p]; }\nacc${sx} = acc${sx} * ${inv};`;
  const valAcc = (sx: string) =>
    nV === 0
      ? `let acc${sx} = 1.0;`
      : `let acc${sx} = 0.0;\nfor (let m${sx} = ${nT}; m${sx} < ${nA}; m${sx}++) { acc${sx} += aux[${A3} + m${sx}][p]; }\nacc${sx} = acc${sx} * ${f(1 / nV)};`;
  const thr = f(q.threshold - 1e-6);
  const makeClock = (c: number, acc: (sx: string) => string, sx: string, dt: number) => ({
    prelude: `${acc(sx)}
let adv${sx} = -1.0;
if (${coordName(c)} < 0.0) { adv${sx} = 0.0; } else if (acc${sx} >= ${thr}) { adv${sx} = (2.0 * ${coordName(c)} + ${f(dt)}) * ${f(1 / dt)}; }`,
    expression: `adv${sx}`,
    uses: [c],
    noiseless: true,
  });
  const sharedData = new Float32Array(2 * nA);
  all.forEach(([a, b], m) => {
    sharedData[2 * m] = a;
    sharedData[2 * m + 1] = b;
  });
  const dims = cV + 1;
  return {
    dimensions: [
      { name: 'E', count: SYMBOLS },
      { name: 'W1_', count: H },
      { name: 'b1_', count: H },
      { name: 'W2_', count: K * H },
      { name: 'b2_', count: K },
      { name: 'mE', count: SYMBOLS },
      { name: 'mW1_', count: H },
      { name: 'mb1_', count: H },
      { name: 'mW2_', count: K * H },
      { name: 'mb2_', count: K },
      { name: 'vE', count: SYMBOLS },
      { name: 'vW1_', count: H },
      { name: 'vb1_', count: H },
      { name: 'vW2_', count: K * H },
      { name: 'vb2_', count: K },
      'adamStep',
      'tTrain',
      'tVal',
    ],
    regions: [
      {
        name: 'generalizing',
        text: `train and validation accuracy >= ${q.threshold} (argmax of the 19 logits = a + b)`,
      },
      { name: 'memorizing', text: `train accuracy >= ${q.threshold}, validation accuracy below it` },
    ],
    escape: { from: 'memorizing', to: 'generalizing' },
    // The same network by backpropagation (program.ts), for the webasm backend.
    program: (run) => ({
      module: siblingModule(import.meta.url, 'program'),
      args: {
        H,
        K,
        nT,
        nA,
        eta: q.eta,
        embedGradientDescent: q.embedOptimizer === 1,
        decoderSteps: q.decoderSteps,
        etaDec: q.etaDec,
        weightDecay: q.weightDecay,
        beta1: q.beta1,
        beta2: q.beta2,
        eps: q.eps,
        thr: q.threshold - 1e-6,
        dt: run.dt,
      } satisfies LiuDecoderProgramArgs,
    }),
    checkTemperature(t) {
      if (t > 0 && q.decoderSteps > 1) {
        throw new FamilyParameterError(
          'decoderSteps',
          `must be 1 at temperature ${t} > 0: the embeddings would get Langevin noise on every engine step but drift on every decoderSteps-th only; set decoderSteps: 1 or temperature 0`,
        );
      }
    },
    observable: {
      text: 'representation linearity: R^2 of E_k against k',
      evaluate: (x) => linearity(Array.from({ length: SYMBOLS }, (_, k) => x[k])),
    },
    kernelModel(run) {
      return {
        dimensions: dims,
        gradient: [
          ...blocks(0, run),
          ...blocks(1, run),
          ...blocks(2, run),
          { expression: f(-1 / run.dt), uses: [], noiseless: true },
          makeClock(cT, trainAcc, 'T', run.dt),
          makeClock(cV, valAcc, 'V', run.dt),
        ],
        bounds: Array.from({ length: dims }, () => null),
        regions: [
          {
            name: 'generalizing',
            predicate: `accGT >= ${thr} && accGV >= ${thr}`,
            uses: [],
            prelude: `${trainAcc('GT')}\n${valAcc('GV')}`,
          },
          { name: 'memorizing', predicate: `accMT >= ${thr}`, uses: [], prelude: trainAcc('MT') },
        ],
        data: { shared: sharedData },
        aux: {
          width,
          uses: [],
          body: `if (a < ${A1}) {
  let m = Math.floor(a / ${H});
  let k = a - m * ${H};
  let hv = ${h('m')};
  return ${zOf('hv', 'k')};
}
if (a < ${A2}) {
  let m = Math.floor((a - ${A1}) / ${K});
  let o = a - ${A1} - m * ${K};
  let hv = ${h('m')};
  let lg = state[${oB2} + o][p];
  for (let k = 0; k < ${H}; k++) { lg += state[${oW2} + o * ${H} + k][p] * ${zOf('hv', 'k')}; }
  return lg;
}
let m = a - ${A2};
if (a >= ${A3}) { m = a - ${A3}; }
let hv = ${h('m')};
let best = -1.0e30;
let arg = 0;
let mx = -1.0e30;
for (let o = 0; o < ${K}; o++) {
  let lg = state[${oB2} + o][p];
  for (let k = 0; k < ${H}; k++) { lg += state[${oW2} + o * ${H} + k][p] * ${zOf('hv', 'k')}; }
  if (lg > best) { best = lg; arg = o; }
  if (lg > mx) { mx = lg; }
}
if (a >= ${A3}) {
  if (arg === ${pa('m')} + ${pb('m')}) { return 1.0; }
  return 0.0;
}
let se = 0.0;
for (let o = 0; o < ${K}; o++) {
  let lg = state[${oB2} + o][p];
  for (let k = 0; k < ${H}; k++) { lg += state[${oW2} + o * ${H} + k][p] * ${zOf('hv', 'k')}; }
  se += Math.exp(lg - mx);
}
return mx + Math.log(se);`,
        },
        maxLoop: Math.max(nA, K, H, 64),
      };
    },
    initial(run) {
      const rows = Array.from({ length: dims }, () => new Float32Array(run.particles));
      for (let i = 0; i < run.particles; i++) {
        const w = initialNetwork(q, run.seed, i);
        for (let r = 0; r < nParams; r++) rows[r][i] = w[r];
      }
      return rows;
    },
    predictions: () => [
      `toy of Liu et al. (arXiv:2205.10343): 1-D embeddings, decoder 1 -> ${H} tanh -> ${K} logits, cross-entropy; embeddings ${q.embedOptimizer === 1 ? 'plain gradient descent' : 'Adam'} (eta = ${q.eta}), decoder AdamW (etaDec = ${q.etaDec}, decoupled weight decay ${q.weightDecay}); betas ${q.beta1}, ${q.beta2}, eps ${q.eps}`,
      `training set: ${nT} of ${PAIRS.length} pairs (trainFraction ${q.trainFraction}, dataSeed ${q.dataSeed}); validation ${nV}`,
      `phases (paper's criteria, accuracy threshold ${q.threshold} within the run's steps): comprehension (both, validation within lagFraction ${q.lagFraction} of the steps after train), grokking (both, later), memorization (train only), confusion (neither)`,
      'not predicted: the phase of a given (etaDec, weightDecay): measure it with run/scan (summary.json measures.phase)',
    ],
    measures: (run, end) => measures(q, run, end),
  };
}

/**
 * The best validation accuracy any network can reach (the paper's ideal accuracy, reduced): a validation pair
 * can be answered only when some training pair has the same sum (the decoder never sees the others' class).
 */
export function idealValidationAccuracy(q: LiuDecoderParams): number {
  const set = drawTrainingSet(q.trainFraction, q.dataSeed);
  if (set.validation.length === 0) return 1;
  const sums = new Set(set.train.map(([a, b]) => a + b));
  return set.validation.filter(([a, b]) => sums.has(a + b)).length / set.validation.length;
}

const readClock = (c: number, dt: number): number | null => (c < 0 ? Math.round((-c - dt) / dt) * dt : null);

function measures(q: LiuDecoderParams, run: ModelRun, end: RunEnd): Measures {
  const H = q.hidden;
  const nParams = SYMBOLS + 2 * H + CLASSES * H + CLASSES;
  const ct = end.row(3 * nParams + 1);
  const cv = end.row(3 * nParams + 2);
  const lag = q.lagFraction * end.stepsDone * run.dt;
  const counts: Record<string, number> = { comprehension: 0, grokking: 0, memorization: 0, confusion: 0 };
  const tT: number[] = [];
  const tV: number[] = [];
  const delays: number[] = [];
  let lin = 0;
  let formed = 0;
  let rqi = 0;
  let learned = 0;
  for (let i = 0; i < run.particles; i++) {
    const a = readClock(ct[i], run.dt);
    const b = readClock(cv[i], run.dt);
    if (a !== null) tT.push(a);
    if (b !== null) tV.push(b);
    if (a !== null && b !== null) delays.push(b - a);
    // the clocks record only passages within the run, so the horizon is the run itself
    counts[
      classifyPhase({ trainStep: a, validationStep: b, horizon: Number.POSITIVE_INFINITY, lagThreshold: lag }).phase
    ]++;
    const E = Array.from({ length: SYMBOLS }, (_, k) => end.row(k)[i]);
    const r2 = linearity(E);
    lin += r2;
    if (r2 >= LINEAR_FORMED) formed++;
    const quality = representationQuality(E);
    rqi += quality;
    if (quality > RQI_FORMED) learned++;
  }
  const n = run.particles;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);
  // the majority phase as a code for plot: 0 comprehension, 1 grokking, 2 memorization, 3 confusion
  const order = ['comprehension', 'grokking', 'memorization', 'confusion'];
  let major = 0;
  order.forEach((name, i) => {
    if (counts[name] > counts[order[major]]) major = i;
  });
  return {
    phase: {
      comprehension: counts.comprehension / n,
      grokking: counts.grokking / n,
      memorization: counts.memorization / n,
      confusion: counts.confusion / n,
      majority: major,
    },
    lagThreshold: lag,
    idealValidationAccuracy: idealValidationAccuracy(q),
    trainTime: { fraction: tT.length / n, mean: mean(tT) },
    valTime: { fraction: tV.length / n, mean: mean(tV) },
    delay: { n: delays.length, mean: mean(delays) },
    linearity: lin / n,
    linearFormed: formed / n,
    rqi: rqi / n,
    rqiLearned: learned / n,
  };
}

export const liuDecoder: ModelFamily = {
  kind: 'model',
  name: 'liu-decoder',
  summary:
    "Liu et al.'s toy with its decoder: 1-D embeddings + tanh MLP decoder with its own learning rate and weight decay; four phases",
  defaults: liuDecoderDefaults,
  allowsZeroTemperature: true,
  build,
};
