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
 * Runs liu-decoder networks from `parameters` and shows `observe` every network's embeddings (E_0..E_9) after
 * every `every` engine steps, up to `steps`, or until `observe` returns true. Returns the number of networks.
 */
export async function followEmbeddings(
  parameters: Record<string, number>,
  { steps, every = 10, backend = 'webasm' }: { steps: number; every?: number; backend?: BackendName },
  observe: (step: number, embeddings: number[][]) => boolean,
): Promise<number> {
  const s = resolveScenario('liu-decoder', parameters);
  if (s.kind !== 'model') throw new Error('liu-decoder must resolve to a model scenario');
  const sim = createSimulation(s, await openBackend(backend));
  const networks = Array.from({ length: s.particles }, (_, p) => p);
  try {
    for (let t = every; t <= steps; t += every) {
      await sim.advance(every);
      const embeddings = networks.map((p) => Array.from({ length: SYMBOLS }, (_, k) => sim.row(k)[p]));
      if (observe(t, embeddings)) break;
    }
  } finally {
    await sim.destroy();
  }
  return s.particles;
}

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
  const { reached } = criteria[order];
  const first = new Map<number, number>();
  const networks = await followEmbeddings(parameters, { steps, every, backend }, (t, embeddings) => {
    embeddings.forEach((E, p) => {
      if (!first.has(p) && reached(E, level)) first.set(p, t);
    });
    return first.size === embeddings.length;
  });
  return Array.from({ length: networks }, (_, p) => first.get(p) ?? -1);
}
