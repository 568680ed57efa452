/** Grid integration helpers: composite trapezoid on fine uniform grids, accurate to O(h^2) for smooth integrands. */

export function linspace(a: number, b: number, n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = a + ((b - a) * i) / (n - 1);
  return x;
}

/** Cumulative integral of y over x (trapezoid), starting at 0. */
export function cumulative(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 1; i < x.length; i++) out[i] = out[i - 1] + 0.5 * (x[i] - x[i - 1]) * (y[i] + y[i - 1]);
  return out;
}

/** Composite Simpson rule of f on [a, b] with n (even) intervals. */
export function simpson(f: (x: number) => number, a: number, b: number, n = 2000): number {
  const m = n % 2 === 0 ? n : n + 1;
  const h = (b - a) / m;
  let s = f(a) + f(b);
  for (let i = 1; i < m; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

/** Minimum of f on a grid of [a, b]. */
export function gridMin(f: (x: number) => number, a: number, b: number, n = 4001): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) m = Math.min(m, f(a + ((b - a) * i) / (n - 1)));
  return m;
}
