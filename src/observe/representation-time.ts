import { openBackend, type BackendName } from '../engine/backend.js';
import { LINEAR_FORMED, linearity } from '../landscape/families/liu-decoder/family.js';
import { SYMBOLS } from '../landscape/families/parallelogram/training-set.js';
import { resolveScenario } from '../landscape/resolve.js';
import { createSimulation } from './run-scenario.js';

/**
 * Liu et al.'s time to learn the representation (arXiv:2205.10343 §3.2), per liu-decoder network: the first
 * engine step, on a grid of `every` steps, at which its embeddings are linear in the symbol (R^2 of E_k against
 * k >= `level`, the family's `linearity`), or -1 when that has not happened by `steps` (censored). With
 * decoderSteps K an engine step is a decoder step, and the embeddings have taken step / K steps. The run stops
 * as soon as every network has got there.
 */
export async function representationTimes(
  parameters: Record<string, number>,
  {
    steps,
    every = 10,
    level = LINEAR_FORMED,
    backend = 'webasm',
  }: { steps: number; every?: number; level?: number; backend?: BackendName },
): Promise<number[]> {
  const s = resolveScenario('liu-decoder', parameters);
  if (s.kind !== 'model') throw new Error('liu-decoder must resolve to a model scenario');
  const sim = createSimulation(s, await openBackend(backend));
  const first = new Array<number>(s.particles).fill(-1);
  const embedding = (p: number) => Array.from({ length: SYMBOLS }, (_, k) => sim.row(k)[p]);
  try {
    for (let t = every; t <= steps && first.some((x) => x < 0); t += every) {
      await sim.advance(every);
      first.forEach((x, p) => {
        if (x < 0 && linearity(embedding(p)) >= level) first[p] = t;
      });
    }
  } finally {
    await sim.destroy();
  }
  return first;
}
