import { ScenarioError } from './errors.js';
import type { ScenarioFile } from './schema.js';

/**
 * The webasm and webgpu kernels compute in float32 (cpu in float64): every number that becomes a kernel
 * constant must be a finite float32, and the step and the noise amplitude normal ones, or the run would end
 * in an internal error or silently lose its noise. These checks run wherever a scenario is validated (the
 * file, --set, each scan and sweep point), before anything is compiled or allocated.
 */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** float32's smallest normal number; below it precision is lost, and below 1.4e-45 a value is 0. */
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/** v rounded to 3 significant digits, away from the allowed range's edge: up for a lower bound. */
function roundUp(v: number): number {
  if (v === 0) return 0;
  const s = 10 ** (Math.floor(Math.log10(Math.abs(v))) - 2);
  return Number((Math.ceil(v / s) * s).toPrecision(3));
}

/** v rounded to 3 significant digits, down (for an upper bound). */
function roundDown(v: number): number {
  if (v === 0) return 0;
  const s = 10 ** (Math.floor(Math.log10(Math.abs(v))) - 2);
  return Number((Math.floor(v / s) * s).toPrecision(3));
}

/**
 * The temperatures T > 0 at which the noise amplitude sqrt(2 T dt), a kernel constant, is a normal float32:
 * [FLOAT32_MIN_NORMAL^2, FLOAT32_MAX^2] / (2 dt), rounded inwards to 3 digits.
 */
export function temperatureRange(dt: number): [number, number] {
  return [roundUp(FLOAT32_MIN_NORMAL ** 2 / (2 * dt)), roundDown(FLOAT32_MAX ** 2 / (2 * dt))];
}

const DT_RANGE: [number, number] = [roundUp(FLOAT32_MIN_NORMAL), roundDown(FLOAT32_MAX)];
const VALUE_MAX = roundDown(FLOAT32_MAX);
// a wall w becomes the kernel constant 2 w (the reflection 2 w - v)
const WALL_MAX = roundDown(FLOAT32_MAX / 2);

/** The one-line refusal of a temperature outside temperatureRange(dt), or null when it is fine. */
export function temperatureProblem(temperature: number, dt: number): string | null {
  if (temperature === 0) return null;
  const [lo, hi] = temperatureRange(dt);
  if (temperature >= lo && temperature <= hi) return null;
  const fix = temperature < lo ? `set temperature to at least ${lo} or 0` : `set temperature to at most ${hi}`;
  return `found ${temperature}, expected 0 or a number in [${lo}, ${hi}] at dt = ${dt} (the float32 kernels need the noise amplitude sqrt(2 T dt) in [${DT_RANGE[0]}, ${VALUE_MAX}]; ${fix})`;
}

/** The one-line refusal of a step outside the float32 normal range, or null when it is fine. */
export function dtProblem(dt: number): string | null {
  if (dt >= DT_RANGE[0] && dt <= DT_RANGE[1]) return null;
  const fix = dt < DT_RANGE[0] ? `at least ${DT_RANGE[0]}` : `at most ${DT_RANGE[1]}`;
  return `found ${dt}, expected a number in [${DT_RANGE[0]}, ${DT_RANGE[1]}] (the kernels compute in float32, whose ${dt < DT_RANGE[0] ? 'smallest normal' : 'largest'} number is about ${dt < DT_RANGE[0] ? DT_RANGE[0] : VALUE_MAX}; set dt to ${fix})`;
}

/**
 * Refuses a scenario whose landscape constants (parameters, start, spread, walls) would overflow float32;
 * dt and the temperature are run conditions, checked with the others in landscape/conditions.ts.
 */
export function checkFloat32(file: string, s: ScenarioFile): void {
  const finite = (field: string, v: number, max = VALUE_MAX) => {
    if (Math.abs(v) > max)
      throw new ScenarioError(
        file,
        field,
        `found ${v}, expected a number in [${-max}, ${max}] (the kernels compute in float32, which overflows beyond ${VALUE_MAX}${max === WALL_MAX ? ' and reflect at 2 x the wall' : ''}; set ${field} within that range)`,
      );
  };
  for (const [k, v] of Object.entries(s.parameters)) finite(`parameters.${k}`, v);
  for (const [k, v] of Object.entries(s.start ?? {})) finite(`start.${k}`, v);
  if (s.spread !== undefined) finite('spread', s.spread);
  for (const [k, [lo, hi]] of Object.entries(s.bounds ?? {})) {
    finite(`bounds.${k}`, lo, WALL_MAX);
    finite(`bounds.${k}`, hi, WALL_MAX);
  }
}
