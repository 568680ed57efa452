import { compileEvaluator, derivative } from '../formula/index.js';
import type { Scenario } from './scenario.js';

/**
 * An estimate of the largest stable Euler step, 2 / max curvature, from the diagonal of the Hessian
 * (derived symbolically) at the start point and at up to 256 sampled particle positions.
 * Euler-Maruyama on a harmonic mode of stiffness k is stable for dt < 2/k; accuracy needs dt << 1/k.
 */
export function stableStepEstimate(s: Scenario, positions: Float32Array[] | null): number | null {
  if (s.kind === 'model') return null; // no formula to differentiate: the caller's advice falls back to "lower dt"
  const coords = s.layout.coordinates;
  const curvature = coords.map((c, i) => compileEvaluator(derivative(s.gradient[i], c), coords, s.parameters));
  const points: number[][] = [s.start];
  if (positions) {
    const P = positions[0]?.length ?? 0;
    const stride = Math.max(1, Math.floor(P / 256));
    for (let p = 0; p < P; p += stride) {
      const x = positions.map((row) => row[p]);
      if (x.every(Number.isFinite)) points.push(x);
    }
  }
  let kMax = 0;
  for (const x of points) {
    for (const f of curvature) {
      const k = f(x);
      if (Number.isFinite(k)) kMax = Math.max(kMax, Math.abs(k));
    }
  }
  return kMax > 0 ? 2 / kMax : null;
}
