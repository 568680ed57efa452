import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/engine/backend.js';
import { keyFromSeed, noiseGaussian, particleKey } from '../../src/engine/rng.js';
import { Simulation } from '../../src/engine/simulation.js';
import { evaluate } from '../../src/formula/index.js';
import { toKernelModel } from '../../src/landscape/kernel-model.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import type { FormulaScenario } from '../../src/landscape/scenario.js';
import { runnableBackends } from '../helpers/backends.js';

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
      const sim = Simulation.create(toKernelModel(s), await openBackend(mode), {
        particles: P,
        dt: s.dt,
        temperature: s.temperature,
        seed: 3,
        initial,
        chunk: 1,
      });
      await sim.advance(1);
      expect(sim.kernelMode).toBe(mode);
      const key = keyFromSeed(3);
      const amp = Math.sqrt(2 * s.temperature * s.dt);
      let worst = 0;
      for (let p = 0; p < P; p++) {
        const env: Record<string, number> = { ...s.parameters };
        s.layout.coordinates.forEach((c, i) => {
          env[c] = initial[i][p];
        });
        const pk = particleKey(key, p, 0);
        for (let i = 0; i < D; i++) {
          const expected = initial[i][p] - s.dt * evaluate(s.gradient[i], env) + amp * noiseGaussian(pk, 0, i);
          worst = Math.max(worst, Math.abs(sim.row(i)[p] - expected));
        }
      }
      await sim.destroy();
      // float32 state (|E| < 1.5: spacing <= 1.2e-7) and float32 auxiliary values: a few roundings
      expect(worst).toBeLessThan(1e-6);
    },
  );
});
