import type { KernelModel } from '../engine/kernel-model.js';
import type { ProgramSpec } from '../engine/particle-program.js';
import type { ScenarioFile } from '../scenario/schema.js';
import type { Prediction } from './prediction.js';
import type { FormulaScenario, Measures, RunEnd } from './scenario.js';

export type Dimension = NonNullable<ScenarioFile['dimensions']>[number];

/** What a built-in formula family contributes to a scenario: coordinates, a potential formula and walls. */
export interface FamilyBuild {
  dimensions: Dimension[];
  /** A formula in the same whitelisted language as user potentials, over the family's parameters. */
  potential: string;
  bounds?: Record<string, [number, number]>;
  /**
   * Named quantities (formulas over the coordinates and parameters, e.g. an order parameter) that the
   * scenario's regions and observable may use by name. Family-built text, parsed like any formula.
   */
  quantities?: Record<string, string>;
}

/** What every family says about itself, whatever defines its landscape. */
interface FamilyCommon {
  name: string;
  summary: string;
  /** Every parameter the family reads, with its default. */
  defaults: Record<string, number>;
  /** The parameter the watch view's d/D keys step by one (a data size), if the family has one. */
  knob?: string;
  /**
   * Named results its predictions carry besides the common ones (e.g. a threshold), each with the line
   * `predict` prints for it; a prediction's extras are exactly these names.
   */
  extras?: Record<string, (value: never) => string>;
}

/** A family whose landscape is a formula: the formula compiler, symbolic gradient and predictions apply. */
export interface Family extends FamilyCommon {
  kind?: 'formula';
  /** Throws FamilyParameterError naming the parameter when a value is out of range. */
  build(params: Record<string, number>): FamilyBuild;
  /** The family's own theory; without it the generic formula predictions (1D quadrature, Eyring-Kramers) apply. */
  predict?(s: FormulaScenario): Prediction | null;
}

/** The run-level numbers a model family's data and start depend on. */
export interface ModelRun {
  particles: number;
  seed: number;
  temperature: number;
  /** The integrator's time step (a model's bookkeeping coordinate, e.g. a clock, advances by it). */
  dt: number;
}

/**
 * What a model family contributes: its particles are whole models with their own data, so it compiles its
 * own kernel model (gradient code, regions, data) instead of a potential formula.
 */
export interface ModelBuild {
  dimensions: Dimension[];
  /** The family's regions in priority order, each with a one-line statement of its predicate. */
  regions: { name: string; text: string }[];
  /** The escape the family measures (from, to: names in `regions`). */
  escape: { from: string; to: string };
  /** The histogram observable of watch: a name and its value from one particle's coordinates. */
  observable: { text: string; evaluate: (x: ArrayLike<number>) => number };
  /** Kernel model for a run (per-particle data are drawn from the seed and the particle index). */
  kernelModel(run: ModelRun): Omit<KernelModel, 'target' | 'program'>;
  /**
   * The same model as a particle program (KernelModel.program), where the family has one for these
   * parameters: resolve adds it to the kernel model, and `auto` runs the scenario on webasm for it.
   */
  program?(run: ModelRun): ProgramSpec;
  /** Start positions: D rows of `particles` values. */
  initial(run: ModelRun): Float32Array[];
  /** What `predict` can say for this family (closed forms), one line each; and what it cannot. */
  predictions(run: ModelRun): string[];
  /** The equilibrium mean of the observable over particles, where the family's theory has it. */
  equilibriumObservable?(run: ModelRun): number | null;
  /**
   * Results only the family can compute from the final state (e.g. per-particle times recorded by a clock
   * coordinate), for summary.json's `measures`; `plot --field measures.<name>` reads them.
   */
  measures?(run: ModelRun, end: RunEnd): Measures | Promise<Measures>;
  /** Throws FamilyParameterError when the parameters do not suit this temperature (e.g. T > 0 without L2). */
  checkTemperature?(temperature: number): void;
}

export interface ModelFamily extends FamilyCommon {
  kind: 'model';
  /** Whether temperature 0 (plain gradient descent) is allowed; formula scenarios always refuse it. */
  allowsZeroTemperature: boolean;
  build(params: Record<string, number>): ModelBuild;
}

export type AnyFamily = Family | ModelFamily;

export const isModelFamily = (f: AnyFamily): f is ModelFamily => f.kind === 'model';

export class FamilyParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export function requireRange(
  params: Record<string, number>,
  name: string,
  lo: number,
  hi: number,
  integer = false,
): number {
  const v = params[name];
  if (integer && !Number.isInteger(v)) throw new FamilyParameterError(name, `must be an integer, got ${v}`);
  if (!(v >= lo && v <= hi)) throw new FamilyParameterError(name, `must be in [${lo}, ${hi}], got ${v}`);
  return v;
}

/**
 * The URL of a module beside the caller's (`import.meta.url`), for a kernel model's particle program: the
 * source file when running from the sources (tests, tsx), the compiled one in dist/.
 */
export function siblingModule(metaUrl: string, name: string): string {
  return new URL(`./${name}.${metaUrl.endsWith('.ts') ? 'ts' : 'js'}`, metaUrl).href;
}
