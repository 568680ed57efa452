import {
  compileEvaluator,
  derivative,
  evaluate,
  FormulaError,
  parseFormula,
  type Expr,
  type FormulaScope,
} from '../formula/index.js';
import { expandKey, layoutOf } from '../scenario/dimensions.js';
import { ScenarioError } from '../scenario/errors.js';
import { applyOverrides, readScenarioFile, resolveScenarioPath } from '../scenario/load.js';
import { checkRunConditions } from './conditions.js';
import { FamilyParameterError, isModelFamily } from './family.js';
import { families } from './families/index.js';
import { formulaStart } from './formula-start.js';
import { resolveModelScenario, runNumbers } from './resolve-model.js';
import { OTHER_REGION, type Scenario } from './scenario.js';

/**
 * Loads a shipped scenario by name or a file by path, applies overrides, and compiles its formulas. `source`
 * names where the overrides came from in messages (default `--set`).
 */
export function resolveScenario(
  nameOrPath: string,
  overrides: Record<string, number> = {},
  source = '--set',
): Scenario {
  const loaded = readScenarioFile(resolveScenarioPath(nameOrPath));
  const { file } = loaded;
  checkRunConditions(file, loaded.raw); // as in the file
  const name = loaded.raw.landscape?.family;
  if (name !== undefined && !Object.hasOwn(families, name))
    throw new ScenarioError(
      file,
      'landscape.family',
      `found ${JSON.stringify(name)}, expected one of ${Object.keys(families).join(', ')}`,
    );
  const family = name === undefined ? null : families[name];
  const known = [...new Set([...Object.keys(family?.defaults ?? {}), ...Object.keys(loaded.raw.parameters)])];
  // the file's own values are named by the file alone: "(with --set)" only where an override was given
  const from = Object.keys(overrides).length > 0 ? source : undefined;
  const raw = applyOverrides(loaded, overrides, known, from);
  // the run conditions are dt and temperature: the file's own unless an override set one of them
  const conditionsFrom = ['dt', 'temperature'].some((k) => Object.hasOwn(overrides, k)) ? from : undefined;
  checkRunConditions(file, raw, { source: conditionsFrom, family });

  if (family) {
    for (const k of Object.keys(raw.parameters)) {
      if (!Object.hasOwn(family.defaults, k)) {
        throw new ScenarioError(
          file,
          `parameters.${k}`,
          `not a parameter of family ${family.name} (its parameters: ${Object.keys(family.defaults).join(', ')})`,
        );
      }
    }
    if (raw.dimensions) throw new ScenarioError(file, 'dimensions', `set by family ${family.name}; remove the key`);
  }
  const parameters = { ...(family?.defaults ?? {}), ...raw.parameters };
  if (family && isModelFamily(family)) return resolveModelScenario(file, raw, family, parameters);
  if (raw.start === undefined)
    throw new ScenarioError(
      file,
      'start',
      'missing; add start: { x: -1 } (a start value per coordinate; a formula scenario needs it)',
    );
  if (raw.regions === undefined)
    throw new ScenarioError(
      file,
      'regions',
      'missing; add regions: { left: "x < 0" } (named region predicates; a formula scenario needs them)',
    );
  let built;
  try {
    built = family ? family.build(parameters) : null;
  } catch (e) {
    if (e instanceof FamilyParameterError) throw new ScenarioError(file, `parameters.${e.parameter}`, e.message);
    throw e;
  }
  const layout = layoutOf(built ? built.dimensions : raw.dimensions!);
  const { coordinates } = layout;
  const repeated = coordinates.find((c, i) => coordinates.indexOf(c) !== i);
  if (repeated !== undefined)
    throw new ScenarioError(
      file,
      'dimensions',
      `coordinate '${repeated}' is named twice; give each dimension its own name`,
    );
  const clash = coordinates.find((c) => Object.hasOwn(parameters, c));
  if (clash !== undefined)
    throw new ScenarioError(file, 'dimensions', `'${clash}' is both a coordinate and a parameter; rename one`);
  const scope: FormulaScope = { coordinates, parameters, vectors: layout.vectors };
  const parse = (field: string, text: string, mode: 'value' | 'predicate'): Expr => {
    try {
      return parseFormula(text, scope, mode);
    } catch (e) {
      if (e instanceof FormulaError) throw new ScenarioError(file, field, e.message);
      throw e;
    }
  };

  // a family's named quantities (e.g. rqi) become identifiers in the regions and the observable
  const definitions: Record<string, Expr> = {};
  for (const [name, text] of Object.entries(built?.quantities ?? {}))
    definitions[name] = parse(`landscape.quantities.${name}`, text, 'value');
  scope.definitions = definitions;

  const potentialText = built ? built.potential : raw.potential!;
  const potential = parse('potential', potentialText, 'value');
  const gradient = coordinates.map((c) => derivative(potential, c));

  const regions = Object.entries(raw.regions).map(([name, text]) => {
    if (name === OTHER_REGION)
      throw new ScenarioError(
        file,
        `regions.${name}`,
        `'${OTHER_REGION}' is reserved for points in no region; rename it`,
      );
    return { name, text, expr: parse(`regions.${name}`, text, 'predicate') };
  });
  const regionNames = regions.map((r) => r.name);
  if (raw.escape) {
    for (const side of ['from', 'to'] as const) {
      if (!regionNames.includes(raw.escape[side])) {
        throw new ScenarioError(
          file,
          `escape.${side}`,
          `unknown region '${raw.escape[side]}' (regions: ${regionNames.join(', ')})`,
        );
      }
    }
    if (raw.escape.from === raw.escape.to)
      throw new ScenarioError(file, 'escape', '`from` and `to` must be different regions');
  }

  const coordinateMap = (field: string, map: Record<string, unknown>): Map<number, unknown> => {
    const out = new Map<number, unknown>();
    for (const [key, value] of Object.entries(map)) {
      const names = expandKey(layout, key);
      if (!names)
        throw new ScenarioError(
          file,
          `${field}.${key}`,
          `unknown coordinate '${key}' (coordinates: ${coordinates.slice(0, 8).join(', ')}${coordinates.length > 8 ? ', ...' : ''})`,
        );
      for (const n of names) out.set(coordinates.indexOf(n), value);
    }
    return out;
  };

  const bounds: ([number, number] | null)[] = coordinates.map(() => null);
  for (const [i, b] of coordinateMap('bounds', { ...(built?.bounds ?? {}), ...(raw.bounds ?? {}) })) {
    const [lo, hi] = b as [number, number];
    if (!(lo < hi))
      throw new ScenarioError(file, `bounds.${coordinates[i]}`, `found [${lo}, ${hi}], expected [lo, hi] with lo < hi`);
    bounds[i] = [lo, hi];
  }

  const start = coordinates.map(() => 0);
  for (const [i, v] of coordinateMap('start', raw.start)) start[i] = v as number;
  const env: Record<string, number> = { ...parameters };
  coordinates.forEach((c, i) => {
    env[c] = start[i];
  });
  start.forEach((v, i) => {
    const b = bounds[i];
    if (b && (v < b[0] || v > b[1]))
      throw new ScenarioError(file, `start.${coordinates[i]}`, `found ${v}, outside the walls [${b[0]}, ${b[1]}]`);
  });
  if (raw.escape) {
    const from = regions.find((r) => r.name === raw.escape!.from)!;
    const first = regions.find((r) => evaluate(r.expr, env) !== 0);
    if (first?.name !== from.name) {
      const at = coordinates
        .slice(0, 4)
        .map((c, i) => `${c}=${start[i]}`)
        .join(', ');
      throw new ScenarioError(
        file,
        'start',
        `the start point (${at}${coordinates.length > 4 ? ', ...' : ''}) is in region '${first?.name ?? OTHER_REGION}', but escape.from is '${from.name}': move the start into it`,
      );
    }
    // Populations take the first region that holds a point, but an escape is the first step inside
    // escape.to's own formula: a start inside both would count every particle as escaped at step 0.
    const to = regions.find((r) => r.name === raw.escape!.to)!;
    if (evaluate(to.expr, env) !== 0)
      throw new ScenarioError(
        file,
        `regions.${to.name}`,
        `holds the start point too, so regions '${from.name}' and '${to.name}' overlap there: make escape.to exclude escape.from (e.g. add "and not (...)")`,
      );
  }
  if (!Number.isFinite(evaluate(potential, env))) {
    throw new ScenarioError(file, 'start', 'the potential is not finite at the start point');
  }

  const observableText = raw.observable ?? coordinates[0];
  const observableExpr = parse('observable', observableText, 'value');
  const spread = raw.spread ?? 0;
  const numbers = runNumbers(raw);
  return {
    kind: 'formula',
    file,
    name: raw.name,
    description: raw.description,
    family: family?.name ?? null,
    layout,
    parameters,
    potentialText,
    potential,
    gradient,
    regions,
    bounds,
    escape: raw.escape ?? null,
    start,
    spread,
    ...numbers,
    startRecord: { point: Object.fromEntries(coordinates.map((c, k) => [c, start[k]])), spread },
    observable: {
      text: observableText,
      expr: observableExpr,
      evaluate: compileEvaluator(observableExpr, coordinates, parameters),
    },
    knob: family?.knob ?? (Object.hasOwn(parameters, 'dataSize') ? 'dataSize' : null),
    initial: (particles = numbers.particles) => formulaStart({ seed: numbers.seed, start, spread, bounds }, particles),
  };
}
