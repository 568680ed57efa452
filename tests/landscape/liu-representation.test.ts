import { describe, expect, it } from 'vitest';
import {
  linearity,
  representationQuality,
  RQI_DELTA,
} from '../../src/landscape/families/liu-decoder/representation.js';
import { ALL_PARALLELOGRAMS } from '../../src/landscape/families/parallelogram/training-set.js';

const line = Array.from({ length: 10 }, (_, k) => k);
// parallelograms with symbol 0 in them: pair (0, n) against (j, m), j + m = n, 1 <= j <= m: sum of floor(n/2), n = 2..9
const withZero = ALL_PARALLELOGRAMS.filter(([[i, j], [m, n]]) => [i, j, m, n].includes(0)).length;

describe("liu-decoder's order parameters", () => {
  it('linearity: 1 on any line, below 1 off it, 0 when flat', () => {
    expect(linearity(line.map((k) => 3 - 0.2 * k))).toBeCloseTo(1, 12);
    expect(linearity(line.map((k) => k * k))).toBeLessThan(0.96);
    expect(linearity(line.map(() => 2))).toBe(0);
  });

  it('RQI counts the 70 parallelograms of the table, 20 of them through symbol 0', () => {
    expect(ALL_PARALLELOGRAMS).toHaveLength(70);
    expect(withZero).toBe(20);
  });

  it('RQI is 1 on any line and 0 when flat', () => {
    expect(representationQuality(line)).toBe(1);
    expect(representationQuality(line.map((k) => -40 + 7 * k))).toBe(1);
    expect(representationQuality(line.map(() => 1))).toBe(0);
  });

  // E_0 moved by x off the line 0..9 leaves every residual 0 but the 20 through symbol 0, which become
  // +-x / sd after standardizing (the mean cancels in E_i + E_j - E_m - E_n). sd of (x, 1, ..., 9) is about
  // 2.9, so x = 0.5 gives (0.5 / 2.9)^2 = 0.03 > delta and RQI 50/70: the authors' standard deviation
  // (toy/train_add.py). Normalizing to unit norm instead (sd x 3) would give 0.003 < delta and RQI 1, and an
  // absolute tolerance would change with the scale, which standardizing removes.
  it('RQI standardizes by the standard deviation, as the authors compute it', () => {
    const moved = (x: number, scale = 1) => line.map((k) => scale * (k === 0 ? x : k));
    expect(representationQuality(moved(0.1))).toBe(1);
    expect(representationQuality(moved(0.5))).toBeCloseTo(50 / 70, 12);
    expect(representationQuality(moved(0.5, 1000))).toBeCloseTo(50 / 70, 12);
    expect(representationQuality(moved(0.5, 1e-3))).toBeCloseTo(50 / 70, 12);
    // a looser tolerance closes them again
    expect(representationQuality(moved(0.5), 0.05)).toBe(1);
    expect(RQI_DELTA).toBe(0.01);
  });
});
