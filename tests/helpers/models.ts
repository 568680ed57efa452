import type { KernelModel } from '../../src/engine/kernel-model.js';

/** Hand-written kernel models, so the engine is tested without the formula and scenario layers. */
export function harmonic(d: number, kappa: number): KernelModel {
  return {
    dimensions: d,
    gradient: Array.from({ length: d }, (_, i) => ({ expression: `${kappa.toFixed(6)} * c${i}`, uses: [i] })),
    bounds: Array.from({ length: d }, () => null),
    regions: [],
    target: null,
  };
}

export function free(d: number): KernelModel {
  return { ...harmonic(d, 0), gradient: Array.from({ length: d }, () => ({ expression: '0.0', uses: [] })) };
}

/** U = (x^2 - 1)^2, escape to x > b. */
export function doubleWell(b: number): KernelModel {
  return {
    dimensions: 1,
    gradient: [{ expression: '4.0 * c0 * (c0 * c0 - 1.0)', uses: [0] }],
    bounds: [null],
    regions: [
      { name: 'left', predicate: '(c0 < 0.0)', uses: [0] },
      { name: 'right', predicate: `(c0 > ${b.toFixed(6)})`, uses: [0] },
    ],
    target: 1,
  };
}
