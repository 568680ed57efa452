import { checkCapacity } from '../../../engine/simulation.js';
import { floatLiteral } from '../../../formula/index.js';
import { FamilyParameterError, requireRange, type ModelBuild, type ModelFamily, type ModelRun } from '../../family.js';
import type { Measures, RunEnd } from '../../scenario.js';
import { effectiveCoupling, meanField, mixedFraction, mixedPhase, overlap, type NetworkParams } from './theory.js';
import { mean, meanInterval } from '../../../analysis/mean-interval.js';

/**
 * Rubin, Seroussi, Ringel, "Grokking as a first order phase transition in two layer networks" (ICLR 2024,
 * arXiv:2310.03789), cubic teacher, with the discrepancy computed self-consistently from the network's own
 * neurons instead of held fixed (issue 18, item 2). One particle is one network of N neurons w_k in R^d
 * (coordinates w1..w{N d}, neuron k component j at k d + j, Phi_k = w_k.w* = the coordinate k d), under
 * Langevin dynamics on the network's action
 *
 *   V = d [ sum_k |w_k|^2/(2 sigma2) - N (u/2) m/(1 + kappa m) ],   m = (1/N) sum_k g(Phi_k)^2,
 *
 * g as in the first-order family (erf overlap with the cubic mode along w*, |w|^2 in the erf normalization
 * reduced to Phi^2 + sigma2). The data term is the readout-integrated (GP) fit term of the adaptive-kernel
 * picture: the network's kernel on the target mode is proportional to m, its prediction removes a fraction
 * kappa m/(1 + kappa m) of the target, and the discrepancy left is t = y/(1 + kappa m). The force on neuron k
 * is then the first-order family's one-neuron action with the self-consistent coupling
 *   dV/dw_k = d [ w_k/sigma2 - u_eff g(Phi_k) g'(Phi_k) e1 ],   u_eff = u/(1 + kappa m)^2 ∝ t^2,
 * so u (∝ the squared sample size) is the coupling of an untrained network, kappa the kernel's feedback,
 * and kappa = 0 is the fixed discrepancy of the first-order family, neuron by neuron. The log-determinant of
 * the GP term (O(1) against the O(n) fit term) is dropped. The aux stage computes m once per network-step.
 *
 * The network's order parameter is its ordered fraction F = #{k: |Phi_k| > phiOrdered}/N. Regions: ordered
 * F >= level, disordered F < level; escape and tau are per network: the first time F reaches level.
 */
export const firstOrderNetworkDefaults: Record<keyof NetworkParams, number> = {
  d: 4,
  N: 16,
  sigma2: 0.1,
  u: 600,
  kappa: 27,
  linear: 0,
  phiOrdered: 0.7,
  level: 0.5,
  start: 0,
};

function check(p: Record<string, number>): NetworkParams {
  requireRange(p, 'd', 1, 1024, true);
  requireRange(p, 'N', 1, 1024, true);
  requireRange(p, 'sigma2', 1e-6, 1e6);
  requireRange(p, 'u', 0, 1e9);
  requireRange(p, 'kappa', 0, 1e9);
  requireRange(p, 'linear', -1e6, 1e6);
  requireRange(p, 'phiOrdered', 0, 1e6);
  requireRange(p, 'level', 0, 1);
  requireRange(p, 'start', 0, 1);
  if (p.N * p.d > 4096)
    throw new FamilyParameterError('N', `N d = ${p.N * p.d} weights per network is more than 4096: lower N or d`);
  return p as unknown as NetworkParams;
}

/** The ordered fraction of one network from its coordinates. */
export function orderedFraction(x: ArrayLike<number>, q: { N: number; d: number; phiOrdered: number }): number {
  let c = 0;
  for (let k = 0; k < q.N; k++) if (Math.abs(x[k * q.d]) > q.phiOrdered) c++;
  return c / q.N;
}

/** The smallest count of ordered neurons that puts a network in the ordered region. */
const levelCount = (q: NetworkParams) => Math.max(1, Math.ceil(q.level * q.N - 1e-9));

