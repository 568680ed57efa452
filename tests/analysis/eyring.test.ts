import { describe, expect, it } from 'vitest';
import { arrheniusFit, eyringFit, logTimeSlope } from '../../src/analysis/eyring.js';
import { exposureFrom } from '../../src/analysis/censored.js';
import { AnalysisError } from '../../src/analysis/errors.js';
import { allFinite, meanSd, poisson, rngFor } from './helpers.js';

const TEMPS = [0.5, 0.6, 0.75, 0.9, 1.1, 1.4];
const DH = 2;
const DS = -1;
// k = T exp(dS - dH/T) (nu0 = 1): 0.0034 at T = 0.5 to 0.12 at T = 1.4; exposure 1e5 gives 337..12300 events.
const eyringRate = (T: number) => T * Math.exp(DS - DH / T);
const EXPOSURE = 1e5;

function eyringSample(seed: string) {
  const rng = rngFor(seed);
  return TEMPS.map((T) => ({ temperature: T, events: poisson(rng, EXPOSURE * eyringRate(T)), exposure: EXPOSURE }));
}

describe('Poisson sampler used below', () => {
  it('has Poisson mean and variance', () => {
    // 20000 draws at lambda = 500: SE of the mean 0.16, SE of the variance ~ 500*sqrt(2/20000) = 5.
    const rng = rngFor('ptrs-check');
    const xs = Array.from({ length: 20000 }, () => poisson(rng, 500));
    const { mean, sd } = meanSd(xs);
    expect(Math.abs(mean - 500)).toBeLessThan(4 * 0.16);
    expect(Math.abs(sd * sd - 500)).toBeLessThan(4 * 5.1);
  });
});

