import { beforeAll, describe, expect, it } from 'vitest';
import { Z95 } from '../../src/analysis/rate-regression.js';
import { openBackend } from '../../src/engine/backend.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { runScenario } from '../../src/observe/run-scenario.js';
import { predict } from '../../src/landscape/predict.js';
import { fitRuns, predictedLogTimeLine, type FitGroup } from '../../src/report/fit-runs.js';
import { shortRunWarning } from '../../src/report/format.js';
import { summarizeRun, type Summary } from '../../src/report/summary.js';

/**
 * Kozyrev's data-size law on the entropic funnel: ln tau (memorizing -> generalizing) against dataSize, the
 * number of stiff modes in the memorizing ravine, fitted by `grokscape fit --against dataSize` (a Poisson
 * regression of the escape counts), beside the slope theory predicts (the same regression fitted to the counts
 * the quadrature MFPTs of the 1D reduction expect).
 *
 * Where the 1D (adiabatic) reduction holds:
 * - neckWidth 0.6: the transverse modes relax (1/kappaLo = 0.063) in 0.09 (T = 0.5) and 0.14 (T = 0.8) of the
 *   neck crossing time neckWidth^2/T (tests/scenarios/shipped.test.ts measures the MFPT within 3 SE there);
 * - switchWidth 0.25, not the scenario's 0.05: with the sharp default switch a particle crosses the switch
 *   (switchWidth^2/T = 0.005) faster than the stiff modes relax (1/(2 kappaHi) ~ 0.01), the reduction's force
 *   from the stiff modes is not there, and the measured MFPT rises above the prediction by 10-20% at
 *   dataSize 4-5 (measured, 256 particles, dt 0.001): the fitted slope was -0.091 [-0.129, -0.054] against a
 *   predicted -0.111, and the line fitted badly (deviance 11.9 on 3 dof). At 0.25, ln tau is also nearly
 *   linear in dataSize (steps of -0.24 .. -0.17 per stiff mode over 0..6), and the slope twice as large.
 *
 * Runs: dataSize 1..5, 320 particles each, 5 predicted MFPTs long (so that under 5% are censored and the
 * censored-exponential rate is not biased by an early transient: src/report/format.ts's short-run rule), at
 * T = 0.5 and T = 0.8, with different seeds (independent estimates). The file takes 25-60 s on 2 shared cores
 * (cpu backend; measured at load averages 4.5-7).
 */

const SIZES = [1, 2, 3, 4, 5];
const PARTICLES = 320;
const MFPTS = 5;
/**
 * Seeds of the T = 0.5 and T = 0.8 runs (dataSize n takes seed + n). Each assertion below is a 95% interval, so
 * a seed fails them now and then with the theory right: of four pairs tried, 3000/4000, 5000/6000 and
 * 7000/8000 pass; 1000/2000 fails (T = 0.8 slope -0.156 [-0.190, -0.121] misses the predicted -0.191 by
 * 0.001, T = 0.5's intercept 1.502 [1.386, 1.618] misses 1.339, and the two slopes differ by 0.069 against an
 * allowed 0.049). Over those eight fits the slopes average -0.193 (sd 0.020, the Poisson SE being 0.018)
 * against the predicted -0.1915: no sign of a bias. A new seed pair that fails once is no evidence of a bug;
 * one that fails the same check on several seeds is.
 */
const SEEDS = [3000, 4000];
const base = { neckWidth: 0.6, switchWidth: 0.25, particles: PARTICLES, dt: 0.0005 };

async function simulate(T: number, seed: number): Promise<{ group: FitGroup; summaries: Summary[] }> {
  const backend = await openBackend('cpu');
  const runs: { source: string; summary: Summary }[] = [];
  for (const n of SIZES) {
    const o = { ...base, temperature: T, dataSize: n, seed: seed + n };
    const tau = predict(resolveScenario('entropic-funnel', o))!.mfpt!;
    const s = resolveScenario('entropic-funnel', { ...o, steps: Math.ceil((MFPTS * tau) / o.dt) });
    const run = await runScenario(s, backend);
    const { summary } = await summarizeRun(s, run, predict(s));
    await run.sim.destroy();
    runs.push({ source: `T=${T} dataSize=${n}`, summary });
  }
  const report = fitRuns(runs, 'dataSize');
  expect(report.groups).toHaveLength(1);
  return { group: report.groups[0], summaries: runs.map((r) => r.summary) };
}

/** The predicted line over SIZES from the quadrature alone (equal exposures), at T with `bias`. */
const theoryLine = (T: number, bias: number) =>
  predictedLogTimeLine(
    SIZES.map((n) => ({
      x: n,
      mfpt: predict(resolveScenario('entropic-funnel', { ...base, temperature: T, dataSize: n, bias }))!.mfpt!,
    })),
  );

