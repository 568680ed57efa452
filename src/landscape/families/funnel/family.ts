import type { Family, FamilyBuild } from '../../family.js';
import { requireRange } from '../../family.js';
import { sig } from '../../prediction.js';
import { predictFunnel, type Threshold } from './predict.js';

/**
 * The entropic funnel of science.md §1: coordinate s along the zero-risk manifold, m transverse modes y.
 * ln kappa_j(s) = ln kappaLo + w(s) [j <= n_c] ln(kappaHi/kappaLo) + g(s) ln(kappaNeck/kappaLo),
 * w(s) = sigmoid(-s/switchWidth) (1 on the memorizing side), g(s) = exp(-s^2 / (2 neckWidth^2)),
 * V(s) = bias (1 - w(s)); U = V(s) + 1/2 sum_j kappa_j(s) y_j^2. n_c = dataSize stiff modes.
 * The same parametrization is in theory.ts, which predicts from it.
 */
export const funnelDefaults = {
  modes: 8,
  dataSize: 4,
  kappaLo: 16,
  kappaHi: 64,
  kappaNeck: 32,
  // a neck and a switch wide enough that the transverse modes relax much faster than s crosses them (0.09 of
  // the crossing time at T = 0.5), where the 1D reduction the MFPT prediction uses holds (0.2.0's 0.3 and
  // 0.05 put the simulated MFPT 6-11% above it)
  neckWidth: 0.6,
  switchWidth: 0.25,
  sMin: -1,
  sMax: 1,
  bias: 0,
  ruleModes: 0,
};

export function buildFunnel(p: Record<string, number>): FamilyBuild {
  const m = requireRange(p, 'modes', 1, 1024, true);
  const nc = requireRange(p, 'dataSize', 0, m, true);
  for (const k of ['kappaLo', 'kappaHi', 'kappaNeck']) requireRange(p, k, 1e-9, 1e9);
  requireRange(p, 'neckWidth', 1e-6, 1e6);
  requireRange(p, 'switchWidth', 1e-6, 1e6);
  requireRange(p, 'sMin', -1e6, 1e6);
  requireRange(p, 'sMax', p.sMin + 1e-9, 1e6);
  requireRange(p, 'bias', -1e6, 1e6);
  const k = requireRange(p, 'ruleModes', 0, m, true);
  const w = 'sigmoid(-s/switchWidth)';
  const g = 'exp(-s^2/(2*neckWidth^2))';
  const squares = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `y${from + i}^2`).join(' + ');
  const terms = [`bias*(1 - ${w})`];
  // modes 1..min(n,k) stiff on both sides; then stiff on the memorizing side only (j <= n), or on the
  // generalizing side only (j <= k); the rest soft. Without rule modes (k = 0) the formula is 0.2.0's.
  const both = Math.min(nc, k);
  const group = (from: number, to: number, exponent: string) => {
    if (to >= from) terms.push(`0.5*exp(${exponent} + ${g}*log(kappaNeck/kappaLo))*(${squares(from, to)})`);
  };
  group(1, both, 'log(kappaHi)');
  group(both + 1, nc, `log(kappaLo) + ${w}*log(kappaHi/kappaLo)`);
  group(nc + 1, k, `log(kappaLo) + (1 - ${w})*log(kappaHi/kappaLo)`);
  group(Math.max(nc, k) + 1, m, 'log(kappaLo)');
  return {
    dimensions: ['s', { name: 'y', count: m }],
    potential: terms.join(' + '),
    bounds: { s: [p.sMin, p.sMax] },
  };
}

const thresholdExtras = {
  threshold: (t: Threshold) => `threshold data size: ${t.dataSize == null ? 'none in range' : sig(t.dataSize)}`,
};

export const entropicFunnel: Family = {
  name: 'entropic-funnel',
  summary: 'zero-risk manifold: memorizing ravine (dataSize stiff modes) -> neck -> wide generalizing valley',
  defaults: funnelDefaults,
  knob: 'dataSize',
  build: buildFunnel,
  predict: (s) => predictFunnel(s, false),
};

/**
 * Kozyrev's threshold without energy: the generalizing valley keeps `ruleModes` stiff modes (the rule the
 * data satisfy), the memorizing ravine has `dataSize`; no bias, so A(s)/T and the threshold data size do not
 * depend on T. The valley is the wider side (sMax 1.1), which puts the threshold between two integers.
 */
export const entropicThreshold: Family = {
  name: 'entropic-threshold',
  summary: 'funnel whose valley keeps k stiff modes and ravine has dataSize: a T-independent threshold dataSize',
  defaults: { ...funnelDefaults, ruleModes: 2, dataSize: 2, sMax: 1.1 },
  knob: 'dataSize',
  build: buildFunnel,
  predict: (s) => predictFunnel(s, true),
  extras: thresholdExtras,
};

export const grokkingThreshold: Family = {
  name: 'grokking-threshold',
  summary:
    'funnel with an energy bias favouring memorizing: equilibrium switches to generalizing at a threshold dataSize',
  defaults: { ...funnelDefaults, bias: 0.3 },
  knob: 'dataSize',
  build: buildFunnel,
  predict: (s) => predictFunnel(s, true),
  extras: thresholdExtras,
};
