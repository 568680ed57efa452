import { describe, expect, it } from 'vitest';
import {
  equilibriumFractions1d,
  fickJacobsMfpt,
  findStationaryPoints,
  kramersRate,
  mfpt1d,
  mfpt1dBetween,
} from '../../src/theory/index.js';
import {
  funnelFreeEnergy,
  funnelPredictions,
  grokkingThreshold,
  type FunnelParams,
} from '../../src/landscape/families/funnel/theory.js';

describe('exact 1D mean first-passage time', () => {
  it('free diffusion from a reflecting wall: (b^2 - x0^2) / 2T', () => {
    for (const [x0, b, T] of [
      [0, 1, 0.5],
      [0.3, 2, 1.7],
      [0, 0.1, 0.01],
    ]) {
      expect(mfpt1d({ U: () => 0, T, x0, b, lower: 0 })).toBeCloseTo((b * b - x0 * x0) / (2 * T), 8);
    }
  });

  it('constant force F: (T/F^2)(e^{Fb/T} - 1) - b/F, and its mirror image', () => {
    const F = 0.8;
    const T = 0.3;
    const b = 1.2;
    const exact = (T / F ** 2) * (Math.exp((F * b) / T) - 1) - b / F;
    expect(mfpt1d({ U: (x) => F * x, T, x0: 0, b, lower: 0 }) / exact).toBeCloseTo(1, 7);
    expect(mfpt1d({ U: (x) => -F * x, T, x0: 0, b: -b, upper: 0, direction: 'down' }) / exact).toBeCloseTo(1, 7);
  });

  it('does not overflow for a 300 kT barrier and agrees with Kramers there to O(T/dU)', () => {
    const U = (x: number) => (x * x - 1) ** 2;
    const T = 1 / 300;
    const tau = mfpt1d({ U, T, x0: -1, b: 1, lower: -2, points: 400001 });
    expect(Number.isFinite(tau)).toBe(true);
    const k = kramersRate({ U, T, well: -1, saddle: 0 });
    // the exact time to reach the other well is the Kramers time (1/k) up to O(T/dU) = 0.3%
    expect(Math.abs(tau * k - 1)).toBeLessThan(0.02);
  });
});

describe('exact 1D MFPT out of an interval absorbing at both ends', () => {
  it('free diffusion: (x0 - a)(b - x0) / 2T', () => {
    for (const [a, x0, b, T] of [
      [-1, 0.5, 2, 0.5],
      [0, 0.01, 1, 3],
    ]) {
      expect(mfpt1dBetween({ U: () => 0, T, x0, a, b })).toBeCloseTo(((x0 - a) * (b - x0)) / (2 * T), 8);
    }
  });

  it('a symmetric well from its centre equals the one-sided time with a reflecting wall at the centre', () => {
    const U = (x: number) => x * x;
    const T = 0.25;
    const both = mfpt1dBetween({ U, T, x0: 0, a: -1, b: 1 });
    expect(both / mfpt1d({ U, T, x0: 0, b: 1, lower: 0 })).toBeCloseTo(1, 7);
  });
});

describe('equilibrium fractions', () => {
  it('harmonic well against the error function', () => {
    const f = equilibriumFractions1d({
      U: (x) => (x * x) / 2,
      T: 1,
      lower: -12,
      upper: 12,
      classify: (x) => (x > 1 ? 'right' : x < -0.5 ? 'left' : 'mid'),
      regionNames: ['left', 'mid', 'right'],
    });
    expect(f.right).toBeCloseTo(0.15865525393145707, 9);
    expect(f.left).toBeCloseTo(0.3085375387259869, 9);
    expect(f.left + f.mid + f.right).toBeCloseTo(1, 12);
  });
});

describe('stationary points and Kramers', () => {
  it('finds the wells and the saddle of the double well', () => {
    const { minima, maxima } = findStationaryPoints((x) => (x * x - 1) ** 2, -2, 2);
    expect(minima.map((m) => Number(m.toFixed(6)))).toEqual([-1, 1]);
    expect(maxima.map((m) => Math.abs(Number(m.toFixed(6))))).toEqual([0]);
  });
});

describe('Fick-Jacobs', () => {
  it('a channel of constant width is free diffusion', () => {
    expect(fickJacobsMfpt({ width: () => 2, T: 0.5, xL: 0, x0: 0.2, xR: 1, diffusivity: 'reguera-rubi' })).toBeCloseTo(
      (1 - 0.04) / (2 * 0.5),
      7,
    );
  });
});

describe('entropic funnel', () => {
  const base: FunnelParams = {
    modes: 8,
    stiffModes: 4,
    kappaLo: 4,
    kappaHi: 16,
    kappaNeck: 4,
    neckWidth: 0.1,
    switchWidth: 1e-4,
    sMin: -1,
    sMax: 1,
    bias: 0,
  };
  it('sharp switch, no neck: p_gen / p_mem = (L_gen / L_mem) (kappaHi/kappaLo)^(n_c/2)', () => {
    for (const nc of [0, 2, 4, 6]) {
      const f = funnelPredictions(
        { ...base, stiffModes: nc },
        0.5,
        { memorizing: [-1, 0], generalizing: [0, 1] },
        -0.5,
      ).fractions;
      // switchWidth 1e-4 smooths the step over ~1e-4 of the unit-length sides: relative error ~1e-3
      expect(Math.abs(f.generalizing / f.memorizing / 4 ** (nc / 2) - 1)).toBeLessThan(2e-3);
    }
  });

  it('the entropic barrier is proportional to T (zero enthalpy)', () => {
    const p = { ...base, kappaNeck: 8, switchWidth: 0.05, neckWidth: 0.2 };
    const r = { memorizing: [-1, -0.3] as [number, number], generalizing: [0.3, 1] as [number, number] };
    const b1 = funnelPredictions(p, 0.2, r, -0.6).barrier;
    const b2 = funnelPredictions(p, 0.4, r, -0.6).barrier;
    expect(b2 / b1).toBeCloseTo(2, 9);
    expect(funnelFreeEnergy(0, 2, p) - funnelFreeEnergy(-0.6, 2, p)).toBeCloseTo(
      2 * (funnelFreeEnergy(0, 1, p) - funnelFreeEnergy(-0.6, 1, p)),
      9,
    );
  });

  it('the threshold data size is where the equilibrium switches sides', () => {
    const p = { ...base, bias: 1, switchWidth: 0.05 };
    const r = { memorizing: [-1, -0.3] as [number, number], generalizing: [0.3, 1] as [number, number] };
    const t = grokkingThreshold(p, 0.5, r);
    expect(t.threshold).not.toBeNull();
    const n = Math.floor(t.threshold!);
    expect(t.fractionsByDataSize[n].memorizing).toBeGreaterThan(t.fractionsByDataSize[n].generalizing);
    expect(t.fractionsByDataSize[n + 1].generalizing).toBeGreaterThan(t.fractionsByDataSize[n + 1].memorizing);
  });
});
