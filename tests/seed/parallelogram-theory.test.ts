import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileEvaluator, derivative, evaluate } from '../../src/formula/index.js';
import {
  ALL_PARALLELOGRAMS,
  drawTrainingSet,
  PAIRS,
  parallelogramGram,
  parallelogramsOf,
} from '../../src/landscape/families/parallelogram/training-set.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import type { Scenario } from '../../src/landscape/scenario.js';
import { parallelogramTheory, uniqueStructureProbability } from '../../src/landscape/families/parallelogram/theory.js';
import { ROOT, writeScenario } from '../helpers/cli.js';

// the formula kind of scenario (the parallelogram family builds a potential formula)
type FormulaScenario = Extract<Scenario, { potential: unknown }>;

const P = 10;
const linear = (() => {
  const k = Array.from({ length: P }, (_, i) => i - 4.5);
  const n = Math.hypot(...k);
  return k.map((v) => v / n);
})();
const scenario = (overrides: Record<string, number> = {}) =>
  resolveScenario('parallelogram', overrides) as FormulaScenario;
const env = (s: FormulaScenario, E: number[]) => ({
  ...s.parameters,
  ...Object.fromEntries(E.map((v, k) => [`E${k + 1}`, v])),
});
/** A family quantity (rqi, trainAcc, valAcc, loss) as a function, through a scenario that observes it. */
function quantity(name: string, params: Record<string, number>): (E: number[]) => number {
  const base = fs
    .readFileSync(path.join(ROOT, 'scenarios/parallelogram.yaml'), 'utf8')
    .replace(/^observable: .*$/m, `observable: ${name}`);
  const s = resolveScenario(writeScenario(base), params) as FormulaScenario;
  return (E) => evaluate(s.observable.expr, env(s, E));
}

describe('parallelogram combinatorics (exact)', () => {
  it('has 55 pairs and 70 parallelograms: sum over s of C(c(s), 2), c(s) = pairs with sum s', () => {
    expect(PAIRS).toHaveLength(55);
    let expected = 0;
    for (let s = 0; s <= 18; s++) {
      const c = PAIRS.filter(([i, j]) => i + j === s).length;
      expected += (c * (c - 1)) / 2;
    }
    expect(expected).toBe(70);
    expect(ALL_PARALLELOGRAMS).toHaveLength(70);
  });

  it('draws round(r * 55) training pairs reproducibly, the rest validation', () => {
    const a = drawTrainingSet(0.4, 7);
    expect(a.train).toHaveLength(22);
    expect(a.validation).toHaveLength(33);
    expect(drawTrainingSet(0.4, 7)).toEqual(a);
    expect(drawTrainingSet(0.4, 8).train).not.toEqual(a.train);
    expect(a.parallelograms).toEqual(parallelogramsOf(a.train));
  });

  it('A annihilates the shift 1 and the linear structure k for every training set', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const A = parallelogramGram(drawTrainingSet(0.5, seed).parallelograms);
      for (const v of [new Array(P).fill(1), linear]) {
        for (const row of A) expect(Math.abs(row.reduce((a, x, k) => a + x * v[k], 0))).toBeLessThan(1e-12);
      }
    }
  });
});