describe('eyringFit', () => {
  it('recovers dH and dS within 3 SE and is JSON-safe', () => {
    const f = eyringFit(eyringSample('eyring-one'));
    expect(f.converged).toBe(true);
    expect(Math.abs(f.deltaH - DH)).toBeLessThan(3 * f.seDeltaH);
    expect(Math.abs(f.deltaS - DS)).toBeLessThan(3 * f.seDeltaS);
    expect(f.dof).toBe(4);
    expect(f.centre).toBeCloseTo(TEMPS.reduce((s, T) => s + 1 / T, 0) / TEMPS.length, 14);
    expect(f.residuals).toHaveLength(6);
    expect(f.residuals[0].temperature).toBe(0.5);
    // Poisson score equation for the intercept: fitted counts sum to the observed total.
    const obs = f.residuals.reduce((s, r) => s + r.events, 0);
    const exp = f.residuals.reduce((s, r) => s + r.expected, 0);
    expect(exp).toBeCloseTo(obs, 6);
    expect(f.convention).toMatch(/nu0 = 1/);
    expect(allFinite(f)).toBe(true);
  });

  it('CIs cover the truth in 92-98% of 500 seeded fits; SEs and correlation match the scatter', () => {
    // Coverage SE at n = 500 is sqrt(0.95*0.05/500) = 0.97%: 92-98% is about +-3 SE.
    const reps = 500;
    let coverH = 0;
    let coverS = 0;
    const hs: number[] = [];
    const ss: number[] = [];
    let seH = 0;
    let seS = 0;
    let corr = 0;
    for (let r = 0; r < reps; r++) {
      const f = eyringFit(eyringSample(`eyring-coverage-${r}`));
      if (f.deltaHCI95[0] <= DH && DH <= f.deltaHCI95[1]) coverH++;
      if (f.deltaSCI95[0] <= DS && DS <= f.deltaSCI95[1]) coverS++;
      hs.push(f.deltaH);
      ss.push(f.deltaS);
      seH += f.seDeltaH / reps;
      seS += f.seDeltaS / reps;
      corr += f.correlation / reps;
    }
    expect(coverH / reps).toBeGreaterThanOrEqual(0.92);
    expect(coverH / reps).toBeLessThanOrEqual(0.98);
    expect(coverS / reps).toBeGreaterThanOrEqual(0.92);
    expect(coverS / reps).toBeLessThanOrEqual(0.98);
    // Empirical SD over 500 fits has relative SE 1/sqrt(2*499) = 3.2%: allow 4 SE (13%).
    const h = meanSd(hs);
    const s = meanSd(ss);
    expect(Math.abs(h.sd / seH - 1)).toBeLessThan(0.13);
    expect(Math.abs(s.sd / seS - 1)).toBeLessThan(0.13);
    // Mean estimates unbiased within 4 SE of the mean (SE = sd/sqrt(500)).
    expect(Math.abs(h.mean - DH)).toBeLessThan((4 * h.sd) / Math.sqrt(reps));
    expect(Math.abs(s.mean - DS)).toBeLessThan((4 * s.sd) / Math.sqrt(reps));
    // Reported correlation vs the sample correlation of (dH, dS): SE of a sample correlation ~ (1 - rho^2)/sqrt(n).
    let cov = 0;
    for (let r = 0; r < reps; r++) cov += ((hs[r] - h.mean) * (ss[r] - s.mean)) / (reps - 1);
    const empirical = cov / (h.sd * s.sd);
    expect(Math.abs(empirical - corr)).toBeLessThan((4 * (1 - corr * corr)) / Math.sqrt(reps) + 0.01);
  });

  it('attempt frequency shifts dS by -ln nu0 and nothing else', () => {
    const pts = eyringSample('eyring-nu0');
    const a = eyringFit(pts);
    const b = eyringFit(pts, { attemptFrequency: 1e3 });
    expect(b.deltaH).toBeCloseTo(a.deltaH, 9);
    expect(b.deltaS).toBeCloseTo(a.deltaS - Math.log(1e3), 9);
    expect(b.seDeltaS).toBeCloseTo(a.seDeltaS, 9);
  });

  it('works from censored particle data (events, exposure) with an entropic barrier (dH = 0)', () => {
    // k = T exp(dS), dS = -3: dH = 0 as for a purely entropic barrier. 3000 particles per T, Tobs = 100.
    const rng = rngFor('eyring-particles');
    const pts = TEMPS.map((T) => {
      const k = T * Math.exp(-3);
      const times = Array.from({ length: 3000 }, () => -Math.log(rng()) / k);
      const { events, exposure } = exposureFrom(times, 100);
      return { temperature: T, events, exposure };
    });
    const f = eyringFit(pts);
    expect(Math.abs(f.deltaH)).toBeLessThan(3 * f.seDeltaH);
    expect(Math.abs(f.deltaS + 3)).toBeLessThan(3 * f.seDeltaS);
  });

  it('throws AnalysisError on unusable input', () => {
    const ok = { temperature: 1, events: 10, exposure: 100 };
    expect(() => eyringFit([ok, { ...ok }])).toThrow(/two distinct temperature/);
    expect(() =>
      eyringFit([
        { ...ok, events: 0 },
        { ...ok, temperature: 2, events: 0 },
      ]),
    ).toThrow(/all event counts are zero/);
    expect(() => eyringFit([ok, { ...ok, temperature: 2, exposure: 0 }])).toThrow(/exposure must be positive/);
    expect(() => eyringFit([ok, { ...ok, temperature: -2 }])).toThrow(/temperature must be positive/);
    expect(() => eyringFit([ok, { ...ok, temperature: 2, events: 0 }])).toThrow(AnalysisError);
    expect(() => eyringFit([ok, { ...ok, temperature: 2 }], { attemptFrequency: 0 })).toThrow(AnalysisError);
  });
});

