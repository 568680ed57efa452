import { cumulative, linspace } from './grid.js';

export type Diffusivity = 'reguera-rubi' | 'zwanzig' | 'none';

const H = 1e-5;

/**
 * Fick-Jacobs mean first-passage time along a 2D channel of full width W(x), reflecting at xL, absorbing
 * at xR: tau = ∫_{x0}^{xR} dx [1/(D(x) W(x))] ∫_{xL}^{x} W(y) dy, with D(x) = T / (1 + W'^2/4)^(1/3)
 * (Reguera-Rubi), T / (1 + W'^2/12) (Zwanzig, small slopes) or T.
 */
export function fickJacobsMfpt(o: {
  width: (x: number) => number;
  T: number;
  xL: number;
  x0: number;
  xR: number;
  diffusivity: Diffusivity;
  points?: number;
}): number {
  const { width, T, xL, x0, xR } = o;
  if (!(xL <= x0 && x0 < xR)) throw new RangeError(`fickJacobsMfpt: need xL <= x0 < xR, got ${xL}, ${x0}, ${xR}`);
  const D = (x: number) => {
    const w1 = (width(x + H) - width(x - H)) / (2 * H);
    if (o.diffusivity === 'reguera-rubi') return T / Math.cbrt(1 + (w1 * w1) / 4);
    if (o.diffusivity === 'zwanzig') return T / (1 + (w1 * w1) / 12);
    return T;
  };
  const x = linspace(xL, xR, o.points ?? 40001);
  const inner = cumulative(x, x.map(width));
  const f = x.map((xi, i) => (xi < x0 ? 0 : inner[i] / (D(xi) * width(xi))));
  // start exactly at x0 by integrating the piecewise-linear f from x0
  let tau = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i] <= x0) continue;
    const a = Math.max(x[i - 1], x0);
    const fa = x[i - 1] >= x0 ? f[i - 1] : inner[i] / (D(a) * width(a));
    tau += 0.5 * (x[i] - a) * (fa + f[i]);
  }
  return tau;
}
