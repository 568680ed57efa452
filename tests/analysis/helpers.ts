/** Seeded samplers for the analysis tests. */
import seedrandom from 'seedrandom';
import { logGamma } from '../../src/math/special.js';

export type Rng = () => number;

export function rngFor(seed: string): Rng {
  const r = seedrandom(seed);
  // double() has 53 bits; 1 - u is in (0, 1].
  return () => 1 - r.double();
}

export function exponential(rng: Rng, rate: number): number {
  return -Math.log(rng()) / rate;
}

/** Poisson: multiplication method below 10, Hörmann's PTRS (as in NumPy) above. */
export function poisson(rng: Rng, lam: number): number {
  if (lam < 10) {
    const limit = Math.exp(-lam);
    let k = 0;
    let prod = rng();
    while (prod > limit) {
      k++;
      prod *= rng();
    }
    return k;
  }
  const slam = Math.sqrt(lam);
  const loglam = Math.log(lam);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = rng() - 0.5;
    const V = rng();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lam + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - logGamma(k + 1)) return k;
  }
}

/** n first-passage times: lag + Exp(rate); entries beyond `censor` stay as drawn (callers censor them). */
export function delayedExponentials(rng: Rng, n: number, rate: number, lag = 0): number[] {
  return Array.from({ length: n }, () => lag + exponential(rng, rate));
}

/** True when every number reachable in the value is finite (JSON-safe). */
export function allFinite(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(allFinite);
  if (v && typeof v === 'object') return Object.values(v).every(allFinite);
  return true;
}

export function meanSd(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, sd: Math.sqrt(v) };
}
