import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/engine/backend.js';
import { compileEvaluator } from '../../src/formula/index.js';
import { firstOrderPotential1d } from '../../src/landscape/families/first-order/theory.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { meanFractions } from '../../src/observe/populations.js';
import { runScenario } from '../../src/observe/run-scenario.js';
import { predict } from '../../src/landscape/predict.js';
import { planSweep, resolveSweep, runSweep } from '../../src/scan/sweep.js';
import { firstOrderTransition, orderedMinimum } from '../../src/landscape/families/first-order/theory.js';
import { cli, expectOneLineError, tmpdir } from '../helpers/cli.js';

/** Binomial standard error of a fraction f over P particles (one snapshot: conservative for a time mean). */
const se = (f: number, P: number) => Math.sqrt(Math.max(f * (1 - f), 1 / P) / P);

describe('first-order family: the effective action and its transition', () => {
  it('the formula is d [|w|^2/(2 sigma2) - (u/2) g(Phi)^2] with the erf overlap g, at random points', () => {
    const s = resolveScenario('first-order', { d: 5, linear: 0.3 });
    if (s.kind !== 'formula') throw new Error('first-order is a formula family');
    const U = compileEvaluator(s.potential, s.layout.coordinates, s.parameters);
    const p = s.parameters as { d: number; sigma2: number; u: number; linear: number };
    const rng = seedrandom('first-order');
    for (let t = 0; t < 50; t++) {
      const w = Array.from({ length: 5 }, () => 3 * (rng() - 0.5));
      const perp = w.slice(1).reduce((a, x) => a + x * x, 0);
      const expected = firstOrderPotential1d(w[0], p) + (p.d * perp) / (2 * p.sigma2);
      expect(U(w)).toBeCloseTo(expected, 9);
    }
  });

  it('spinodal and transition match the closed forms u_s = 64 a/(3 sigma2), u_c = 27 a/sigma2 (a = 1 + 2 sigma2)', () => {
    // f = y/(2s) - (u/2) y^3/(a + 2y)^3 with y = Phi^2: f = f' = 0 at y = a; f' = f'' = 0 at y = a/2
    for (const sigma2 of [0.05, 0.1, 0.5]) {
      const a = 1 + 2 * sigma2;
      const p = { d: 8, sigma2, u: 0, linear: 0 };
      const t = firstOrderTransition(p);
      expect(t.spinodal! / ((64 * a) / (3 * sigma2))).toBeCloseTo(1, 3);
      expect(t.transition! / ((27 * a) / sigma2)).toBeCloseTo(1, 3);
      // the ordered minimum sits at Phi = sqrt(a) at the transition (grid resolution)
      expect(orderedMinimum({ ...p, u: (27 * a) / sigma2 })!).toBeCloseTo(Math.sqrt(a), 2);
      expect(orderedMinimum({ ...p, u: 0.99 * ((64 * a) / (3 * sigma2)) })).toBeNull();
    }
  });

  it('the barrier from Phi = 0 grows linearly with d (extensive action)', () => {
    const barriers = [4, 8, 16].map((d) => predict(resolveScenario('first-order', { d }))!.freeEnergyBarrier!);
    expect(barriers[1] / barriers[0]).toBeCloseTo(2, 6);
    expect(barriers[2] / barriers[0]).toBeCloseTo(4, 6);
  });
});