/** Kernel statements: g = overlap of coordinate value `x` (a kernel expression), into `g<sx>`, `dg<sx>`. */
function overlapCode(q: NetworkParams, x: string, sx: string, derivative: boolean): string {
  const L = floatLiteral(q.linear);
  return `let ph${sx} = ${x};
let p2${sx} = ph${sx} * ph${sx};
let A${sx} = 1.0 + 2.0 * (p2${sx} + ${floatLiteral(q.sigma2)});
let sA${sx} = Math.sqrt(A${sx});
let A15${sx} = A${sx} * sA${sx};
let g${sx} = ${L} * ph${sx} / sA${sx} + ph${sx} * p2${sx} / A15${sx};${
    derivative
      ? `\nlet dg${sx} = ${L} / sA${sx} - 2.0 * ${L} * p2${sx} / A15${sx} + 3.0 * p2${sx} / A15${sx} - 6.0 * p2${sx} * p2${sx} / (A15${sx} * A${sx});`
      : ''
  }`;
}

/**
 * Per network, from the final state: the ordered fraction F (mean over networks with a 95% interval), the
 * mean field m and u_eff; the escape (F first >= level): fraction escaped, mean and median time (censored
 * networks counted in the median as beyond the run) and tau, the censored-exponential estimate of the
 * networks' mean escape time with its 95% interval; the wide-network mean field at this d and the large-d
 * mixed-phase line for comparison.
 */
function measures(q: NetworkParams, run: ModelRun, end: RunEnd): Measures {
  const rows = Array.from({ length: q.N }, (_, k) => end.row(k * q.d));
  const fractions: number[] = [];
  const ms: number[] = [];
  const times: number[] = [];
  for (let p = 0; p < run.particles; p++) {
    let c = 0;
    let m = 0;
    for (let k = 0; k < q.N; k++) {
      const phi = rows[k][p];
      if (Math.abs(phi) > q.phiOrdered) c++;
      m += overlap(phi, q).g ** 2;
    }
    fractions.push(c / q.N);
    ms.push(m / q.N);
    times.push(end.escapeSteps[p] >= 0 ? end.escapeSteps[p] * run.dt : Number.POSITIVE_INFINITY);
  }
  const done = times.filter(Number.isFinite);
  // tau: the censored-exponential maximum likelihood (time at risk over escapes, networks that never reached
  // the level counted to the run's end), 95% interval exp(+-1.96/sqrt(escapes)) on the log scale
  const horizon = end.stepsDone * run.dt;
  const atRisk = times.reduce((a, t) => a + Math.min(t, horizon), 0);
  const tau = done.length ? atRisk / done.length : null;
  const half = done.length ? Math.exp(1.96 / Math.sqrt(done.length)) : null;
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length && Number.isFinite(sorted[Math.floor(sorted.length / 2)]);
  const mf = meanField(q, run.temperature);
  const mBar = mean(ms) ?? 0;
  return {
    orderedFraction: meanInterval(fractions),
    m: meanInterval(ms),
    uEff: effectiveCoupling(q.u, q.kappa, mBar),
    escape: {
      fraction: done.length / run.particles,
      meanTime: mean(done),
      medianTime: median ? sorted[Math.floor(sorted.length / 2)] : null,
      tau: tau === null || half === null ? null : { mean: tau, lo: tau / half, hi: tau * half, n: done.length },
    },
    meanField: { orderedFraction: mf.ordered, m: mf.m, uEff: mf.uEff },
    largeD: { orderedFraction: mixedFraction(q) },
  };
}