const halfWidth = (ci: [number, number]) => (ci[1] - ci[0]) / 2;

describe('data-size law on the entropic funnel: ln tau against dataSize', () => {
  const at: Record<string, { group: FitGroup; summaries: Summary[] }> = {};
  beforeAll(async () => {
    at.cold = await simulate(0.5, SEEDS[0]);
    at.hot = await simulate(0.8, SEEDS[1]);
    for (const [k, r] of Object.entries(at)) {
      const l = r.group.logTime!;
      console.log(
        `${k}: fitted slope ${l.slope.toFixed(4)} [${l.slopeCI95.map((v) => v.toFixed(4)).join(', ')}], intercept ${l.intercept.toFixed(3)} [${l.interceptCI95.map((v) => v.toFixed(3)).join(', ')}], deviance ${l.deviance.toFixed(2)} on ${l.dof} dof; predicted slope ${r.group.predictedSlope!.slope.toFixed(4)}, intercept ${r.group.predictedSlope!.intercept.toFixed(3)}; measured/predicted MFPT ${r.summaries.map((x) => (x.comparison.mfpt as number).toFixed(3)).join(' ')}`,
      );
    }
  }, 300_000);

  it.each(['cold', 'hot'])('%s: runs are long enough for an unbiased rate, and the interval is narrow', (k) => {
    const { group, summaries } = at[k];
    // Catches a run too short (steps from a wrong predicted MFPT, a changed dt): many censored particles and an
    // early transient that the exponential rate estimate mistakes for a slower rate.
    for (const s of summaries) {
      expect(shortRunWarning(s)).toBeNull();
      expect(s.escape!.events).toBeGreaterThanOrEqual(0.95 * PARTICLES);
    }
    // Catches a test too weak to mean anything (too few particles, or a slope near zero): the slope's 95%
    // interval must be narrower than +-25% of it, so that the checks below resolve errors of ~25% in the slope.
    const l = group.logTime!;
    expect(l.slope).toBeLessThan(0); // more data, faster escape
    expect(halfWidth(l.slopeCI95)).toBeLessThan(0.25 * Math.abs(l.slope));
  });

  it.each(['cold', 'hot'])("%s: the fitted slope's 95-percent interval holds the predicted slope", (k) => {
    const { group } = at[k];
    const l = group.logTime!;
    const p = group.predictedSlope!;
    expect(p.method).toMatch(/A\(s\) by quadrature/);
    // Catches (interval half-width ~0.035 on a slope of -0.19; the predicted slope moves by): theory and family
    // disagreeing on how many modes are stiff per data point (2 per dataSize: -0.31), on kappaHi (128 for 64:
    // -0.25) or on the switch width (0.05 in the theory for 0.25 in the family: -0.11), a missing 1/2 in
    // A(s) = V + (T/2) sum ln kappa_j (-0.36), and a wrong neck stiffness in the prediction at the edge of the
    // resolution (kappaNeck 16 or 64 for 32: -0.15, -0.23); also the adiabatic reduction failing (the sharp
    // switch, see the header: -0.09 measured against -0.11).
    expect(p.slope).toBeGreaterThan(l.slopeCI95[0]);
    expect(p.slope).toBeLessThan(l.slopeCI95[1]);
    // Catches a stiff mode miscounted by one between the family (squares y1..y_nc) and the theory (j < n_c),
    // which shifts ln tau by one step (~0.2) while leaving the slope nearly unchanged (-0.174 for -0.189):
    // the slope check above misses it, the intercept (half-width ~0.12) does not.
    expect(p.intercept).toBeGreaterThan(l.interceptCI95[0]);
    expect(p.intercept).toBeLessThan(l.interceptCI95[1]);
  });

  it('the fitted slopes at T = 0.5 and T = 0.8 agree within their intervals (no energy bias: A(s)/T is T-free)', () => {
    const [a, b] = [at.cold.group.logTime!, at.hot.group.logTime!];
    // Catches an energy term where the funnel has none (a neck or switch built into V(s) instead of into the
    // stiffnesses, a bias that is not zero): its contribution to ln tau scales as 1/T, so the slopes at two
    // temperatures 1.6x apart would differ. The difference of two independent estimates has SE
    // sqrt(se_a^2 + se_b^2) (different seeds, so independent).
    expect(Math.abs(a.slope - b.slope)).toBeLessThan(Z95 * Math.hypot(a.seSlope, b.seSlope));
    // And each is the same predicted slope (the runs' exposures weight the points slightly differently).
    expect(Math.abs(at.cold.group.predictedSlope!.slope - at.hot.group.predictedSlope!.slope)).toBeLessThan(0.01);
  });

  it('theory only: without a bias the predicted slope is the same at every temperature, with a bias it is not', () => {
    // Theory only: with bias 0.3 the predicted slopes at T = 0.5 and 0.8 differ by ~0.006, six times below the
    // simulated interval half-width; resolving it would take ~40x the particles (far beyond the time budget).
    const zero = [theoryLine(0.3, 0), theoryLine(0.5, 0), theoryLine(0.8, 0)];
    const biased = [theoryLine(0.3, 0.3), theoryLine(0.5, 0.3), theoryLine(0.8, 0.3)];
    // Numerical noise of the quadrature: the bias-0 slopes, equal in exact arithmetic (mfpt = f(A/T)/T, and
    // ln T drops out of the slope).
    const noise = Math.max(...zero.map((l) => Math.abs(l.slope - zero[1].slope)));
    // Catches T entering A(s)/T without an energy term (a (T/2) factor miscopied as 1/2, a T-dependent
    // stiffness): the bias-0 slopes would differ.
    expect(noise).toBeLessThan(1e-6);
    // Catches a theory that drops V(s) from A(s) (the biased slopes would be equal too) or flips its sign (with
    // bias -0.3 the order reverses: -0.167, -0.176, -0.181 at T = 0.3, 0.5, 0.8). With bias 0.3 they are
    // -0.2139, -0.2038, -0.1982: the bias raises the barrier by less with more data, and counts as bias/T.
    expect(Math.abs(biased[1].slope - biased[2].slope)).toBeGreaterThan(1000 * Math.max(noise, 1e-9));
    expect(biased[0].slope).toBeLessThan(biased[1].slope);
    expect(biased[1].slope).toBeLessThan(biased[2].slope);
  });
});

