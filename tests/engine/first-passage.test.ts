import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/engine/backend.js';
import type { KernelModel } from '../../src/engine/kernel-model.js';
import { Simulation } from '../../src/engine/simulation.js';
import { mfpt1d } from '../../src/theory/index.js';
import { doubleWell } from '../helpers/models.js';
import { moments } from '../helpers/stats.js';

/** Runs until every particle has escaped (or maxSteps) and returns the first-passage times. */
async function passageTimes(
  model: KernelModel,
  o: { P: number; dt: number; T: number; x0: number; maxSteps: number; seed?: number },
) {
  const backend = await openBackend('cpu');
  const sim = Simulation.create(model, backend, {
    particles: o.P,
    dt: o.dt,
    temperature: o.T,
    seed: o.seed ?? 11,
    chunk: 1000,
    initial: [new Float32Array(o.P).fill(o.x0)],
  });
  while (sim.step < o.maxSteps && sim.firstPassage.some((f) => f < 0)) await sim.advance(1000);
  await sim.regions(); // checks the final state too
  const times = Array.from(sim.firstPassage, (f) => f * o.dt);
  expect(times.every((t) => t >= 0)).toBe(true); // every particle escaped: no censoring in the mean
  return moments(times);
}

describe('first-passage times against exact results', () => {
  it('1D double well: mean first-passage time equals the exact quadrature within 5%', async () => {
    // U = (x^2 - 1)^2 at T = 0.5 (barrier 2 kT), from the well bottom x = -1 to x = 0.8.
    const T = 0.5;
    const exact = mfpt1d({ U: (x) => (x * x - 1) ** 2, T, x0: -1, b: 0.8, lower: -4 });
    const m = await passageTimes(doubleWell(0.8), { P: 8192, dt: 1e-3, T, x0: -1, maxSteps: 200_000 });
    const se = Math.sqrt(m.variance / m.n);
    // 5% is the tolerance; the statistical SE here is ~1.1%, the O(dt) bias well below 5%.
    expect(se / exact).toBeLessThan(0.015);
    expect(Math.abs(m.mean / exact - 1)).toBeLessThan(0.05);
  });

  it('discrete monitoring overestimates first-passage times by O(sqrt(dt)), and the bias shrinks with dt', async () => {
    // Free diffusion from a reflecting wall at 0 to x = 1: tau = b^2 / (2T) = 1 exactly.
    const free: KernelModel = {
      dimensions: 1,
      gradient: [{ expression: '0.0', uses: [] }],
      bounds: [[0, 10]],
      regions: [
        { name: 'inside', predicate: '(c0 < 1.0)', uses: [0] },
        { name: 'out', predicate: '(c0 >= 1.0)', uses: [0] },
      ],
      target: 1,
    };
    const biases: { bias: number; se: number }[] = [];
    for (const dt of [0.01, 0.0025, 0.000625]) {
      const m = await passageTimes(free, { P: 32768, dt, T: 0.5, x0: 0, maxSteps: Math.round(20 / dt) });
      biases.push({ bias: m.mean - 1, se: Math.sqrt(m.variance / m.n) });
    }
    // Each quartering of dt halves the O(sqrt dt) bias (about 0.058, 0.029, 0.015 here, from the 0.5826 sqrt(2 T dt)
    // boundary shift); SE of each mean ~0.005 with 32768 particles. Require a drop of at least 3 SE each time.
    for (let i = 1; i < biases.length; i++) {
      const drop = biases[i - 1].bias - biases[i].bias;
      expect(drop).toBeGreaterThan(3 * Math.hypot(biases[i - 1].se, biases[i].se));
    }
    expect(biases[0].bias).toBeGreaterThan(0); // positive: a crossing between two checks is missed
  });
});
