import type { Family } from '../../family.js';
import { requireRange } from '../../family.js';
import { predictChannel } from './predict.js';

/**
 * A 2D channel along x with transverse confinement
 * U = stiffness y^2 / (2 w(x)^2) with half-width profile w(x) = width (1 - (1 - neck) exp(-x^2 / (2 neckLength^2))):
 * at equilibrium p(x) is proportional to w(x) exactly, so the bottleneck at x = 0 is a purely entropic barrier
 * (Fick-Jacobs: A(x) = -T ln w(x)). Reflecting walls at x = +-length.
 */
export const entropicChannel: Family = {
  name: 'entropic-channel',
  summary: '2D channel with a bottleneck: purely entropic barrier (Fick-Jacobs)',
  defaults: { width: 1, neck: 0.1, neckLength: 0.3, length: 1.5, stiffness: 1 },
  predict: predictChannel,
  build(p) {
    requireRange(p, 'width', 1e-6, 1e6);
    requireRange(p, 'neck', 1e-6, 1);
    requireRange(p, 'neckLength', 1e-6, 1e6);
    requireRange(p, 'length', 1e-6, 1e6);
    requireRange(p, 'stiffness', 1e-9, 1e9);
    return {
      dimensions: ['x', 'y'],
      potential: 'stiffness*y^2/(2*(width*(1 - (1 - neck)*exp(-x^2/(2*neckLength^2))))^2)',
      bounds: { x: [-p.length, p.length] },
    };
  },
};