describe('fit --against: the predicted slope beside the fitted one', () => {
  /** The fields of summary.json that fitRuns reads. */
  const summary = (n: number, exposure: number, events: number, mfpt: number | null) =>
    ({
      scenario: 'entropic-funnel',
      parameters: { dataSize: n },
      temperature: 0.5,
      dt: 0.0005,
      escape: { events, exposure, rateCI95: [0, (events + 3.7) / exposure] },
      prediction: mfpt === null ? null : { method: 'exact test MFPTs', mfpt },
    }) as unknown as Summary;

  it('is the slope of ln mfpt where that is a line, whatever the exposures', () => {
    // Catches a predicted slope fitted to the wrong thing (ln rate instead of ln tau: the sign; the runs' own
    // MFPTs instead of the predictions; x from another parameter).
    const runs = [1, 2, 3, 4].map((n) => ({
      source: `n${n}`,
      summary: summary(n, 100 * n, 7 * n, Math.exp(1.5 - 0.3 * n)),
    }));
    const g = fitRuns(runs, 'dataSize').groups[0];
    expect(g.predictedSlope!.slope).toBeCloseTo(-0.3, 9);
    expect(g.predictedSlope!.intercept).toBeCloseTo(1.5, 9);
    expect(g.predictedSlope!.method).toBe('exact test MFPTs');
    expect(g.points.map((p) => p.predictedMfpt)).toEqual(runs.map((r) => r.summary.prediction!.mfpt));
  });

  it('is what the measured fit gives on the counts the predictions expect, where ln mfpt is curved', () => {
    // Catches a predicted slope weighted otherwise than the measured one (e.g. unweighted least squares on
    // ln mfpt): on a curved ln mfpt(x), as the funnel's is, the two lines differ and the comparison is biased.
    const mfpt = (n: number) => Math.exp(0.08 * n * n - 0.6 * n);
    const runs = [1, 2, 3, 5].map((n, i) => {
      const exposure = [50, 400, 90, 1000][i];
      return { source: `n${n}`, summary: summary(n, exposure, exposure / mfpt(n), mfpt(n)) };
    });
    const g = fitRuns(runs, 'dataSize').groups[0];
    expect(g.predictedSlope!.slope).toBeCloseTo(g.logTime!.slope, 9);
    expect(g.predictedSlope!.intercept).toBeCloseTo(g.logTime!.intercept, 9);
  });

  it('is null when a run of the group has no predicted MFPT', () => {
    // Catches a slope fitted through the runs that have predictions only (a line over other data sizes than
    // the fitted one's), or a crash on a summary without a prediction.
    const runs = [1, 2, 3].map((n) => ({ source: `n${n}`, summary: summary(n, 100, 30, n === 2 ? null : 3) }));
    const g = fitRuns(runs, 'dataSize').groups[0];
    expect(g.logTime).toBeDefined();
    expect(g.predictedSlope).toBeNull();
  });
});
