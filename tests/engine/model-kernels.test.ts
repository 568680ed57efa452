import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/engine/backend.js';
import type { KernelModel } from '../../src/engine/kernel-model.js';
import { Simulation } from '../../src/engine/simulation.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { createSimulation } from '../../src/observe/run-scenario.js';
import { runnableBackends } from '../helpers/backends.js';

/**
 * A synthetic model exercising every model-kernel feature at once: per-particle data (a target t_p per
 * particle and coordinate), shared data (a stiffness), an auxiliary stage (the residuals c_i - t_i), a
 * helper function, a shared gradient entry, and a region reading data and aux. U = (k/2) sum_i (c_i - t_i)^2
 * (sq() is the helper), so one gradient step from c is exactly c - dt k (c - t).
 */
function targetModel(P: number, D: number, k: number): { model: KernelModel; targets: Float32Array[] } {
  const targets = Array.from({ length: D }, (_, i) => Float32Array.from({ length: P }, (_, p) => Math.sin(p + 3 * i)));
  const model: KernelModel = {
    dimensions: D,
    gradient: Array.from({ length: D }, () => ({ expression: 'shared[0] * aux[r][p]', uses: [], shared: true })),
    bounds: Array.from({ length: D }, () => null),
    regions: [
      {
        name: 'near',
        predicate: 'dist < 0.25',
        uses: [],
        prelude: `let dist = 0.0;\nfor (let i = 0; i < ${D}; i++) { dist += sq(aux[i][p]); }`,
      },
    ],
    target: 0,
    data: { perParticle: { width: D, rows: targets }, shared: Float32Array.from([k]) },
    aux: { width: D, uses: [], body: 'return state[a][p] - data[a][p];' },
    functions: ['function sq(x) { return x * x; }'],
    maxLoop: D,
  };
  return { model, targets };
}

describe('model kernels: data, auxiliary stage, helper functions, shared branches', () => {
  it.each(runnableBackends)(
    '%s: one step is c - dt k (c - t) exactly; regions read aux through the helper',
    async (mode) => {
      const P = 300;
      const D = 5;
      const { model, targets } = targetModel(P, D, 2);
      const initial = Array.from({ length: D }, () => new Float32Array(P));
      const sim = Simulation.create(model, await openBackend(mode), {
        particles: P,
        dt: 0.25,
        temperature: 0,
        seed: 1,
        chunk: 1,
        initial,
      });
      await sim.advance(1);
      expect(sim.kernelMode).toBe(mode);
      for (let i = 0; i < D; i++) for (let p = 0; p < P; p++) expect(sim.row(i)[p]).toBeCloseTo(0.5 * targets[i][p], 6);
      // c relaxes to t geometrically (factor 1 - dt k = 0.5 per step): after 10 more steps every particle is near
      await sim.advance(10);
      const reg = await sim.regions();
      expect(Array.from(reg).every((r) => r === 0)).toBe(true);
      expect(Array.from(sim.firstPassage).every((f) => f >= 0 && f <= 11)).toBe(true); // the step kernel checks each state it starts from
      await sim.destroy();
    },
  );

  it("the cpu worker pool hands each lane its particles' data: 1 and 2 workers give bit-identical states", async () => {
    const run = async (workers: string) => {
      process.env.GROKSCAPE_CPU_WORKERS = workers;
      try {
        const s = resolveScenario('linear-separability', { d: 3, lambda: 0.5, particles: 2500, dt: 1 });
        const sim = createSimulation(s, await openBackend('cpu'));
        await sim.advance(50);
        const kind = sim.executorKind;
        const rows = Array.from({ length: 4 }, (_, i) => Float32Array.from(sim.row(i)));
        const reg = await sim.regions();
        await sim.destroy();
        return { kind, rows, reg };
      } finally {
        delete process.env.GROKSCAPE_CPU_WORKERS;
      }
    };
    const one = await run('1');
    const two = await run('2');
    expect(two.kind).toBe('js-workers(2)');
    expect(one.kind).not.toMatch(/workers/);
    for (let i = 0; i < 4; i++)
      expect(Buffer.from(two.rows[i].buffer).equals(Buffer.from(one.rows[i].buffer))).toBe(true);
    expect(Array.from(two.reg)).toEqual(Array.from(one.reg));
  });
});
