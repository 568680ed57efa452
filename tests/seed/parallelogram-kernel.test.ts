import { describe, expect, it } from 'vitest';
import { toKernelModel } from '../../src/landscape/kernel-model.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import type { FormulaScenario } from '../../src/landscape/scenario.js';
import { runnableBackends } from '../helpers/backends.js';
import { worstOneStepError } from '../helpers/host-step.js';

// issue 20, item 3: the terms every coordinate's gradient shares (E^T A E, Z, sum E^2) are computed once per
// particle-step in the auxiliary stage instead of once per coordinate thread.
const peer = () => resolveScenario('bench/parallelogram-peer.yaml') as FormulaScenario;

describe('parallelogram kernels: the quadratic form once per particle-step', () => {
  it('hoists E^T A E and the normalizer into the auxiliary stage; each entry keeps only its row of A E', () => {
    const m = toKernelModel(peer());
    expect(m.aux).toBeDefined();
    expect(m.aux!.uses).toHaveLength(10);
    expect(m.aux!.width).toBeLessThanOrEqual(4);
    // the 55-term quadratic form (e.g. its 10 E1^2 term) is in the auxiliary body, in no gradient entry
    expect(m.aux!.body).toContain('(10.0 * (c0 * c0))');
    for (const g of m.gradient) {
      expect(g.expression).toContain('aux[');
      // no product of two coordinates is left in an entry: (A E)_k is linear, the rest comes from aux
      expect(g.expression).not.toMatch(/c\d \* c\d/);
    }
  });

  it.each(runnableBackends)(
    'one compiled step equals the float64 host step x - dt grad U + sqrt(2 T dt) xi on %s',
    async (mode) => {
      const s = peer();
      const P = 2000;
      const D = s.layout.coordinates.length;
      const initial = Array.from({ length: D }, (_, i) =>
        Float32Array.from({ length: P }, (_, p) => Math.fround(s.start[i] + 0.3 * Math.sin(1 + 7 * p + 13 * i))),
      );
      const { worst, kernelMode } = await worstOneStepError(s, mode, initial, 3);
      expect(kernelMode).toBe(mode);
      // float32 state (|E| < 1.5: spacing <= 1.2e-7) and float32 auxiliary values: a few roundings
      expect(worst).toBeLessThan(1e-6);
    },
  );
});
