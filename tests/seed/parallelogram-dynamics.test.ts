import { describe, expect, it } from 'vitest';
import { classifyPhase, firstReach } from '../../src/analysis/index.js';
import { openBackend } from '../../src/engine/backend.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { runScenario } from '../../src/observe/run-scenario.js';
import { collectEscapes } from '../../src/report/escapes.js';
import { parallelogramTheory } from '../../src/landscape/families/parallelogram/theory.js';

// Reduced versions of docs/scenarios.md's parallelogram checks, on the cpu backend (float64), seeded.
const backend = await openBackend('cpu');

async function simulate(name: string, overrides: Record<string, number>) {
  const s = resolveScenario(name, overrides);
  const run = await runScenario(s, backend);
  await run.sim.destroy();
  return { s, run, escapes: collectEscapes(run.sim.firstPassage, run.sim.origin, run.stepsDone, s.dt) };
}

describe('parallelogram: reaching the linear structure', () => {
  it('happens exactly for the training sets with lambda_3 > 0, on both sides of r_c', async () => {
    // r = 0.3: P(lambda_3 > 0) = 0.005 over 200 sets; r = 0.6: 1. At r = 0.6 every 1/(lambda_3 dt) here is
    // below 35 steps, so 1000 steps are 30 times the expected time: a set that can reach structure does.
    for (const trainFraction of [0.3, 0.6]) {
      for (let dataSeed = 1; dataSeed <= 4; dataSeed++) {
        const t = parallelogramTheory(trainFraction, dataSeed, 0.01);
        const { run } = await simulate('parallelogram', { trainFraction, dataSeed, particles: 32, steps: 1000 });
        const final = run.populations.counts.at(-1)!;
        const reached = final[0] / 32; // region 0: generalizing (RQI > 0.95)
        expect(t.linearStructureUnique).toBe(trainFraction === 0.6);
        // structure is reached by every particle or by none: exact 0 or 1, no statistical tolerance needed
        expect(reached).toBe(t.linearStructureUnique ? 1 : 0);
      }
    }
  }, 60_000);

  it('takes a time proportional to 1/(lambda_3 eta) over training sets', async () => {
    // lambda_3 from 0.19 to 19: two decades. Each mean over 128 particles has a standard error of about 4%
    // (coefficient of variation of the passage times about 0.4); the constant ln(initial distance / delta)
    // differs between training sets by about +-15% (3.2 to 4.4 in the NumPy peer), so the log-log slope over
    // two decades is within 0.15 of 1 and the ratio within [2.5, 5].
    const sets: [number, number][] = [
      [0.4, 2],
      [0.45, 2],
      [0.5, 3],
      [0.6, 3],
      [0.7, 1],
    ];
    const x: number[] = [];
    const y: number[] = [];
    for (const [trainFraction, dataSeed] of sets) {
      const t = parallelogramTheory(trainFraction, dataSeed, 0.01);
      const steps = Math.ceil(15 * t.predictedSteps!);
      const { escapes } = await simulate('parallelogram', { trainFraction, dataSeed, particles: 128, steps });
      expect(escapes.steps).toHaveLength(128); // uncensored mean
      const mean = escapes.steps.reduce((a, b) => a + b, 0) / escapes.steps.length;
      x.push(Math.log(t.predictedSteps!));
      y.push(Math.log(mean));
      expect(mean / t.predictedSteps!).toBeGreaterThan(2.5);
      expect(mean / t.predictedSteps!).toBeLessThan(5);
    }
    const mx = x.reduce((a, b) => a + b) / x.length;
    const my = y.reduce((a, b) => a + b) / y.length;
    const slope = x.reduce((a, v, i) => a + (v - mx) * (y[i] - my), 0) / x.reduce((a, v) => a + (v - mx) ** 2, 0);
    expect(slope).toBeGreaterThan(0.85);
    expect(slope).toBeLessThan(1.15);
  }, 60_000);
});

describe("Liu et al.'s phase rule", () => {
  it('classifies by reach within the horizon and the lag', () => {
    expect(classifyPhase({ trainStep: 100, validationStep: 300, horizon: 1e5 }).phase).toBe('comprehension');
    expect(classifyPhase({ trainStep: 100, validationStep: 1100, horizon: 1e5 })).toEqual({
      phase: 'grokking',
      lag: 1000,
    });
    expect(classifyPhase({ trainStep: 100, validationStep: 1099, horizon: 1e5 }).phase).toBe('comprehension');
    expect(classifyPhase({ trainStep: 100, validationStep: null, horizon: 1e5 }).phase).toBe('memorization');
    expect(classifyPhase({ trainStep: 100, validationStep: 2e5, horizon: 1e5 }).phase).toBe('memorization');
    expect(classifyPhase({ trainStep: null, validationStep: null, horizon: 1e5 }).phase).toBe('confusion');
    expect(classifyPhase({ trainStep: 10, validationStep: 20, horizon: 1e5, lagThreshold: 5 }).phase).toBe('grokking');
  });

  it('reads first-reach steps of a region union from population counts', () => {
    const steps = [0, 10, 20, 30];
    const counts = [
      [0, 0, 4],
      [1, 1, 2],
      [2, 1, 1],
      [4, 0, 0],
    ];
    expect(firstReach(steps, counts, [0, 1])).toBe(10);
    expect(firstReach(steps, counts, [0])).toBe(20);
    expect(firstReach(steps, counts, [1], 0.5)).toBeNull();
  });

  it('finds all four phases in the effective theory', async () => {
    // horizon 12000 steps (the paper's 10^5 reduced), recorded every 50 steps. Expected lags from
    // `grokscape phases`: r = 0.6 about 50 steps; r = 0.4, dataSeed 2 at dt = 0.004 about 2000 steps.
    const phase = async (o: Record<string, number>) => {
      const { run } = await simulate('parallelogram-phases', { particles: 48, steps: 12000, ...o });
      const { steps, counts } = run.populations;
      return classifyPhase({
        trainStep: firstReach(steps, counts, [0, 1]),
        validationStep: firstReach(steps, counts, [0]),
        horizon: run.stepsDone,
      }).phase;
    };
    expect(await phase({ trainFraction: 0.6, dataSeed: 1 })).toBe('comprehension');
    expect(await phase({ trainFraction: 0.4, dataSeed: 2, dt: 0.004 })).toBe('grokking');
    expect(await phase({ trainFraction: 0.3, dataSeed: 1 })).toBe('memorization');
    expect(await phase({ trainFraction: 0.6, dataSeed: 1, temperature: 1e-3 })).toBe('confusion');
  }, 60_000);
});
