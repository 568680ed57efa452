import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { predict } from '../../src/landscape/predict.js';
import { mfpt1dBetween } from '../../src/theory/index.js';
import { loadScenario, run } from '../../src/index.js';
import { formatSummary } from '../../src/report/format.js';
import { writeScenario } from '../helpers/cli.js';

/** U = (x^2-1)^2 + k y^2 + x y^2 / 2 (k = 3), escaping from x < 0 to x > 0.8. */
const doubleWell2d = (o: { T: number; dt: number; steps: number; particles: number; start: string }) =>
  writeScenario(`name: dw2
description: 2D double well
dimensions: [x, y]
parameters: { k: 3 }
potential: "(x^2 - 1)^2 + k*y^2 + 0.5*x*y^2"
temperature: ${o.T}
dt: ${o.dt}
steps: ${o.steps}
particles: ${o.particles}
seed: 1
start: ${o.start}
regions:
  memorizing: "x < 0"
  generalizing: "x > 0.8"
escape: { from: memorizing, to: generalizing }
`);

describe('predict', () => {
  it('Eyring-Kramers for a 2D formula equals the closed form', () => {
    // U = (x^2-1)^2 + k y^2 + x y^2 / 2: well (-1, 0) with Hessian diag(8, 2k - 1), saddle (0, 0) with diag(-4, 2k)
    const file = doubleWell2d({ T: 0.15, dt: 0.001, steps: 1000, particles: 256, start: '{ x: -0.8, y: 0.2 }' });
    const p = predict(resolveScenario(file))!;
    const T = 0.15;
    const exact = ((2 * Math.PI) / 4) * Math.sqrt((4 * 6) / (8 * 5)) * Math.exp(1 / T);
    expect(p.kramers!.time / exact).toBeCloseTo(1, 6);
    expect(p.kramers!.barrier).toBeCloseTo(1, 9);
  });

  it('a 2D run compares its MFPT with the Eyring-Kramers time, the only prediction there', async () => {
    // the closed form above at T = 0.4 (dU / T = 2.5: an asymptote, so the ratio is only near 1)
    const file = doubleWell2d({ T: 0.4, dt: 0.002, steps: 40000, particles: 512, start: '{ x: -1, y: 0 }' });
    const { summary } = await run(loadScenario(file), { backend: 'cpu' });
    expect(summary.prediction!.mfpt).toBeNull();
    const ratio = summary.comparison.kramersTime as number;
    expect(ratio).toBeCloseTo(summary.escape!.mfpt! / summary.prediction!.kramers!.time, 12);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    expect(formatSummary(summary)).toMatch(/measured MFPT \/ Eyring-Kramers time: [0-9.]+ \(an asymptote/);
  });

  it('says so where no saddle exists', () => {
    const file = writeScenario(`name: bowl
description: a single well
dimensions: [x, y]
potential: "x^2 + y^2"
temperature: 0.5
dt: 0.001
steps: 10
particles: 4
seed: 1
start: { x: -1, y: 0 }
regions:
  memorizing: "x < 0"
  generalizing: "x > 0.8"
escape: { from: memorizing, to: generalizing }
`);
    const p = predict(resolveScenario(file))!;
    expect(p.kramers).toBeNull();
    expect(p.notes.join(' ')).toMatch(/no index-1 saddle|does not apply/);
  });

  describe('Eyring-Kramers in 2D where more than one saddle leads out, or the target lies off the axes', () => {
    const scenario2d = (o: { potential: string; T: number; start: string; regions: string }) =>
      resolveScenario(
        writeScenario(`name: two-d
description: a 2D test landscape
dimensions: [x, y]
potential: "${o.potential}"
temperature: ${o.T}
dt: 0.001
steps: 10
particles: 4
seed: 1
start: ${o.start}
regions:
${o.regions}
escape: { from: from, to: to }
`),
      );
    // the Eyring-Kramers time of one saddle: (2 pi / |l-|) sqrt(|det H_saddle| / det H_well) exp(dU / T)
    const ek = (well: number[], saddle: number[], dU: number, T: number) =>
      ((2 * Math.PI) / -saddle[0]) *
      Math.sqrt(Math.abs(saddle[0] * saddle[1]) / (well[0] * well[1])) *
      Math.exp(dU / T);

    it('two equal saddles around a ring: the rates add (half the one-saddle time), even exactly symmetric', () => {
      // U = 4 (r^2 - 1)^2 + y^2: well (-1, 0), Hessian diag(32, 2); saddles (0, +-sqrt(7/8)), diag(-2, 28), dU 15/16.
      // Symmetric about y = 0, so a straight band from well to product climbs the central hill (an index-2 point).
      const p = predict(
        scenario2d({
          potential: '4*(x^2 + y^2 - 1)^2 + y^2',
          T: 0.3,
          start: '{ x: -1, y: 0 }',
          regions: '  from: "x < 0"\n  to: "x > 0.7"',
        }),
      )!;
      expect(p.kramers!.time / (ek([32, 2], [-2, 28], 15 / 16, 0.3) / 2)).toBeCloseTo(1, 6);
      expect(p.kramers!.barrier).toBeCloseTo(15 / 16, 9);
      expect(p.kramers!.note).toMatch(/2 saddles, rates added: \(0, -?0\.935\) .*\(0, -?0\.935\)/);
    });

    it('a narrow and a wide exit on opposite sides: both are counted', () => {
      // x part 1.2 (x^6/6 - 5 x^4/4 + 2 x^2): well 0 (U'' 4.8), saddles +-1 (U'' -7.2), barrier 1.1. The y stiffness
      // k(x) = 1 + 15 exp(-(x - 1)^2 / 0.08) is 16 at the right saddle (narrow) and 1 at the left (wide).
      const k = (x: number) => 1 + 15 * Math.exp(-((x - 1) ** 2) / 0.08);
      const T = 0.4;
      const p = predict(
        scenario2d({
          potential: '1.2*(x^6/6 - 5*x^4/4 + 2*x^2) + 0.5*(1 + 15*exp(-(x - 1)^2/0.08))*y^2',
          T,
          start: '{ x: 0, y: 0 }',
          regions: '  from: "abs(x) < 0.6"\n  to: "x > 1.5 or x < -1.5"',
        }),
      )!;
      const rate = 1 / ek([4.8, k(0)], [-7.2, k(1)], 1.1, T) + 1 / ek([4.8, k(0)], [-7.2, k(-1)], 1.1, T);
      expect(p.kramers!.time * rate).toBeCloseTo(1, 6);
    });

    it('says where the barrier is a kink (min of two wells), not a saddle', () => {
      const p = predict(
        scenario2d({
          potential: 'min(2*((x + 1)^2 + y^2), 2*(x - 1)^2 + y^2 - 0.2)',
          T: 0.5,
          start: '{ x: -1, y: 0 }',
          regions: '  from: "x < 0"\n  to: "x > 0.7"',
        }),
      )!;
      expect(p.kramers).toBeNull();
      expect(p.notes.join(' ')).toMatch(/the potential has kinks \(abs, min, max or ind\)/);
    });

    it('finds a small target region off the axes', () => {
      // the double well (u^2 - 1)^2 + v^2 turned by 45 degrees (u, v = (x +- y) / sqrt 2), the target a disk of
      // radius 0.1 around the far minimum: no point of it lies on an axis through the well
      const p = predict(
        scenario2d({
          potential: '((x + y)^2/2 - 1)^2 + (x - y)^2/2',
          T: 0.2,
          start: '{ x: -0.7071, y: -0.7071 }',
          regions: '  from: "x + y < 0"\n  to: "(x - 0.7071)^2 + (y - 0.7071)^2 < 0.01"',
        }),
      )!;
      expect(p.kramers!.time / ek([8, 2], [-4, 2], 1, 0.2)).toBeCloseTo(1, 6);
    });
  });

  describe('one coordinate, on landscapes where the range, the target or the barrier is unusual', () => {
    const scenario = (o: { potential: string; T: number; start: number; regions: string; bounds?: string }) =>
      resolveScenario(
        writeScenario(`name: one-d
description: a 1D test landscape
dimensions: [x]
potential: "${o.potential}"
temperature: ${o.T}
dt: 0.001
steps: 10
particles: 4
seed: 1
start: { x: ${o.start} }
${o.bounds ? `bounds: { x: ${o.bounds} }\n` : ''}regions:
${o.regions}
escape: { from: from, to: to }
`),
      );

    it('a target on both sides of the start absorbs at both ends', () => {
      const p = predict(
        scenario({
          potential: 'x^2',
          T: 0.25,
          start: 0,
          regions: '  from: "x > -0.5 and x < 0.5"\n  to: "x < -1 or x > 1.5"',
        }),
      )!;
      expect(p.mfpt! / mfpt1dBetween({ U: (x) => x * x, T: 0.25, x0: 0, a: -1, b: 1.5 })).toBeCloseTo(1, 4);
      expect(p.kramers).toBeNull();
      expect(p.notes.join(' ')).toMatch(/lies on both sides of the start/);
    });

    it('a barrier of more than 60 T above the start does not hide the deeper well beyond it', () => {
      // tilt -0.1: the right well is 0.2 lower; dU / T = 60 from the left well
      const s = scenario({
        potential: '(x^2-1)^2 - 0.1*x',
        T: 0.015,
        start: -1,
        regions: '  from: "x < 0"\n  to: "x > 0.8"',
      });
      const p = predict(s)!;
      expect(p.populations!.to).toBeGreaterThan(0.99999);
      // the exact time against Kramers, which agree to O(T/dU) ~ 2% this high
      expect(Math.abs(p.mfpt! / p.kramers!.time - 1)).toBeLessThan(0.03);
    });

    it('wide walls give the populations of no walls', () => {
      const regions = '  from: "x < 0"\n  to: "x > 0.8"';
      const free = predict(scenario({ potential: 'x^4/4 - x^2/2 + 0.1*x', T: 0.15, start: -1, regions }))!;
      const walled = predict(
        scenario({ potential: 'x^4/4 - x^2/2 + 0.1*x', T: 0.15, start: -1, regions, bounds: '[-1000, 1000]' }),
      )!;
      for (const r of ['from', 'to', 'other']) expect(walled.populations![r]).toBeCloseTo(free.populations![r], 3);
      expect(walled.mfpt! / free.mfpt!).toBeCloseTo(1, 3);
    });

    it('Kramers for an escape downward starts from the well the start descends to', () => {
      const U = (x: number) => (x * x - 1) ** 2 + 0.3 * x;
      const dU = (x: number) => 4 * x ** 3 - 4 * x + 0.3;
      // the right well and the barrier, by bisection on U' (independent of the code under test)
      const root = (a: number, b: number) => {
        for (let k = 0; k < 100; k++) {
          const m = (a + b) / 2;
          if (Math.sign(dU(m)) === Math.sign(dU(a))) a = m;
          else b = m;
        }
        return (a + b) / 2;
      };
      const barrier = U(root(-0.5, 0.5)) - U(root(0.5, 1.5));
      const p = predict(
        scenario({ potential: '(x^2-1)^2 + 0.3*x', T: 0.2, start: 0.5, regions: '  from: "x > -0.5"\n  to: "x < -1"' }),
      )!;
      expect(p.kramers!.barrier).toBeCloseTo(barrier, 4);
    });

    it('a repulsive core or a pole bounds the range: the well the particles cannot reach is left out', () => {
      // x > 0 only: 0.05/x^2 walls off x < 0, whose mirror well the old 60 T walk never reached either
      const T = 0.25;
      const U = (x: number) => 0.05 / x ** 2 + (x * x - 1) ** 2 - 0.3 * x;
      const p = predict(
        scenario({
          potential: '0.05/x^2 + (x^2-1)^2 - 0.3*x',
          T,
          start: 1,
          regions: '  from: "x > 0 and x < 1.4"\n  to: "x > 1.6"',
        }),
      )!;
      // independent midpoint quadrature over (0, 4]
      const n = 400000;
      let all = 0;
      let other = 0;
      for (let i = 0; i < n; i++) {
        const x = (4 * (i + 0.5)) / n;
        const w = Math.exp(-U(x) / T);
        all += w;
        if (x >= 1.4 && x <= 1.6) other += w;
      }
      expect(p.populations!.other).toBeCloseTo(other / all, 4);
      const pole = predict(
        scenario({ potential: '1/x + x^2', T, start: 1, regions: '  from: "x < 1.4"\n  to: "x > 1.6"' }),
      )!;
      expect(pole.populations!.from).toBeGreaterThan(0.99);
      expect(pole.mfpt).toBeGreaterThan(0);
    });

    it('a kink at the barrier top gets no Kramers estimate; an MFPT beyond float64 says so', () => {
      const cusp = predict(
        scenario({
          potential: '2*(abs(x)-1)^2 + 0.2*x',
          T: 0.5,
          start: -1,
          regions: '  from: "x < 0"\n  to: "x > 0.8"',
        }),
      )!;
      expect(cusp.kramers).toBeNull();
      expect(cusp.mfpt).toBeGreaterThan(0);
      expect(cusp.notes.join(' ')).toMatch(/barrier top is a kink/);
      const huge = predict(
        scenario({
          potential: '(x^2-1)^2 + 0.1*x',
          T: 0.00125,
          start: -1,
          bounds: '[-2, 2]',
          regions: '  from: "x < 0"\n  to: "x > 0.8"',
        }),
      )!;
      expect(huge.mfpt).toBeNull();
      expect(huge.kramers).toBeNull();
      expect(huge.notes.join(' ')).toMatch(/beyond float64/);
    });
  });
});
