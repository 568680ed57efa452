import { type BackendName, openBackend } from '../../src/engine/backend.js';
import { keyFromSeed, noiseGaussian, particleKey } from '../../src/engine/rng.js';
import { Simulation } from '../../src/engine/simulation.js';
import { evaluate } from '../../src/formula/index.js';
import { toKernelModel } from '../../src/landscape/kernel-model.js';
import type { FormulaScenario } from '../../src/landscape/scenario.js';

/**
 * One compiled step of a formula scenario on `mode` from `initial`, against the float64 host step
 * x - dt grad U(x) + sqrt(2 T dt) xi with the generator's own normals: the largest difference over every
 * particle and coordinate. It asserts nothing: the caller states the tolerance its state's spacing allows.
 */
export async function worstOneStepError(
  s: FormulaScenario,
  mode: BackendName,
  initial: Float32Array[],
  seed: number,
): Promise<{ worst: number; kernelMode: string }> {
  const P = initial[0].length;
  const D = s.layout.coordinates.length;
  const sim = Simulation.create(toKernelModel(s), await openBackend(mode), {
    particles: P,
    dt: s.dt,
    temperature: s.temperature,
    seed,
    initial,
    chunk: 1,
  });
  await sim.advance(1);
  const key = keyFromSeed(seed);
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
  const kernelMode = sim.kernelMode;
  await sim.destroy();
  return { worst, kernelMode };
}
