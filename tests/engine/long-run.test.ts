import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/engine/backend.js';
import type { KernelModel } from '../../src/engine/kernel-model.js';
import { STEP_SPLIT } from '../../src/engine/rng.js';
import { Simulation } from '../../src/engine/simulation.js';
import { drive } from '../../src/observe/driver.js';
import { populationRecorder } from '../../src/observe/reporters.js';
import { doubleWell } from '../helpers/models.js';

describe('long runs', () => {
  it('10^8 particle-steps: exact step count and times, populations summing to 1 at every recording', async () => {
    const P = 1000;
    const steps = 100_000;
    const sim = Simulation.create(doubleWell(0.8), await openBackend('cpu'), {
      particles: P,
      dt: 1e-3,
      temperature: 0.4,
      seed: 3,
      chunk: 2000,
      initial: [new Float32Array(P).fill(-1)],
    });
    const recorder = populationRecorder(['left', 'right'], 5000);
    const r = { ...(await drive(sim, { steps, reporters: [recorder] })), populations: recorder.series };
    expect(r.stepsDone).toBe(steps);
    expect(sim.step).toBe(steps);
    expect(r.populations.steps).toEqual(Array.from({ length: 21 }, (_, i) => i * 5000));
    for (const c of r.populations.counts) expect(c.reduce((a, b) => a + b, 0)).toBe(P);
    for (const f of sim.firstPassage) expect(Number.isInteger(f)).toBe(true);
    await sim.destroy();
  });

  it('keeps exact integer steps past 2^24 and across the generator step blocks (2^23)', async () => {
    // target region everywhere: every particle is first seen at the first step it is checked
    const model: KernelModel = {
      dimensions: 1,
      gradient: [{ expression: '0.0', uses: [] }],
      bounds: [null],
      regions: [{ name: 'all', predicate: '(c0 > -1.0e30)', uses: [0] }],
      target: 0,
    };
    const sim = Simulation.create(model, await openBackend('cpu'), {
      particles: 8,
      dt: 0.5,
      temperature: 1,
      seed: 1,
      chunk: 64,
      initial: [new Float32Array(8)],
    });
    const start = 3 * STEP_SPLIT - 3; // 25,165,821 > 2^24: not representable step by step in float32
    sim.step = start;
    await sim.advance(10);
    expect(sim.step).toBe(start + 10);
    expect([...sim.firstPassage]).toEqual(new Array(8).fill(start));
    // the noise continues across the block boundary: no two consecutive states equal
    const before = Float32Array.from(sim.row(0));
    await sim.advance(1);
    expect(Float32Array.from(sim.row(0))).not.toEqual(before);
  });
});