describe('first-order: measured populations against the exact Phi marginal', () => {
  // d = 4 keeps the barriers low (3 kT) so a run of 10 time units equilibrates (relaxation time ~0.9)
  const size = { d: 4, particles: 1024, steps: 5000 };

  it('below the spinodal (u = 200) the Phi histogram is unimodal at 0; at u = 324 Phi ~ 0 and |Phi| ~ 1.1 coexist', async () => {
    const backend = await openBackend('cpu');
    const measure = async (u: number) => {
      const s = resolveScenario('first-order', { ...size, u });
      const run = await runScenario(s, backend);
      const phi = Float64Array.from(run.sim.row(0));
      await run.sim.destroy();
      const mean = meanFractions(run.populations, s.steps / 2);
      const byName = Object.fromEntries(run.populations.regions.map((r, i) => [r, mean[i]]));
      return { phi, byName, predicted: predict(s)!.populations! };
    };
    /** Particles per unit length of |Phi| in [a, b]. */
    const density = (phi: Float64Array, a: number, b: number) =>
      phi.filter((x) => Math.abs(x) >= a && Math.abs(x) < b).length / (b - a);

    const low = await measure(200);
    expect(low.predicted.ordered).toBeLessThan(0.01);
    expect(low.byName.ordered).toBeLessThan(low.predicted.ordered + 3 * se(0.01, size.particles));
    // one peak: the density falls monotonically away from Phi = 0 (bins of 0.15 in |Phi|, until they empty)
    const bins = [0, 1, 2, 3, 4, 5].map((i) => density(low.phi, 0.15 * i, 0.15 * (i + 1)));
    for (let i = 1; i < bins.length; i++) expect(bins[i]).toBeLessThanOrEqual(bins[i - 1]);

    const mixed = await measure(324);
    for (const r of ['disordered', 'ordered']) {
      expect(mixed.predicted[r]).toBeGreaterThan(0.25);
      // 10 time units: relaxation ~0.9, so the second-half mean is equilibrium up to e^-5; the time mean of
      // 25 correlated snapshots is no worse than one snapshot's binomial error; 0.02 covers the O(dt) bias
      expect(Math.abs(mixed.byName[r] - mixed.predicted[r])).toBeLessThan(
        3 * se(mixed.predicted[r], size.particles) + 0.02,
      );
    }
    // two peaks: the band between the phases is emptier than either peak
    const gap = density(mixed.phi, 0.45, 0.7);
    expect(gap).toBeLessThan(0.5 * density(mixed.phi, 0, 0.25));
    expect(gap).toBeLessThan(0.5 * density(mixed.phi, 0.95, 1.2));
  }, 120_000);
});

