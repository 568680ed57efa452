import type { Family } from '../../family.js';
import { requireRange } from '../../family.js';
import { sig } from '../../prediction.js';
import { predictFirstOrder, type Transition } from './predict.js';

/**
 * One neuron's input weights w in R^d in the mean-field effective action of Rubin, Seroussi and Ringel,
 * "Grokking as a first order phase transition in two layer networks" (ICLR 2024), cubic teacher, erf
 * activation, teacher direction w* = e1 so that the order parameter is Phi = w.w* = w1:
 *
 *   U(w) = d [ |w|^2 / (2 sigma2) - (u/2) g(Phi)^2 ],
 *   g(Phi) = linear Phi / sqrt(1 + 2 q) + Phi^3 / (1 + 2 q)^(3/2),   q = Phi^2 + sigma2.
 *
 * d |w|^2 / (2 sigma2) is the Gaussian prior N(0, sigma2/d) (weight decay); g is the overlap of erf(w.x)
 * with the target discrepancy b1 H1 + b3 H3 along w* (Gaussian inputs), up to constants absorbed in u and
 * `linear`. Reductions (docs/scenarios.md): the discrepancy (hence u) is fixed instead of self-consistent,
 * and |w|^2 inside the erf normalization is Phi^2 + sigma2 (its transverse part at the prior's large-d
 * value), so Phi decouples from the d - 1 transverse coordinates and its marginal is exact in 1D
 * (theory.ts computes it). The factor d makes the action, and the barrier, extensive.
 */
export const firstOrderDefaults = { d: 8, sigma2: 0.1, u: 324, linear: 0 };

export const firstOrder: Family = {
  name: 'first-order',
  summary:
    'neurons w in R^d in the Rubin-Seroussi-Ringel effective action: first-order transition in Phi = w1 as u grows',
  defaults: firstOrderDefaults,
  predict: predictFirstOrder,
  extras: {
    transition: (t: Transition) =>
      `first-order transition in ${t.parameter}: spinodal ${sig(t.spinodal)}, mean-field transition ${sig(t.meanField)}, equal populations here at ${sig(t.equalPopulations)}`,
  },
  build(p) {
    requireRange(p, 'd', 1, 1024, true);
    requireRange(p, 'sigma2', 1e-6, 1e6);
    requireRange(p, 'u', 0, 1e9);
    requireRange(p, 'linear', -1e6, 1e6);
    const q = '(1 + 2*(w1^2 + sigma2))';
    return {
      dimensions: [{ name: 'w', count: p.d }],
      potential: `d*(sum(w^2)/(2*sigma2) - (u/2)*(linear*w1/sqrt(${q}) + w1^3/${q}^1.5)^2)`,
    };
  },
};
