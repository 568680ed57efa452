import type { KernelModel } from '../engine/kernel-model.js';
import type { KernelWorkload } from '../engine/backend.js';
import type { Expr } from '../formula/index.js';
import type { CoordinateLayout } from '../scenario/dimensions.js';

/** What every resolved scenario has, whatever defines its landscape. */
interface ScenarioCommon {
  file: string;
  name: string;
  description: string;
  family: string | null;
  layout: CoordinateLayout;
  /** Resolved parameters (family defaults, file values, --set overrides). */
  parameters: Record<string, number>;
  /** Reflecting walls per coordinate, or null. */
  bounds: ([number, number] | null)[];
  escape: { from: string; to: string } | null;
  temperature: number;
  dt: number;
  steps: number;
  particles: number;
  seed: number;
  /** Population recording interval in steps. */
  recordEvery: number;
  /** The potential formula's text, or null where particles are models with their own data. */
  potentialText: string | null;
  /** How the start was drawn, as summary.json records it. */
  startRecord: { point: Record<string, number>; spread: number } | { drawnBy: string };
  /** The histogram observable of watch and sweep: its text and its value from one particle's coordinates. */
  observable: { text: string; evaluate: (x: ArrayLike<number>) => number };
  /** The parameter the watch view's d/D keys step by one (a data size), or null where there is none. */
  knob: string | null;
  /** Start positions: D rows of `particles` values (the same on every backend for a seed). */
  initial(particles?: number): Float32Array[];
  /** The family's own results from the final state (summary.json `measures`), where it defines any. */
  measures?: (particles: number, end: RunEnd) => Measures | Promise<Measures>;
}

/** What a run leaves for a family's own measures: the final state and the engine's first-passage record. */
export interface RunEnd {
  /** Coordinate i of every particle at the end. */
  row(i: number): Float32Array;
  /** Per particle: steps from the run's start to its first entry into escape.to, or -1. */
  escapeSteps: Float64Array;
  stepsDone: number;
  /** Aborted by an interrupt: long host work stops at its next boundary and reports what it decided. */
  signal?: AbortSignal;
}

/** A family's own results, added to summary.json as `measures` (numbers or nested records of numbers). */
export type Measures = { [name: string]: number | null | Measures };

/** A scenario resolved and compiled from a potential formula (a user's or a formula family's). */
export interface FormulaScenario extends ScenarioCommon {
  kind: 'formula';
  potentialText: string;
  potential: Expr;
  /** dU/dx_i for every coordinate, derived symbolically and simplified. */
  gradient: Expr[];
  regions: { name: string; text: string; expr: Expr }[];
  /** Start point per coordinate, and the standard deviation of a Gaussian spread around it. */
  start: number[];
  spread: number;
  observable: { text: string; expr: Expr; evaluate: (x: ArrayLike<number>) => number };
}

/**
 * A scenario of a model family (landscape/family.ts): particles are whole models with their own data, so
 * there is no potential formula; the family compiles its own kernel model and start for a run's size.
 */
export interface ModelScenario extends ScenarioCommon {
  kind: 'model';
  /** The family's regions; `text` states the predicate in words. */
  regions: { name: string; text: string }[];
  /** Kernel model for `particles` particles (the data depend on the seed and the particle index). */
  kernelModel(particles: number): KernelModel;
  /** Its kernel model names a particle program (the webasm backend's SIMD products run it). */
  hasProgram: boolean;
  /** What predict can say for this scenario (closed forms), one line each. */
  predictions(): string[];
  /** The equilibrium mean of the observable (the family's theory), or null. */
  equilibriumObservable(): number | null;
}

/** A scenario resolved: every formula parsed, every default filled, every override applied. */
export type Scenario = FormulaScenario | ModelScenario;

export const OTHER_REGION = 'other';

/** The one-line refusal where a command needs a potential formula and the scenario's family has none. */
export function noFormula(s: ModelScenario, what: string): string {
  return `${s.file}: family ${s.family} defines its particles as models with their own data, not by a potential formula, so ${what} is not available for it`;
}

/**
 * Which kind of kernels a scenario compiles to, for `--backend auto` (engine/backend.ts): a model with a
 * particle program runs its data loops fastest as webasm's SIMD products; every other model and formula
 * fastest on cpu (BENCHMARKS.md: first-order-network 0.44 vs 0.12, liu-decoder 0.00067 vs 0.00056 M
 * particle-steps/s).
 */
export function workloadOf(s: Scenario): KernelWorkload {
  return s.kind === 'model' && s.hasProgram ? 'data-loops' : 'pointwise';
}
