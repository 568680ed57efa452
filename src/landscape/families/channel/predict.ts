import { equilibriumFractions1d, fickJacobsMfpt } from '../../../theory/index.js';
import { classifier, regionsUseOnly, targetBoundary } from '../../regions-1d.js';
import type { Prediction } from '../../prediction.js';
import { type FormulaScenario as Scenario, OTHER_REGION } from '../../scenario.js';

/** Fick-Jacobs along the channel's axis: the width profile sets the entropy. */
export function predictChannel(s: Scenario): Prediction | null {
  if (!s.escape || !regionsUseOnly(s, 0)) return null;
  const p = s.parameters;
  const T = s.temperature;
  // Effective width of the Gaussian transverse density: ∫ exp(-stiffness y^2 / (2 T w^2)) dy = w sqrt(2 pi T / stiffness)
  const halfWidth = (x: number) => p.width * (1 - (1 - p.neck) * Math.exp(-(x * x) / (2 * p.neckLength ** 2)));
  const width = (x: number) => halfWidth(x) * Math.sqrt((2 * Math.PI * T) / p.stiffness);
  const classify = classifier(
    s,
    0,
    s.start.map(() => 0),
  );
  const regionNames = [...s.regions.map((r) => r.name), OTHER_REGION];
  // p(x) is proportional to w(x) exactly: the free energy along x is A(x) = -T ln w(x)
  const U = (x: number) => -T * Math.log(width(x));
  const populations = equilibriumFractions1d({ U, T, lower: -p.length, upper: p.length, classify, regionNames });
  const edge = targetBoundary(classify, s.escape.to, s.start[0], -p.length, p.length);
  const mfpt = edge?.up
    ? fickJacobsMfpt({ width, T, xL: -p.length, x0: s.start[0], xR: edge.b, diffusivity: 'reguera-rubi' })
    : null;
  return {
    method: 'exact p(x) ∝ w(x) by quadrature; Fick-Jacobs MFPT with Reguera-Rubi diffusivity',
    populations,
    mfpt,
    kramers: null,
    notes: [
      'Fick-Jacobs is derived for hard walls and slowly varying width; with harmonic confinement it is an approximation',
    ],
  };
}
