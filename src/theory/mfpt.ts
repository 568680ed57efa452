import { cumulative, gridMin, linspace } from './grid.js';

export interface Mfpt1dInput {
  U: (x: number) => number;
  T: number;
  x0: number;
  /** Absorbing point. */
  b: number;
  /** 'up' (default): reflecting at `lower`, absorbing at b > x0. 'down': reflecting at `upper`, absorbing at b < x0. */
  direction?: 'up' | 'down';
  lower?: number;
  upper?: number;
  /** Grid points (default 40001). */
  points?: number;
}

/**
 * Exact mean first-passage time of dx = -U'(x) dt + sqrt(2T) dW (diffusivity T):
 * tau = (1/T) ∫_{x0}^{b} dy e^{U(y)/T} ∫_{lower}^{y} dz e^{-U(z)/T}, evaluated on a fine grid with the
 * exponents shifted by min U so that barriers up to ~700 kT neither overflow nor underflow.
 */
export function mfpt1d(o: Mfpt1dInput): number {
  if (o.direction === 'down') {
    if (o.upper === undefined) throw new RangeError('mfpt1d: direction down needs `upper`');
    return mfpt1d({ U: (x) => o.U(-x), T: o.T, x0: -o.x0, b: -o.b, lower: -o.upper, points: o.points });
  }
  const { U, T, x0, b } = o;
  const lower = o.lower;
  if (lower === undefined)
    throw new RangeError('mfpt1d: needs `lower` (a reflecting wall, or a point far enough below the well)');
  if (!(lower <= x0 && x0 < b)) throw new RangeError(`mfpt1d: need lower <= x0 < b, got ${lower}, ${x0}, ${b}`);
  const { x, k0 } = gridThrough(lower, x0, b, o.points ?? 40001);
  const u = x.map(U);
  const ref = gridMin(U, lower, b);
  const inner = cumulative(
    x,
    u.map((v) => Math.exp(-(v - ref) / T)),
  );
  const xs = x.subarray(k0);
  const outer = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) outer[i] = Math.exp((u[k0 + i] - ref) / T) * inner[k0 + i];
  const tau = cumulative(xs, outer).at(-1)!;
  return tau / T;
}

/** A grid on [a, b] with x0 as a node, about `n` points, spacing about equal on both sides. */
function gridThrough(a: number, x0: number, b: number, n: number): { x: Float64Array; k0: number } {
  const n1 = x0 > a ? Math.max(2, Math.round((n * (x0 - a)) / (b - a))) : 1;
  const left = n1 > 1 ? linspace(a, x0, n1) : new Float64Array([x0]);
  const right = linspace(x0, b, Math.max(2, n - n1 + 1));
  const x = new Float64Array(left.length + right.length - 1);
  x.set(left);
  x.set(right.subarray(1), left.length);
  return { x, k0: left.length - 1 };
}

/**
 * Exact mean first-passage time out of (a, b), both ends absorbing (a target on either side of the start):
 * with psi = e^{U/T}, Phi(y) = ∫_a^y e^{-U/T}, tau(x0) = (1/T) [Psi(x0) ∫_a^b psi Phi / Psi(b) - ∫_a^{x0} psi Phi],
 * Psi(x) = ∫_a^x psi. Exponents are shifted by min U, as in mfpt1d.
 */
export function mfpt1dBetween(o: {
  U: (x: number) => number;
  T: number;
  x0: number;
  a: number;
  b: number;
  points?: number;
}): number {
  const { U, T, x0, a, b } = o;
  if (!(a < x0 && x0 < b)) throw new RangeError(`mfpt1dBetween: need a < x0 < b, got ${a}, ${x0}, ${b}`);
  const { x, k0 } = gridThrough(a, x0, b, o.points ?? 40001);
  const u = x.map(U);
  const ref = gridMin(U, a, b);
  const psi = u.map((v) => Math.exp((v - ref) / T));
  const Phi = cumulative(
    x,
    u.map((v) => Math.exp(-(v - ref) / T)),
  );
  const Psi = cumulative(x, psi);
  const psiPhi = cumulative(
    x,
    psi.map((p, i) => p * Phi[i]),
  );
  const n = x.length - 1;
  return (Psi[k0] * (psiPhi[n] / Psi[n]) - psiPhi[k0]) / T;
}
