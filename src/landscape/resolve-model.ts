import { layoutOf } from '../scenario/dimensions.js';
import { ScenarioError } from '../scenario/errors.js';
import type { ScenarioFile } from '../scenario/schema.js';
import { FamilyParameterError, type ModelFamily, type ModelRun } from './family.js';
import type { ModelScenario } from './scenario.js';

/** The run-level numbers every scenario takes from its file (recording every steps/200 unless set). */
export function runNumbers(raw: ScenarioFile) {
  return {
    temperature: raw.temperature,
    dt: raw.dt,
    steps: raw.steps,
    particles: raw.particles,
    seed: raw.seed,
    recordEvery: raw.record?.every ?? Math.max(1, Math.round(raw.steps / 200)),
  };
}

/**
 * Resolves a scenario of a model family: the family's regions, escape, start and kernel model; the file
 * gives only the parameters and the run numbers. Keys that only make sense for a formula are refused with
 * the reason, rather than ignored.
 */
export function resolveModelScenario(
  file: string,
  raw: ScenarioFile,
  family: ModelFamily,
  parameters: Record<string, number>,
): ModelScenario {
  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof FamilyParameterError) throw new ScenarioError(file, `parameters.${e.parameter}`, e.message);
      throw e;
    }
  };
  const built = wrap(() => family.build(parameters));
  for (const key of ['start', 'spread', 'bounds', 'observable'] as const) {
    if (raw[key] !== undefined)
      throw new ScenarioError(
        file,
        key,
        `set by family ${family.name} (its particles are models with their own data); remove the key`,
      );
  }
  const names = built.regions.map((r) => r.name);
  if (raw.regions !== undefined && Object.keys(raw.regions).length > 0) {
    throw new ScenarioError(
      file,
      'regions',
      `family ${family.name} defines its own regions (${names.join(', ')}); remove the key`,
    );
  }
  if (raw.escape) {
    for (const side of ['from', 'to'] as const) {
      if (!names.includes(raw.escape[side]))
        throw new ScenarioError(
          file,
          `escape.${side}`,
          `unknown region '${raw.escape[side]}' (regions: ${names.join(', ')})`,
        );
    }
    if (raw.escape.from === raw.escape.to)
      throw new ScenarioError(file, 'escape', '`from` and `to` must be different regions');
  }
  // the family's own rule tying its parameters to the temperature (the run conditions: conditions.ts)
  wrap(() => built.checkTemperature?.(raw.temperature));
  const layout = layoutOf(built.dimensions);
  const escape = raw.escape ?? built.escape;
  const target = names.indexOf(escape.to);
  const run = (particles: number): ModelRun => ({
    particles,
    seed: raw.seed,
    temperature: raw.temperature,
    dt: raw.dt,
  });
  return {
    kind: 'model',
    file,
    name: raw.name,
    description: raw.description,
    family: family.name,
    layout,
    parameters,
    bounds: layout.coordinates.map(() => null),
    escape,
    ...runNumbers(raw),
    regions: built.regions,
    potentialText: null,
    startRecord: { drawnBy: `family ${family.name} (from the seed)` },
    observable: built.observable,
    knob: family.knob ?? null,
    kernelModel: (particles) => {
      const r = run(particles);
      return { ...built.kernelModel(r), target, ...(built.program ? { program: built.program(r) } : {}) };
    },
    hasProgram: built.program !== undefined,
    initial: (particles = raw.particles) => built.initial(run(particles)),
    predictions: () => built.predictions(run(raw.particles)),
    equilibriumObservable: () => built.equilibriumObservable?.(run(raw.particles)) ?? null,
    measures: built.measures ? (particles, end) => built.measures!(run(particles), end) : undefined,
  };
}
