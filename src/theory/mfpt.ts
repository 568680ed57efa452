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
  const n = o.points ?? 40001;
  // x0 is a grid node: n1 nodes on [lower, x0], the rest on [x0, b], spacing about equal
  const n1 = x0 > lower ? Math.max(2, Math.round((n * (x0 - lower)) / (b - lower))) : 1;
  const left = n1 > 1 ? linspace(lower, x0, n1) : new Float64Array([x0]);
  const right = linspace(x0, b, Math.max(2, n - n1 + 1));
  const x = new Float64Array(left.length + right.length - 1);
  x.set(left);
  x.set(right.subarray(1), left.length);
  const u = x.map(U);
  const ref = gridMin(U, lower, b);
  const inner = cumulative(
    x,
    u.map((v) => Math.exp(-(v - ref) / T)),
  );
  const k0 = left.length - 1;
  const xs = x.subarray(k0);
  const outer = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) outer[i] = Math.exp((u[k0 + i] - ref) / T) * inner[k0 + i];
  const tau = cumulative(xs, outer).at(-1)!;
  return tau / T;
}