describe('arrheniusFit', () => {
  it('recovers Ea and ln A; coverage over 300 seeded fits', () => {
    // ln k = 2 - 3/T over T in 0.5..1.4: k from 0.0185 to 0.87; exposure 2e4.
    const EA = 3;
    const LNA = 2;
    const reps = 300;
    let cover = 0;
    let coverA = 0;
    for (let r = 0; r < reps; r++) {
      const rng = rngFor(`arrhenius-${r}`);
      const pts = TEMPS.map((T) => ({
        temperature: T,
        events: poisson(rng, 2e4 * Math.exp(LNA - EA / T)),
        exposure: 2e4,
      }));
      const f = arrheniusFit(pts);
      if (r === 0) {
        expect(Math.abs(f.activationEnergy - EA)).toBeLessThan(3 * f.seActivationEnergy);
        expect(Math.abs(f.lnPrefactor - LNA)).toBeLessThan(3 * f.seLnPrefactor);
        expect(allFinite(f)).toBe(true);
      }
      if (f.activationEnergyCI95[0] <= EA && EA <= f.activationEnergyCI95[1]) cover++;
      if (f.lnPrefactorCI95[0] <= LNA && LNA <= f.lnPrefactorCI95[1]) coverA++;
    }
    // SE of coverage at n = 300: 1.26%; 91-99% is about +-3 SE.
    for (const c of [cover / reps, coverA / reps]) {
      expect(c).toBeGreaterThanOrEqual(0.91);
      expect(c).toBeLessThanOrEqual(0.99);
    }
  });

  it('Eyring and Arrhenius agree on the curvature they can see: Ea = dH + mean T roughly', () => {
    // Exact Eyring data; ln k = ln T + dS - dH/T, so d ln k / d(1/T) = -dH - T: the Arrhenius slope lies
    // between dH + min T and dH + max T.
    const pts = TEMPS.map((T) => ({ temperature: T, events: 1e6 * eyringRate(T), exposure: 1e6 }));
    const a = arrheniusFit(pts);
    const e = eyringFit(pts);
    expect(e.deltaH).toBeCloseTo(DH, 8);
    expect(e.deltaS).toBeCloseTo(DS, 8);
    expect(a.activationEnergy).toBeGreaterThan(DH + 0.5);
    expect(a.activationEnergy).toBeLessThan(DH + 1.4);
  });
});

describe('logTimeSlope', () => {
  it('recovers the slope of ln tau in x; coverage over 300 seeded fits', () => {
    // ln tau = 1 + 0.05 x, x = data size 10..60: tau from 4.5 to 54.6; exposure 1e4 per point.
    const xs = [10, 20, 30, 40, 50, 60];
    const reps = 300;
    let cover = 0;
    let coverI = 0;
    for (let r = 0; r < reps; r++) {
      const rng = rngFor(`logtime-${r}`);
      const pts = xs.map((x) => ({ x, events: poisson(rng, 1e4 * Math.exp(-(1 + 0.05 * x))), exposure: 1e4 }));
      const f = logTimeSlope(pts);
      if (r === 0) {
        expect(Math.abs(f.slope - 0.05)).toBeLessThan(3 * f.seSlope);
        expect(Math.abs(f.intercept - 1)).toBeLessThan(3 * f.seIntercept);
        expect(f.residuals.map((q) => q.x)).toEqual(xs);
        expect(f.centre).toBe(35);
      }
      if (f.slopeCI95[0] <= 0.05 && 0.05 <= f.slopeCI95[1]) cover++;
      if (f.interceptCI95[0] <= 1 && 1 <= f.interceptCI95[1]) coverI++;
    }
    for (const c of [cover / reps, coverI / reps]) {
      expect(c).toBeGreaterThanOrEqual(0.91);
      expect(c).toBeLessThanOrEqual(0.99);
    }
  });

  it('exact data give the exact line; bad input throws', () => {
    const pts = [1, 2, 4].map((x) => ({ x, events: 1000 * Math.exp(0.3 - 0.7 * x), exposure: 1000 }));
    const f = logTimeSlope(pts);
    expect(f.slope).toBeCloseTo(0.7, 9);
    expect(f.intercept).toBeCloseTo(-0.3, 9);
    expect(() => logTimeSlope([{ x: 1, events: 3, exposure: 1 }])).toThrow(/two distinct x/);
    expect(() =>
      logTimeSlope([
        { x: 1, events: 3, exposure: 1 },
        { x: 2, events: 3, exposure: -1 },
      ]),
    ).toThrow(AnalysisError);
  });
});
