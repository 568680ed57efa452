import { openBackend, type BackendName } from '../engine/backend.js';
import {
  LINEAR_FORMED,
  linearity,
  representationQuality,
  RQI_FORMED,
} from '../landscape/families/liu-decoder/representation.js';
import { SYMBOLS } from '../landscape/families/parallelogram/training-set.js';
import { resolveScenario } from '../landscape/resolve.js';
import { createSimulation } from './run-scenario.js';

/**
 * The order parameters a representation time can be read from: `linearity` (R^2 of E_k against k, reached at
 * `>= level`, default 0.95) or `rqi` (the paper's RQI as the authors compute it, reached at `> level`, default
 * 0.95: the authors' "steps to high RQI", toy/Figure4ab.ipynb).
 */
export type RepresentationOrder = 'linearity' | 'rqi';

const criteria: Record<RepresentationOrder, { level: number; reached: (E: number[], level: number) => boolean }> = {
  linearity: { level: LINEAR_FORMED, reached: (E, level) => linearity(E) >= level },
  rqi: { level: RQI_FORMED, reached: (E, level) => representationQuality(E) > level },
};

/** The level an order parameter is read at when none is given. */
export const defaultLevel = (order: RepresentationOrder): number => criteria[order].level;

/**
 * Liu et al.'s time to learn the representation (arXiv:2205.10343 §3.2), per liu-decoder network: the first
 * engine step, on a grid of `every` steps, at which its embeddings reach `level` of the order parameter, or -1
 * when that has not happened by `steps` (censored). With decoderSteps K an engine step is a decoder step, and
 * the embeddings have taken step / K steps. The run stops as soon as every network has got there.
 */
export async function representationTimes(
  parameters: Record<string, number>,
  {
    steps,
    every = 10,
    order = 'linearity',
    level = criteria[order].level,
    backend = 'webasm',
  }: { steps: number; every?: number; order?: RepresentationOrder; level?: number; backend?: BackendName },
): Promise<number[]> {
  const s = resolveScenario('liu-decoder', parameters);
  if (s.kind !== 'model') throw new Error('liu-decoder must resolve to a model scenario');
  const sim = createSimulation(s, await openBackend(backend));
  const first = new Array<number>(s.particles).fill(-1);
  const embedding = (p: number) => Array.from({ length: SYMBOLS }, (_, k) => sim.row(k)[p]);
  const { reached } = criteria[order];
  try {
    for (let t = every; t <= steps && first.some((x) => x < 0); t += every) {
      await sim.advance(every);
      first.forEach((x, p) => {
        if (x < 0 && reached(embedding(p), level)) first[p] = t;
      });
    }
  } finally {
    await sim.destroy();
  }
  return first;
}
