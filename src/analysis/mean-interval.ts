/** The mean of `xs`, or null when there are none. */
export const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** A mean with its normal 95% interval over independent values; the interval is null below two values. */
export type MeanInterval = { mean: number | null; lo: number | null; hi: number | null; n: number };

/** mean +- 1.96 sd / sqrt(n) over independent values (particles, networks, sets). */
export function meanInterval(xs: number[]): MeanInterval {
  const m = mean(xs);
  if (m === null) return { mean: null, lo: null, hi: null, n: 0 };
  if (xs.length < 2) return { mean: m, lo: null, hi: null, n: xs.length };
  const sd = Math.sqrt(xs.reduce((a, v) => a + (v - m) ** 2, 0) / (xs.length - 1));
  const h = (1.96 * sd) / Math.sqrt(xs.length);
  return { mean: m, lo: m - h, hi: m + h, n: xs.length };
}
