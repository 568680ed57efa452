import { describe, expect, it } from 'vitest';
import { leastSquaresLine, studentTCentral, studentTQuantile } from '../../src/analysis/least-squares.js';

describe('studentTQuantile: the two-sided 95% t of the exact distribution', () => {
  // printed tables give four decimals
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [3, 3.1824],
    [4, 2.7764],
    [5, 2.5706],
    [10, 2.2281],
    [13, 2.1604],
    [30, 2.0423],
    [1000, 1.9623],
  ])('dof %i: %f', (dof, want) => {
    expect(Math.abs(studentTQuantile(0.95, dof) - want)).toBeLessThan(6e-5);
  });

  it('the central probability is 2 atan(t)/pi at 1 dof and tends to the normal one', () => {
    expect(studentTCentral(1, 1)).toBeCloseTo(0.5, 14);
    expect(studentTCentral(1.959963984540054, 1e6)).toBeCloseTo(0.95, 5);
    expect(() => studentTCentral(1, 2.5)).toThrow(/positive integer/);
  });
});

describe('leastSquaresLine', () => {
  it('slope, intercept and the t intervals of a worked example', () => {
    // x 1..5, y 2 4 5 4 5: slope 0.6, intercept 2.2, SSE 2.4, s^2 = 0.8, Sxx = 10; t(0.95, 3) = 3.18245
    const f = leastSquaresLine([2, 4, 5, 4, 5].map((y, i) => ({ x: i + 1, y })));
    expect(f.slope).toBeCloseTo(0.6, 12);
    expect(f.intercept).toBeCloseTo(2.2, 12);
    expect(f.slopeCI95[1] - f.slope).toBeCloseTo(3.182446 * Math.sqrt(0.08), 5);
    const mid = f.at(3);
    expect(mid.fit).toBeCloseTo(4, 12);
    expect(mid.hi - mid.fit).toBeCloseTo(3.182446 * Math.sqrt(0.8 / 5), 5);
  });

  it('refuses fewer than 3 points and equal x values', () => {
    expect(() =>
      leastSquaresLine([
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ]),
    ).toThrow(/at least 3/);
    expect(() => leastSquaresLine([0, 1, 2].map((y) => ({ x: 1, y })))).toThrow(/all equal/);
  });
});
