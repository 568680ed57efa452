import { describe, expect, it } from 'vitest';
import { gaussianDatasets } from '../../src/landscape/families/linear-separability/data.js';
import { setGeometry } from '../../src/landscape/families/linear-separability/geometry.js';
import {
  geometrySample,
  linearSeparabilityMeasures,
} from '../../src/landscape/families/linear-separability/measures.js';
import { wendelSeparable } from '../../src/landscape/families/linear-separability/family.js';
import { twoPointSInfinity } from '../../src/landscape/families/linear-separability/two-point.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { predict } from '../../src/landscape/predict.js';
import { lambertWOfExp, wInfLargeD } from '../../src/landscape/families/linear-separability/theory.js';

/** Every particle's set of `n` points in `d` dimensions (grokscape's data generator), decided on the host. */
function decide(seed: number, sets: number, n: number, d: number) {
  const rows = gaussianDatasets(seed, sets, n, d);
  return Array.from({ length: sets }, (_, p) => {
    const x = Float64Array.from({ length: n * d }, (_, k) => rows[k][p]);
    return setGeometry(x, n, d);
  });
}

describe('linear-separability geometry: separable from the origin, and w_inf', () => {
  it('d = 1 and the two-point model: |w_inf| in closed form (sigma |w_inf| = S_inf)', () => {
    // F(w) = ln(e^w + e^(-2w)) for points {-1, 2}: minimum at 3 w = ln 2.
    const g = setGeometry(Float64Array.from([-1, 2]), 2, 1);
    expect(g.separable).toBe(false);
    expect(g.wInfNorm!).toBeCloseTo(Math.LN2 / 3, 7);
    // Two-point model: x1 = -sigma, x2 = sigma (1 - 2 lambda): gradient descent's w_inf is the paper's -S_inf / sigma.
    for (const [lambda, sigma] of [
      [0.3, 1],
      [0.45, 2.5],
    ]) {
      const t = setGeometry(Float64Array.from([-sigma, sigma * (1 - 2 * lambda)]), 2, 1);
      expect(t.wInfNorm! * sigma).toBeCloseTo(twoPointSInfinity(lambda), 7);
    }
    expect(setGeometry(Float64Array.from([1, 2, 0.5]), 3, 1).separable).toBe(true);
  });

  it('the fraction of separable sets is Wendel P_sep within 3 binomial SE (d = 5, N = 10; d = 20, N = 40)', () => {
    for (const [d, n, sets] of [
      [5, 10, 3000],
      [20, 40, 1000],
    ]) {
      const g = decide(7, sets, n, d);
      expect(g.filter((s) => s.separable === null).length).toBeLessThanOrEqual(sets / 200);
      const decided = g.filter((s) => s.separable !== null);
      const f = decided.filter((s) => s.separable).length / decided.length;
      const p = wendelSeparable(n, d);
      expect(Math.abs(f - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / decided.length));
    }
  });
});

describe('linear-separability measures: the sample of sets decided', () => {
  it('is every particle up to 4096 sets, cut by the N d^2 work budget at large d', () => {
    expect(geometrySample(1024, 125, 50)).toBe(1024);
    expect(geometrySample(100000, 125, 50)).toBe(4096);
    expect(geometrySample(1024, 400, 200)).toBe(312);
    expect(geometrySample(1024, 1024, 512)).toBe(18);
  });

  it('an aborted signal stops the geometry at once and reports over no set', async () => {
    const controller = new AbortController();
    controller.abort();
    const end = {
      row: () => new Float32Array(8),
      escapeSteps: new Float64Array(8).fill(-1),
      stepsDone: 0,
      signal: controller.signal,
    };
    const m = (await linearSeparabilityMeasures(
      { particles: 8, seed: 1, temperature: 0, dt: 1 },
      end,
      gaussianDatasets(1, 8, 20, 10),
      20,
      10,
      0.5,
    )) as { geometry: { sets: number; separable: number | null }; nonSeparable: { sets: number } };
    expect(m.geometry.sets).toBe(0);
    expect(m.geometry.separable).toBeNull();
    expect(m.nonSeparable.sets).toBe(0);
  });
});

describe('linear-separability large-d theory: |w_inf| = r(lambda)', () => {
  it('Lambert W of e^L solves W + ln W = L from L = -30 to 800', () => {
    for (const L of [-30, -1, 0, 1, 5, 50, 800]) {
      const w = lambertWOfExp(L);
      expect(w + Math.log(w)).toBeCloseTo(L, 10);
    }
  });

  it('r(lambda) equals an independent solution of the system (SciPy lambertw, brentq, another quadrature)', () => {
    // tests/theory/reference/separability_large_d.py (SciPy; 48001 trapezoid nodes on [-12, 12]) prints these.
    expect(wInfLargeD(0.3)).toBeCloseTo(1.1096075317, 7);
    expect(wInfLargeD(0.4)).toBeCloseTo(2.0696342609, 7);
    expect(wInfLargeD(0.49)).toBeCloseTo(8.6488095478, 5);
  });

  it('matches the mean |w_inf| of sampled non-separable sets at d = 40, lambda = 0.2 (3 SE)', () => {
    // Finite-d bias measured at lambda = 0.2, 0.25, 0.3 (d = 40, 400 sets): +0.5, +1.9, +2.9 SE; it shrinks with d
    // (d = 80, lambda = 0.3: +1 SE), so the check sits where the d = 40 bias is below the noise.
    const g = decide(1, 400, 200, 40).filter((s) => s.separable === false);
    const v = g.map((s) => s.wInfNorm!);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const se = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1) / v.length);
    expect(Math.abs(mean - wInfLargeD(0.2))).toBeLessThan(3 * se);
  });

  it('diverges as lambda -> 1/2 like (1/2 - lambda)^(-1/2): local exponent 0.5 +- 0.05 at 1/2 - lambda = 0.002..0.001', () => {
    const a = wInfLargeD(0.498);
    const b = wInfLargeD(0.499);
    const exponent = Math.log(b / a) / Math.log(2);
    expect(exponent).toBeGreaterThan(0.45);
    expect(exponent).toBeLessThan(0.55);
    expect(b * Math.sqrt(0.001)).toBeGreaterThan(0.85);
    expect(b * Math.sqrt(0.001)).toBeLessThan(0.95);
  });

  it('predict prints r at the resolved lambda, and says it is not computed at lambda = 1/2', () => {
    const notes = (over: Record<string, number>) =>
      predict(resolveScenario('linear-separability', over))!.notes.join('\n');
    expect(notes({ d: 50, lambda: 0.4 })).toContain('r(lambda) = 2.0696');
    expect(notes({ d: 50, lambda: 0.5 })).toContain('not computed for lambda = 0.5000');
    expect(notes({ d: 1, lambda: 0.3, twoPoint: 1 })).not.toContain('large-d');
  });
});
