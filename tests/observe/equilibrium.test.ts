import { describe, expect, it } from 'vitest';
import { equilibriumCheck, type PopulationSeries } from '../../src/observe/populations.js';

/** 100 recordings of P particles whose fraction in region a follows f(step). */
function series(P: number, f: (t: number) => number): PopulationSeries {
  const steps = Array.from({ length: 101 }, (_, i) => i * 10);
  return {
    regions: ['a', 'b'],
    steps,
    counts: steps.map((s) => [Math.round(P * f(s / 1000)), P - Math.round(P * f(s / 1000))]),
  };
}

describe('the equilibrium check (summary.json populations.equilibrium)', () => {
  const P = 10_000;
  it('passes a settled series run for many relaxation times', () => {
    const c = equilibriumCheck(
      series(P, () => 0.3),
      1000,
      P,
      { runTime: 10, mfpt: 1 },
    );
    expect(c.reached).toBe(true);
    expect(c.maxDifference).toBe(0);
    expect(c.runOverMfpt).toBe(10);
  });

  it('fails a drift between the third and fourth quarters larger than the tolerance', () => {
    // tolerance at P = 10^4: 3 sqrt(0.5 / 10^4) + 0.01 = 0.031; the drift from 0.5 to 1 of the run is 0.1
    const c = equilibriumCheck(
      series(P, (t) => 0.2 + 0.4 * t),
      1000,
      P,
    );
    expect(c.tolerance).toBeCloseTo(0.0312, 3);
    expect(c.maxDifference).toBeCloseTo(0.1, 2);
    expect(c.reached).toBe(false);
  });

  it('fails a flat-looking series when the run is shorter than 3 mean first-passage times', () => {
    const c = equilibriumCheck(
      series(P, () => 0.3),
      1000,
      P,
      { runTime: 2, mfpt: 1 },
    );
    expect(c.reached).toBe(false);
    expect(c.note).toMatch(/shorter than 3 mean first-passage times/);
    expect(
      equilibriumCheck(
        series(P, () => 0.3),
        1000,
        P,
        { runTime: 2, mfpt: null },
      ).note,
    ).toMatch(/no escape seen/);
  });

  it('says when there are too few recordings to compare', () => {
    const s = series(P, () => 0.3);
    const sparse = { ...s, steps: [0, 500, 1000], counts: [s.counts[0], s.counts[50], s.counts[100]] };
    const c = equilibriumCheck(sparse, 1000, P);
    expect(c.reached).toBe(false);
    expect(c.maxDifference).toBeNull();
    expect(c.note).toMatch(/fewer than two recordings/);
  });
});
