import { describe, expect, it } from 'vitest';
import { firstOrderPotential1d } from '../../src/landscape/families/first-order/theory.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { predict } from '../../src/landscape/predict.js';
import { firstOrderTransition } from '../../src/landscape/families/first-order/theory.js';

/**
 * ln of the Gibbs mass of |Phi| in [a, b] by a log-sum-exp trapezoid on a fine grid: an independent
 * quadrature in log space, exact to the grid's resolution at any well depth.
 */
function logMass(U: (x: number) => number, T: number, a: number, b: number, n = 400_000): number {
  const h = (b - a) / n;
  let max = Number.NEGATIVE_INFINITY;
  const e = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    e[i] = -U(a + i * h) / T;
    max = Math.max(max, e[i]);
  }
  let sum = 0;
  for (let i = 0; i <= n; i++) sum += (i === 0 || i === n ? 0.5 : 1) * Math.exp(e[i] - max);
  return max + Math.log(sum * h);
}

/** Scenario regions: disordered |w1| < 0.4, ordered |w1| > 0.7 (scenarios/first-order.yaml); U is even in w1. */
function exactLogOdds(u: number): number {
  const s = resolveScenario('first-order', { u });
  const p = s.parameters as { d: number; sigma2: number; u: number; linear: number };
  const U = (x: number) => firstOrderPotential1d(x, p);
  // the prior term d Phi^2 / (2 sigma2) makes U > 700 T beyond |Phi| = 20 at these parameters
  return logMass(U, s.temperature, 0.7, 20) - logMass(U, s.temperature, 0, 0.4);
}

describe('first-order predict at any u (issue 18): deep wells neither overflow nor fall outside the range', () => {
  it('u = 800, deep in the ordered phase: the populations equal an independent log-space quadrature', () => {
    const pred = predict(resolveScenario('first-order', { u: 800 }))!;
    const pops = pred.populations!;
    expect(pops.ordered).toBeCloseTo(1, 12);
    // the disordered population is about e^-111: compare logarithms (0.2.0 printed ordered 0)
    expect(Math.log(pops.disordered / pops.ordered)).toBeCloseTo(-exactLogOdds(800), 3);
    expect(pred.mfpt).toBeGreaterThan(0);
  });

  it('at the spinodal, where the ordered minimum appears, and across the transition, the same agreement', () => {
    const { spinodal, transition } = firstOrderTransition(resolveScenario('first-order').parameters as never);
    expect(spinodal).not.toBeNull();
    for (const u of [spinodal! * 1.0001, transition!, 400, 600]) {
      const pops = predict(resolveScenario('first-order', { u }))!.populations!;
      expect(Math.log(pops.ordered / pops.disordered)).toBeCloseTo(exactLogOdds(u), 3);
    }
  });
});
