import { describe, expect, it } from 'vitest';
import { censoredExponential, exposureFrom } from '../../src/analysis/censored.js';
import { AnalysisError } from '../../src/analysis/errors.js';
import { allFinite, rngFor } from './helpers.js';

describe('censoredExponential', () => {
  it('zero events: rate 0, upper bound chi2_0.975(2)/(2E), JSON-safe', () => {
    const E = 250;
    const r = censoredExponential(0, E);
    expect(r.rate).toBe(0);
    expect(r.rateCI95[0]).toBe(0);
    // chi2_0.975(2)/2 = -ln(0.025) = 3.6888794541139354 (SciPy).
    expect(r.rateCI95[1] * E).toBeCloseTo(3.6888794541139354, 12);
    expect(r.upperBoundOnly).toBe(true);
    expect(r.mfpt).toBeNull();
    expect(r.mfptCI95[0]).toBeCloseTo(E / 3.6888794541139354, 9);
    expect(r.mfptCI95[1]).toBeNull();
    const json = JSON.stringify(r);
    expect(json).not.toMatch(/NaN|Infinity/);
    // Round trip is exact only when nothing was NaN/Infinity (those would come back as null).
    expect(JSON.parse(json)).toEqual(r);
    expect(allFinite(r)).toBe(true);
  });

  it('exact chi-square interval for d = 10, E = 5', () => {
    const r = censoredExponential(10, 5);
    expect(r.rate).toBe(2);
    // SciPy: chi2.ppf(0.025, 20)/10 and chi2.ppf(0.975, 22)/10.
    expect(r.rateCI95[0]).toBeCloseTo(0.9590777392264866, 12);
    expect(r.rateCI95[1]).toBeCloseTo(3.678071208403556, 12);
    expect(r.mfpt).toBe(0.5);
    expect(r.mfptCI95[0]).toBeCloseTo(1 / 3.678071208403556, 12);
    expect(r.mfptCI95[1]).toBeCloseTo(1 / 0.9590777392264866, 12);
    expect(r.upperBoundOnly).toBe(false);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('stays accurate at very large counts', () => {
    // SciPy: chi2.ppf(0.025, 2e7)/2e7 and chi2.ppf(0.975, 2e7 + 2)/2e7.
    const r = censoredExponential(1e7, 1e7);
    expect(Math.abs(r.rateCI95[0] / 0.9993802996884268 - 1)).toBeLessThan(1e-10);
    expect(Math.abs(r.rateCI95[1] / 1.0006199897731498 - 1)).toBeLessThan(1e-10);
  });

  it('rejects bad input', () => {
    expect(() => censoredExponential(-1, 1)).toThrow(AnalysisError);
    expect(() => censoredExponential(1.5, 1)).toThrow(AnalysisError);
    expect(() => censoredExponential(3, 0)).toThrow(AnalysisError);
    expect(() => censoredExponential(3, Infinity)).toThrow(AnalysisError);
  });

  it('95% interval covers the true rate in 93-97% of 2000 seeded repetitions', () => {
    // 400 particles, rate 1, censored at 1.5 (~311 escapes each). Binomial SE of the coverage at n = 2000
    // is sqrt(0.95 * 0.05 / 2000) = 0.49%, so 93-97% is +-4 SE around 95%.
    const rng = rngFor('censored-coverage');
    const reps = 2000;
    const n = 400;
    const tobs = 1.5;
    let covered = 0;
    let below = 0;
    const times = new Float64Array(n);
    for (let r = 0; r < reps; r++) {
      for (let i = 0; i < n; i++) times[i] = -Math.log(rng());
      const { events, exposure } = exposureFrom(times, tobs);
      const est = censoredExponential(events, exposure);
      if (est.rateCI95[0] <= 1 && 1 <= est.rateCI95[1]) covered++;
      else if (est.rateCI95[1] < 1) below++;
    }
    const coverage = covered / reps;
    expect(coverage).toBeGreaterThanOrEqual(0.93);
    expect(coverage).toBeLessThanOrEqual(0.97);
    // Central interval: misses split between the two sides (each ~2.5%, SE 0.35%; +-4 SE).
    expect(below / reps).toBeGreaterThan(0.011);
    expect(below / reps).toBeLessThan(0.039);
  });
});

describe('exposureFrom', () => {
  it('counts events and exposure, with censoring and no lag', () => {
    // Escapes at 1 and 2; particle 3 censored (time 7 > Tobs 5); particle 4 never escaped (Infinity).
    const e = exposureFrom([1, 2, 7, Infinity], 5);
    expect(e).toEqual({ events: 2, exposure: 1 + 2 + 5 + 5, atRisk: 4, excluded: 0 });
  });

  it('a lag excludes particles that escaped before it and counts time after it only', () => {
    const e = exposureFrom([0.5, 1, 2, 7], 5, 1);
    // 0.5 and 1 escaped at or before the lag: out. 2 -> (1, event); 7 censored at 5 -> 4.
    expect(e).toEqual({ events: 1, exposure: 5, atRisk: 2, excluded: 2 });
  });

  it('nParticles adds never-escaped particles censored at Tobs', () => {
    const e = exposureFrom([1, 3], 4, 0.5, 5);
    expect(e).toEqual({ events: 2, exposure: 0.5 + 2.5 + 3 * 3.5, atRisk: 5, excluded: 0 });
  });

  it('dt counts each event to the middle of its last monitoring interval', () => {
    const e = exposureFrom([1, 2], 4, 0, 3, 0.5);
    expect(e).toEqual({ events: 2, exposure: 1 + 2 + 4 - 2 * 0.25, atRisk: 3, excluded: 0 });
  });

  it('per-particle censor times', () => {
    const e = exposureFrom([1, 9, NaN], [2, 3, 4]);
    expect(e).toEqual({ events: 1, exposure: 1 + 3 + 4, atRisk: 3, excluded: 0 });
  });

  it('rejects inconsistent input', () => {
    expect(() => exposureFrom([1, 2], 3, 0, 1)).toThrow(AnalysisError);
    expect(() => exposureFrom([1, 2], [3])).toThrow(AnalysisError);
    expect(() => exposureFrom([1], 3, -1)).toThrow(AnalysisError);
    expect(() => exposureFrom([-1], 3)).toThrow(AnalysisError);
    expect(() => exposureFrom([1], 3, 0, 1, -0.1)).toThrow(AnalysisError);
  });
});