describe('first-order: hysteresis when u is swept up and back down', () => {
  it('the branches differ inside the coexistence window and agree outside it', async () => {
    const overrides = { d: 6, particles: 512 };
    const base = resolveScenario('first-order', overrides);
    // 2 time units per value: the disordered phase lives tau_up ~ 5.7 at u = 300 and ~1 at u = 450;
    // the ordered one tau_down ~ 87 at u = 350, and it has no minimum below the spinodal u = 256
    const plan = planSweep('u=200:600:50', base, 1000);
    const result = await runSweep(plan, resolveSweep('first-order', overrides, plan), await openBackend('cpu'));
    const at = (branch: string, u: number) =>
      result.rows.find((r) => r.branch === branch && r.value === u)!.populations.ordered;
    for (const u of [200, 250, 550, 600]) {
      // outside: equal within 4 binomial errors of the larger (snapshots in the second half of the dwell)
      const f = Math.max(at('up', u), at('down', u));
      expect(Math.abs(at('up', u) - at('down', u))).toBeLessThan(4 * se(f, 512) + 0.01);
    }
    // inside: measured 0.20, 0.52, 0.20 at u = 300, 350, 400 (seed 1); binomial errors are about 0.02
    for (const u of [300, 400]) expect(at('down', u) - at('up', u)).toBeGreaterThan(0.1);
    expect(at('down', 350) - at('up', 350)).toBeGreaterThan(0.3);
    // below the spinodal both branches are disordered, far above it both are ordered
    expect(at('down', 200)).toBeLessThan(0.02);
    expect(at('up', 600)).toBeGreaterThan(0.9);
  }, 120_000);

  it('grokscape sweep writes sweep.csv and sweep.json with seed, backend, version and parameters', () => {
    const out = path.join(tmpdir(), 'sw');
    const r = cli([
      'sweep',
      'first-order',
      '--param',
      'u=250:350:50',
      '--steps',
      '40',
      '--set',
      'particles=64',
      '--set',
      'd=3',
      '--backend',
      'cpu',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const sum = JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8'));
    expect(sum).toMatchObject({
      kind: 'sweep',
      scenario: 'first-order',
      parameter: 'u',
      seed: 1,
      backend: 'cpu',
      particles: 64,
      stepsPerValue: 40,
    });
    expect(sum.values).toEqual([250, 300, 350, 350, 300, 250]);
    expect(sum.parameters).toMatchObject({ d: 3, sigma2: 0.1, linear: 0 });
    expect(typeof sum.version).toBe('string');
    const csv = fs.readFileSync(path.join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'index,branch,u,step,time,disordered,ordered,other,observableMean,observableAbsMean,predicted_disordered,predicted_ordered,predicted_other',
    );
    expect(csv).toHaveLength(7);
    expect(csv.slice(1).map((l) => l.split(',')[1])).toEqual(['up', 'up', 'up', 'down', 'down', 'down']);
  }, 60_000);

  it('refuses a parameter that changes the coordinates, and an unknown one, in one line with exit code 2', () => {
    const d = cli(['sweep', 'first-order', '--param', 'd=4:6:1', '--out', path.join(tmpdir(), 'x')]);
    expect(d.code).toBe(2);
    expect(expectOneLineError(d)).toMatch(
      /--param d=4: changes the number of coordinates \(8 -> 4\).*use `grokscape scan`/,
    );
    const bad = cli(['sweep', 'first-order', '--param', 'zeta=1:2:1', '--out', path.join(tmpdir(), 'x')]);
    expect(bad.code).toBe(2);
    expect(expectOneLineError(bad)).toMatch(
      /--param zeta: not a parameter .*sweepable: temperature, d, sigma2, u, linear/,
    );
    const reversed = cli(['sweep', 'first-order', '--param', 'u=600:200:50', '--out', path.join(tmpdir(), 'x')]);
    expect(reversed.code).toBe(2);
    expect(expectOneLineError(reversed)).toMatch(/^grokscape: --param u=600:200:50: the range is reversed/);
  }, 60_000);
});

describe('first-order: escape times grow with the system size d', () => {
  it('a scan over d gives ln tau linear in d with the slope of the exact MFPT (grokscape scan + fit --against d)', () => {
    const out = path.join(tmpdir(), 'scan');
    // u = 350: barriers 2.1-4.2 kT for d = 3..6; 15 time units is 5 MFPTs at d = 6, so (nearly) every
    // particle escapes and the censored MLE is the sample mean of the first-passage times
    const scan = cli(
      [
        'scan',
        'first-order',
        '--grid',
        'd=3:6:1',
        '--set',
        'u=350',
        '--set',
        'steps=7500',
        '--set',
        'particles=512',
        '--out',
        out,
        '--quiet',
      ],
      { timeout: 180_000 },
    );
    expect(scan.code, scan.stderr).toBe(0);
    const fit = cli(['fit', out, '--against', 'd', '--json']);
    expect(fit.code, fit.stderr).toBe(0);
    const group = JSON.parse(fit.stdout).groups[0];
    const exact = [3, 4, 5, 6].map((d) => ({ d, tau: predict(resolveScenario('first-order', { u: 350, d }))!.mfpt! }));
    // least-squares slope of ln(exact tau) against d: 0.480
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const xm = mean(exact.map((e) => e.d));
    const ym = mean(exact.map((e) => Math.log(e.tau)));
    const slope =
      exact.reduce((a, e) => a + (e.d - xm) * (Math.log(e.tau) - ym), 0) /
      exact.reduce((a, e) => a + (e.d - xm) ** 2, 0);
    expect(slope).toBeGreaterThan(0.4);
    // the fitted slope's 95% interval (Poisson regression, SE ~0.02) holds the exact one; discrete monitoring
    // lengthens every measured time by a similar factor (+5-8% at dt = 0.002), which leaves the slope alone
    const [lo, hi] = group.logTime.slopeCI95;
    expect(lo).toBeLessThan(slope);
    expect(hi).toBeGreaterThan(slope);
    for (const p of group.points) {
      const tau = exact.find((e) => e.d === p.x)!.tau;
      const measured = p.exposure / p.events;
      // 3 standard errors (1/sqrt(events)) plus 10% for discrete monitoring at dt = 0.002
      expect(Math.abs(measured / tau - 1)).toBeLessThan(3 / Math.sqrt(p.events) + 0.1);
    }
  }, 240_000);
});
