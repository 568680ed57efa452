import { checkCapacity } from '../engine/simulation.js';
import { ScenarioError } from '../scenario/errors.js';
import { dtProblem, temperatureProblem } from '../scenario/float32.js';
import type { ScenarioFile } from '../scenario/schema.js';
import { type AnyFamily, isModelFamily } from './family.js';
import { families } from './families/index.js';
import type { Scenario } from './scenario.js';

/**
 * Run conditions (temperature, dt, steps, particles and the memory they take) have one owner, this module.
 * Their types and signs are the schema's (scenario/schema.ts); here are the rules beyond those, which every
 * path reaches: resolveScenario calls checkRunConditions for the file and again after --set, and the CLI,
 * a scenario file, each scan grid point, each sweep value and the watch view's keys all resolve their
 * scenario; checkCapacityFor runs before anything is allocated (createSimulation) or written (run, sweep).
 */

/** Families that declare plain gradient descent (temperature 0) allowed: named in the refusal for others. */
const zeroTemperatureFamilies = (): string[] =>
  Object.values(families)
    .filter((f) => isModelFamily(f) && f.allowsZeroTemperature)
    .map((f) => f.name);

/**
 * Refuses run conditions the kernels or the family cannot take: dt and the noise amplitude outside float32's
 * normal range, and temperature 0 where the family does not declare plain gradient descent. `o.source`:
 * `raw` has override values applied, from there (`--set`, `--grid k=v`; said in the messages); `o.family` (null: a formula without
 * family): also the temperature rule, which needs the final numbers.
 */
export function checkRunConditions(
  file: string,
  raw: ScenarioFile,
  o: { source?: string; family?: AnyFamily | null } = {},
): void {
  const where = o.source ? `${file} (with ${o.source})` : file;
  const dt = dtProblem(raw.dt);
  if (dt) throw new ScenarioError(where, 'dt', dt);
  const t = temperatureProblem(raw.temperature, raw.dt);
  if (t) throw new ScenarioError(where, 'temperature', t);
  if (o.family === undefined) return;
  const family = o.family;
  if (family && isModelFamily(family)) {
    if (raw.temperature === 0 && !family.allowsZeroTemperature) {
      throw new ScenarioError(
        where,
        'temperature',
        `found 0, expected a number > 0 (family ${family.name} does not declare plain gradient descent)`,
      );
    }
  } else if (!(raw.temperature > 0)) {
    // Temperature 0 is plain gradient descent: a formula scenario needs noise (issue 3).
    throw new ScenarioError(
      where,
      'temperature',
      `found ${raw.temperature}, expected a number > 0 (temperature 0, plain gradient descent, is allowed only for the families ${zeroTemperatureFamilies().join(', ')})`,
    );
  }
}

/** Refuses a particle count whose state would not fit in memory (engine/simulation.ts: checkCapacity). */
export function checkCapacityFor(s: Pick<Scenario, 'particles' | 'layout'>): void {
  checkCapacity(s.particles, s.layout.coordinates.length);
}