function build(p: Record<string, number>): ModelBuild {
  const q = check(p);
  const { N, d } = q;
  const ND = N * d;
  const count = levelCount(q);
  const kappa = floatLiteral(q.kappa);
  // The neuron weights share one kernel branch: r is the thread's coordinate, self its value; only the
  // Phi coordinate (component 0) feels the data term, with the network's m from the aux stage.
  const weight = {
    prelude: `let nj = r - Math.floor(r / ${d}) * ${d};
let gr = self * ${floatLiteral(1 / q.sigma2)};
if (nj < 0.5) {
${overlapCode(q, 'self', 'W', true)}
let den = 1.0 + ${kappa} * aux[0][p];
gr = gr - ${floatLiteral(q.u)} * gW * dgW / (den * den);
}`,
    expression: `${floatLiteral(d)} * gr`,
    uses: [],
    shared: true,
  };
  const countCode = (sx: string) => `let c${sx} = 0.0;
for (let k${sx} = 0; k${sx} < ${N}; k${sx}++) { if (Math.abs(state[k${sx} * ${d}][p]) > ${floatLiteral(q.phiOrdered)}) { c${sx} += 1.0; } }`;
  return {
    dimensions: [{ name: 'w', count: ND }],
    regions: [
      {
        name: 'ordered',
        text: `at least ${count} of ${N} neurons with |Phi_k| > ${q.phiOrdered} (ordered fraction >= ${q.level})`,
      },
      { name: 'disordered', text: `fewer than ${count} of ${N} neurons with |Phi_k| > ${q.phiOrdered}` },
    ],
    escape: { from: 'disordered', to: 'ordered' },
    observable: { text: 'ordered fraction', evaluate: (x) => orderedFraction(x, q) },
    kernelModel(run) {
      checkCapacity(run.particles, ND, undefined, run.particles * (ND + 1) * 4);
      return {
        dimensions: ND,
        gradient: Array.from({ length: ND }, () => weight),
        bounds: Array.from({ length: ND }, () => null),
        regions: [
          { name: 'ordered', predicate: `cO > ${count - 0.5}`, uses: [], prelude: countCode('O') },
          { name: 'disordered', predicate: `cD < ${count - 0.5}`, uses: [], prelude: countCode('D') },
        ],
        aux: {
          // slot 0: m = (1/N) sum_k g(Phi_k)^2, the network's kernel on the target mode (O(N) per network-step)
          width: 1,
          uses: [],
          body: `let m = 0.0;
for (let k = 0; k < ${N}; k++) {
${overlapCode(q, `state[k * ${d}][p]`, 'A', false)}
m += gA * gA;
}
return m * ${floatLiteral(1 / N)};`,
        },
        maxLoop: N,
      };
    },
    initial(run) {
      const rows = Array.from({ length: ND }, () => new Float32Array(run.particles));
      // start = 1: every neuron at the ordered minimum's scale Phi = sqrt(1 + 2 sigma2) (the ordered minimum at
      // the one-neuron transition); start = 0: every weight at 0 (disordered).
      const phi0 = q.start * Math.sqrt(1 + 2 * q.sigma2);
      for (let k = 0; k < N; k++) rows[k * d].fill(phi0);
      return rows;
    },
    predictions: (run) => predictions(q, run),
    // the wide-network mean field's ordered fraction: the observable's equilibrium mean
    equilibriumObservable: (run) => meanField(q, run.temperature).ordered,
    measures: (run, end) => measures(q, run, end),
  };
}

function predictions(q: NetworkParams, run: ModelRun): string[] {
  const mp = mixedPhase(q);
  const mf = meanField(q, run.temperature);
  const lines = [
    `network action V = d [sum_k |w_k|^2/(2 sigma2) - N (u/2) m/(1 + kappa m)], m = mean_k g(Phi_k)^2: each neuron feels u_eff = u/(1 + kappa m)^2 = ${q.u}/(1 + ${q.kappa} m)^2`,
  ];
  if (mp !== null) {
    lines.push(
      `one neuron at fixed coupling: spinodal u_s = ${mp.us.toPrecision(4)}, transition u_c = ${mp.uc.toPrecision(4)}, G_c = g(Phi_c)^2 = ${mp.gc.toPrecision(4)}`,
      `mixed phase (large d): u_c <= u <= u_c (1 + kappa G_c)^2 = ${mp.upper.toPrecision(4)}, ordered fraction (sqrt(u/u_c) - 1)/(kappa G_c) = ${(mixedFraction(q) ?? 0).toPrecision(4)} here (linear in sqrt(u) ∝ sample size)`,
    );
  }
  lines.push(
    `wide-network mean field at d = ${q.d}, T = ${run.temperature}: m = ${mf.m.toPrecision(4)}, u_eff = ${mf.uEff.toPrecision(4)}, ordered fraction ${mf.ordered.toPrecision(4)} (finite N = ${q.N} shifts it by O(1/N))`,
    'not predicted: the time for a network to reach the ordered level (measure it: summary.json measures.escape)',
  );
  return lines;
}

export const firstOrderNetwork: ModelFamily = {
  kind: 'model',
  name: 'first-order-network',
  summary:
    'networks of N neurons in the Rubin-Seroussi-Ringel action with the self-consistent discrepancy: extended mixed phase, hysteresis',
  defaults: firstOrderNetworkDefaults,
  allowsZeroTemperature: false,
  build,
};
