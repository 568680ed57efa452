import type { Family } from '../../family.js';
import { requireRange } from '../../family.js';

/** U(x) = barrier ((x/a)^2 - 1)^2 + tilt x: an energetic barrier of height `barrier` between wells at -a, a. */
export const doubleWell: Family = {
  name: 'double-well',
  summary: 'energetic barrier: quartic double well (Kramers; exact 1D mean first-passage time)',
  defaults: { barrier: 1, a: 1, tilt: 0 },
  build(p) {
    requireRange(p, 'barrier', 1e-9, 1e6);
    requireRange(p, 'a', 1e-6, 1e6);
    requireRange(p, 'tilt', -1e6, 1e6);
    return { dimensions: ['x'], potential: 'barrier*((x/a)^2 - 1)^2 + tilt*x' };
  },
};
