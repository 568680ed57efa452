import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../../src/analysis/errors.js';
import { poissonRegression } from '../../src/analysis/poisson-regression.js';
import { poisson, rngFor } from './helpers.js';

describe('poissonRegression', () => {
  it('intercept only: ln(sum y / sum exposure), variance 1/sum y', () => {
    const y = [3, 0, 7, 12];
    const E = [1, 2, 3, 4];
    const f = poissonRegression(
      y.map(() => [1]),
      y,
      E.map(Math.log),
    );
    expect(f.converged).toBe(true);
    expect(f.coef[0]).toBeCloseTo(Math.log(22 / 10), 12);
    expect(f.cov[0][0]).toBeCloseTo(1 / 22, 12);
  });

  it('two groups: saturated fit reproduces the group rates, deviance 0', () => {
    const y = [40, 90];
    const E = [10, 15];
    const f = poissonRegression(
      [
        [1, 0],
        [1, 1],
      ],
      y,
      E.map(Math.log),
    );
    expect(f.coef[0]).toBeCloseTo(Math.log(4), 12);
    expect(f.coef[1]).toBeCloseTo(Math.log(6 / 4), 12);
    // Var of a log-rate is 1/count; the difference adds them.
    expect(f.cov[1][1]).toBeCloseTo(1 / 40 + 1 / 90, 12);
    expect(f.cov[0][1]).toBeCloseTo(-1 / 40, 12);
    expect(f.deviance).toBeCloseTo(0, 10);
  });

  it('solves the score equations on random data with zero counts', () => {
    const rng = rngFor('poisson-regression-score');
    const n = 60;
    const X = Array.from({ length: n }, (_, i) => [1, (i % 10) / 5 - 1, rng() - 0.5]);
    const offset = X.map(() => Math.log(0.2 + rng()));
    const y = X.map((x, i) => poisson(rng, Math.exp(-0.5 + 1.2 * x[1] - 0.8 * x[2] + offset[i])));
    expect(y.filter((v) => v === 0).length).toBeGreaterThan(5);
    const f = poissonRegression(X, y, offset);
    expect(f.converged).toBe(true);
    // At the MLE X^T (y - mu) = 0.
    for (let a = 0; a < 3; a++) {
      const score = X.reduce((s, x, i) => s + x[a] * (y[i] - f.fitted[i]), 0);
      expect(Math.abs(score)).toBeLessThan(1e-8);
    }
    // Covariance is the inverse of X^T W X: check (X^T W X) cov = I.
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let s = 0;
        for (let c = 0; c < 3; c++) s += X.reduce((t, x, i) => t + f.fitted[i] * x[a] * x[c], 0) * f.cov[c][b];
        expect(s).toBeCloseTo(a === b ? 1 : 0, 8);
      }
    }
  });

  it('an all-zero group: finite, very negative coefficient, huge variance, converged', () => {
    const f = poissonRegression(
      [
        [1, 0],
        [1, 0],
        [1, 1],
        [1, 1],
      ],
      [5, 7, 0, 0],
      [0, 0, 0, 0],
    );
    expect(f.converged).toBe(true);
    expect(Number.isFinite(f.coef[1])).toBe(true);
    expect(f.coef[1]).toBeLessThan(-10);
    expect(f.cov[1][1]).toBeGreaterThan(1e3);
    expect(f.coef[0]).toBeCloseTo(Math.log(6), 8);
  });

  it('rejects bad input', () => {
    expect(() => poissonRegression([[1]], [1, 2], [0, 0])).toThrow(AnalysisError);
    expect(() => poissonRegression([[1], [1]], [1, -2], [0, 0])).toThrow(AnalysisError);
    expect(() =>
      poissonRegression(
        [
          [1, 2],
          [1, 2],
        ],
        [1, 3],
        [0, 0],
      ),
    ).toThrow(/singular/);
  });
});
