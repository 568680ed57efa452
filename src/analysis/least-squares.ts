/**
 * P(|T| < t) for Student's t with an integer number of degrees of freedom, exactly (Abramowitz & Stegun
 * 26.7.3-4: a finite series in theta = atan(t / sqrt(dof))).
 */
export function studentTCentral(t: number, dof: number): number {
  if (!Number.isInteger(dof) || dof < 1)
    throw new RangeError(`studentTCentral: dof must be a positive integer, got ${dof}`);
  const theta = Math.atan(Math.abs(t) / Math.sqrt(dof));
  const c2 = Math.cos(theta) ** 2;
  const s = Math.sin(theta);
  let sum = 1;
  let term = 1;
  if (dof % 2 === 1) {
    if (dof === 1) return (2 * theta) / Math.PI;
    for (let k = 2; k <= dof - 3; k += 2) {
      term *= (k / (k + 1)) * c2;
      sum += term;
    }
    return (2 / Math.PI) * (theta + s * Math.cos(theta) * sum);
  }
  for (let k = 1; k <= dof - 3; k += 2) {
    term *= (k / (k + 1)) * c2;
    sum += term;
  }
  return s * sum;
}

/** The t with P(|T| < t) = level (two-sided), by bisection on the exact distribution. */
export function studentTQuantile(level: number, dof: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`studentTQuantile: level must be in (0, 1), got ${level}`);
  let lo = 0;
  let hi = 1;
  while (studentTCentral(hi, dof) < level) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCentral(mid, dof) < level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface LineFit {
  slope: number;
  /** 95% interval of the slope (Student's t, n - 2 degrees of freedom). */
  slopeCI95: [number, number];
  intercept: number;
  n: number;
  /** The means of x and y, through which the line passes. */
  centre: { x: number; y: number };
  /** The fitted line at x with the 95% interval of its mean there. */
  at(x: number): { fit: number; lo: number; hi: number };
}

/** Ordinary least squares of y on x, for points whose y scatter is the only error (at least 3 points). */
export function leastSquaresLine(points: { x: number; y: number }[]): LineFit {
  const n = points.length;
  if (n < 3) throw new RangeError(`leastSquaresLine: needs at least 3 points, got ${n}`);
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  if (!(sxx > 0)) throw new RangeError('leastSquaresLine: the x values are all equal');
  const slope = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
  const intercept = my - slope * mx;
  const s2 = points.reduce((a, p) => a + (p.y - intercept - slope * p.x) ** 2, 0) / (n - 2);
  const t = studentTQuantile(0.95, n - 2);
  const h = t * Math.sqrt(s2 / sxx);
  return {
    slope,
    slopeCI95: [slope - h, slope + h],
    intercept,
    n,
    centre: { x: mx, y: my },
    at(x) {
      const fit = intercept + slope * x;
      const half = t * Math.sqrt(s2 * (1 / n + (x - mx) ** 2 / sxx));
      return { fit, lo: fit - half, hi: fit + half };
    },
  };
}