describe('effective loss, its quantities and its Hessian', () => {
  it('equals E^T A E on the sphere and is invariant under E -> a E + c', () => {
    const s = scenario({ trainFraction: 0.6, dataSeed: 3 });
    const A = parallelogramGram(drawTrainingSet(0.6, 3).parallelograms);
    const E = [0.3, -0.2, 0.5, -0.1, 0.05, -0.4, 0.2, -0.25, 0.1, -0.2];
    const m = E.reduce((a, b) => a + b, 0) / P;
    const c = E.map((v) => v - m);
    const n = Math.hypot(...c);
    const onSphere = c.map((v) => v / n);
    const quad = onSphere.reduce((acc, a, i) => acc + a * A[i].reduce((b, x, j) => b + x * onSphere[j], 0), 0);
    const U = (x: number[]) => evaluate(s.potential, env(s, x));
    expect(U(onSphere)).toBeCloseTo(quad, 10); // gauge term is 0 on the sphere
    const gauge = (x: number[]) =>
      s.parameters.gauge * (x.reduce((a, b) => a + b, 0) ** 2 + (x.reduce((a, b) => a + b * b, 0) - 1) ** 2);
    const moved = onSphere.map((v) => 1.7 * v + 0.3);
    expect(U(moved) - gauge(moved)).toBeCloseTo(quad, 10);
  });

  it('has the symbolic Hessian 2A + 2 gauge 1 1^T + 8 gauge E E^T at the linear solution (exact)', () => {
    const s = scenario({ trainFraction: 0.5, dataSeed: 4, gauge: 1.5 });
    const A = parallelogramGram(drawTrainingSet(0.5, 4).parallelograms);
    const coords = s.layout.coordinates;
    const H = s.gradient.map((g) =>
      coords.map((c) => compileEvaluator(derivative(g, c), coords, s.parameters)(linear)),
    );
    const g = 1.5;
    for (let a = 0; a < P; a++) {
      for (let b = 0; b < P; b++) {
        expect(H[a][b]).toBeCloseTo(2 * A[a][b] + 2 * g + 8 * g * linear[a] * linear[b], 9);
      }
    }
  });

  it('rqi, trainAcc and valAcc count closed parallelograms exactly', () => {
    const params = { trainFraction: 0.6, dataSeed: 5, delta: 0.01 };
    const set = drawTrainingSet(0.6, 5);
    const [rqi, trainAcc, valAcc] = ['rqi', 'trainAcc', 'valAcc'].map((n) => quantity(n, params));
    for (const f of [rqi, trainAcc, valAcc]) expect(f(linear)).toBe(1);
    const k2 = Array.from({ length: P }, (_, k) => k * k);
    expect(rqi(k2.map((v) => v / 100))).toBe(0); // |i^2+j^2-m^2-n^2| >= 2 for every parallelogram
    // random points: the formula's count agrees with a direct count
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31) * 2 - 1;
    };
    for (let t = 0; t < 200; t++) {
      // near-linear points so that a fraction of parallelograms is closed
      const E = linear.map((v) => v + 0.006 * rand());
      const closed = ALL_PARALLELOGRAMS.filter(
        ([[i, j], [m, n]]) => Math.abs(E[i] + E[j] - E[m] - E[n]) <= 0.01,
      ).length;
      expect(rqi(E)).toBeCloseTo(closed / 70, 12);
      const ok = ([[i, j], [m, n]]: (typeof ALL_PARALLELOGRAMS)[number]) => Math.abs(E[i] + E[j] - E[m] - E[n]) <= 0.01;
      expect(trainAcc(E)).toBeCloseTo(set.parallelograms.filter(ok).length / set.parallelograms.length, 12);
      // answerable validation pairs: some training pair has the same sum; deduced: one such parallelogram closed
      const answerable = set.validation.filter(([i, j]) => set.train.some(([m, n]) => m + n === i + j));
      const deduced = answerable.filter((v) => set.train.some((t) => t[0] + t[1] === v[0] + v[1] && ok([v, t])));
      expect(valAcc(E)).toBeCloseTo(deduced.length / answerable.length, 12);
    }
  });
});

describe("Liu et al.'s critical training fraction (exact over training sets)", () => {
  it('lambda_3 > 0 is rare below r = 0.35, likely above 0.5, and crosses 1/2 near r_c = 0.4', () => {
    // exact: every one of 200 training sets per fraction is enumerated, no sampling error
    const p = (r: number) => uniqueStructureProbability(r, 200);
    expect(p(0.2)).toBe(0);
    expect(p(0.3)).toBeLessThan(0.05);
    expect(p(0.35)).toBeLessThan(0.25);
    expect(p(0.4)).toBeGreaterThan(0.3);
    expect(p(0.4)).toBeLessThan(0.7);
    expect(p(0.5)).toBeGreaterThan(0.85);
    expect(p(0.6)).toBe(1);
  });

  it('gives two zero eigenvalues (shift, scale) and 1/(lambda_3 dt) in steps', () => {
    const t = parallelogramTheory(0.45, 2, 0.01);
    expect(t.hessianEigenvalues.slice(0, 2)).toEqual([0, 0]);
    expect(t.lambda3).toBeGreaterThan(0);
    expect(t.predictedSteps).toBeCloseTo(1 / (t.lambda3 * 0.01), 9);
    const full = parallelogramTheory(1, 1, 0.01);
    expect(full.trainingParallelograms).toBe(70);
    const none = parallelogramTheory(0.1, 1, 0.01);
    expect(none.linearStructureUnique).toBe(false);
    expect(none.predictedSteps).toBeNull();
  });
});
