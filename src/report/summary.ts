import type { Simulation } from '../engine/simulation.js';
import { describeAdapter } from '../engine/webgpu.js';
import { censoredExponential, exposureFrom, fitLag, kaplanMeier, type RateEstimate } from '../analysis/index.js';
import type { Measures } from '../landscape/scenario.js';
import type { Scenario } from '../landscape/scenario.js';
import type { Prediction } from '../landscape/prediction.js';
import {
  type EquilibriumCheck,
  equilibriumCheck,
  fractionsOf,
  meanFractions,
  type PopulationSeries,
} from '../observe/populations.js';
import { VERSION } from '../version.js';
import type { ScenarioRun } from '../observe/run-scenario.js';
import { collectEscapes, type EscapeData } from './escapes.js';
import { provenance } from './provenance.js';

export const SCHEMA_VERSION = 1;

export interface EscapeSummary extends Omit<RateEstimate, 'upperBoundOnly'> {
  from: string;
  to: string;
  censored: number;
  /** true when no particle escaped: rateCI95[1] is then an upper bound on the rate. */
  upperBoundOnly: boolean;
  lag: {
    lag: number;
    rateAfterLag: number;
    rateAfterLagCI95: [number, number];
    exponentialConsistent: boolean;
    criterion: string;
  } | null;
  /** Kaplan-Meier survival in `from`, sampled at up to 101 evenly spaced times over the run. */
  survival: { time: number[]; survival: number[] };
}

const SURVIVAL_SAMPLES = 100;

/** `escape.lag.criterion` of a run at temperature 0, where the exponential check does not apply. */
export const LAG_NOT_APPLICABLE = 'not applicable at T = 0';

function sampledSurvival(times: number[], particles: number, censorTime: number): EscapeSummary['survival'] {
  const km = kaplanMeier(times, { count: particles - times.length, time: censorTime });
  const grid = Array.from({ length: SURVIVAL_SAMPLES + 1 }, (_, i) => (censorTime * i) / SURVIVAL_SAMPLES);
  let j = -1;
  const survival = grid.map((t) => {
    while (j + 1 < km.time.length && km.time[j + 1] <= t) j++;
    return j < 0 ? 1 : km.survival[j];
  });
  return { time: grid, survival };
}

export interface Summary {
  schemaVersion: number;
  scenario: string;
  scenarioFile: string;
  description: string;
  family: string | null;
  parameters: Record<string, number>;
  /** The potential formula, or null for a model family (no formula). */
  potential: string | null;
  coordinates: string[];
  /** The resolved regions, each predicate as written (a family's in words), in the order of populations. */
  regions: { name: string; predicate: string }[];
  /** Where the particles started: a formula scenario's point and Gaussian spread, or the family that draws it. */
  start: { point: Record<string, number>; spread: number } | { drawnBy: string };
  /** Reflecting walls [lo, hi] of the coordinates that have them (absent: none). */
  bounds: Record<string, [number, number]>;
  /** The order observable of histograms and sweeps, as written (a coordinate name by default). */
  observable: string;
  temperature: number;
  dt: number;
  steps: number;
  stepsDone: number;
  interrupted: boolean;
  particles: number;
  seed: number;
  backend: string;
  /** The WebGPU adapter the kernels ran on (vendor, name, software or hardware); absent on other backends. */
  adapter?: string;
  executor: string;
  version: string;
  /** When the run started (ISO 8601, UTC), the command line, and the software it ran on. */
  startedAt: string;
  command: string[];
  node: string;
  platform: string;
  gitCommit: string | null;
  recordEvery: number;
  elapsedSeconds: number;
  particleStepsPerSecond: number;
  escape: EscapeSummary | null;
  /** Fractions at the end, their mean over the second half, and whether the third and fourth quarters agree. */
  populations: { final: Record<string, number>; mean: Record<string, number>; equilibrium: EquilibriumCheck };
  prediction: Prediction | null;
  comparison: Record<string, number | Record<string, number> | null>;
  /** A model family's own results from the final state (e.g. lazy-rich's delay to generalize); absent otherwise. */
  measures?: Measures;
  /** Set only for a segment that `watch` saved: which one, and how it continued the session. */
  segment?: WatchSegment;
}

/** A `watch` segment's place in its session: without it a later segment would read as a fresh run. */
export interface WatchSegment {
  /** 1 for the first. */
  index: number;
  /** What started it: `start`, `reset`, or the change (`T=0.313`, `dataSize=2`). */
  cause: string;
  /** The session's engine step at its first step: the noise stream goes on from there, never restarts. */
  firstEngineStep: number;
  /** Escapes count only these particles: those in escape.from when the segment began. */
  particlesAtRisk: number;
  /** Only the first segment equals `grokscape run` with its settings; the others continue the session. */
  reproducibleByRun: boolean;
}

const byRegion = (names: string[], values: number[]) => Object.fromEntries(names.map((n, i) => [n, values[i]]));

export function escapeSummary(s: Scenario, esc: EscapeData): EscapeSummary | null {
  if (!s.escape) return null;
  const times = esc.steps.map((k) => k * s.dt);
  // dt: an escape seen at step n happened during step n, counted at its middle (no k dt / 2 bias)
  const { events, exposure } = exposureFrom(times, esc.censorTime, 0, esc.particlesTotal, s.dt);
  const est = censoredExponential(events, exposure);
  let lag: EscapeSummary['lag'] = null;
  if (s.temperature === 0) {
    // Plain gradient descent is deterministic given the start and the data: whether its escape times look
    // memoryless says nothing about the dynamics, so no lag is fitted. The fields stay (lag 0, the rate over
    // the whole run, exponentialConsistent false) and `criterion` marks them.
    lag = {
      lag: 0,
      rateAfterLag: est.rate,
      rateAfterLagCI95: est.rateCI95,
      exponentialConsistent: false,
      criterion: LAG_NOT_APPLICABLE,
    };
  } else if (events >= 10) {
    const f = fitLag(times, esc.particlesTotal, esc.censorTime, { dt: s.dt });
    lag = {
      lag: f.lag,
      rateAfterLag: f.rateAfterLag.rate,
      rateAfterLagCI95: f.rateAfterLag.rateCI95,
      exponentialConsistent: f.exponentialConsistent,
      criterion: f.criterion,
    };
  }
  const survival =
    esc.censorTime > 0 ? sampledSurvival(times, esc.particlesTotal, esc.censorTime) : { time: [0], survival: [1] };
  return { from: s.escape.from, to: s.escape.to, ...est, censored: esc.particlesTotal - events, lag, survival };
}

export interface SummaryInput {
  scenario: Scenario;
  backend: string;
  adapter?: string;
  executor: string;
  populations: PopulationSeries;
  escapes: EscapeData;
  stepsDone: number;
  interrupted: boolean;
  elapsedSeconds: number;
  startedAt: string;
  prediction: Prediction | null;
  measures?: Measures | null;
  segment?: WatchSegment;
}

/** The state and first-passage record a family's measures read (a Simulation has them). */
export interface FinalState {
  row(i: number): Float32Array;
  firstPassage: Float64Array;
  origin: number;
  particles: number;
}

/**
 * A model family's measures of a finished run, or null (formula scenarios, families without measures).
 * `signal` cuts long host work short: the family then reports over what it decided.
 */
export async function measuresOf(
  s: Scenario,
  sim: FinalState,
  stepsDone: number,
  signal?: AbortSignal,
): Promise<Measures | null> {
  if (!s.measures) return null;
  const escapeSteps = sim.firstPassage.map((f) => (f >= sim.origin ? f - sim.origin : -1));
  return s.measures(sim.particles, { row: (i) => sim.row(i), escapeSteps, stepsDone, signal });
}

export function buildSummary(i: SummaryInput): Summary {
  const s = i.scenario;
  const prov = provenance();
  const pops = i.populations;
  const final = byRegion(pops.regions, fractionsOf(pops.counts.at(-1)!));
  const mean = byRegion(pops.regions, meanFractions(pops, i.stepsDone / 2));
  const escape = escapeSummary(s, i.escapes);
  const comparison: Summary['comparison'] = {};
  const pred = i.prediction;
  if (pred?.mfpt != null && escape?.mfpt != null) comparison.mfpt = escape.mfpt / pred.mfpt;
  // in D > 1 the Eyring-Kramers time is the only prediction: compared by name, as an asymptote
  else if (pred?.kramers?.time != null && escape?.mfpt != null)
    comparison.kramersTime = escape.mfpt / pred.kramers.time;
  if (pred?.populations) {
    comparison.populations = Object.fromEntries(
      Object.entries(pred.populations)
        .filter(([, v]) => v > 0)
        .map(([k, v]) => [k, (mean[k] ?? 0) / v]),
    );
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    scenario: s.name,
    scenarioFile: s.file,
    description: s.description,
    family: s.family,
    parameters: s.parameters,
    potential: s.potentialText,
    coordinates: s.layout.coordinates,
    regions: s.regions.map((r) => ({ name: r.name, predicate: r.text })),
    start: s.startRecord,
    bounds: Object.fromEntries(
      s.layout.coordinates.flatMap((c, k) => {
        const b = s.bounds[k];
        return b ? [[c, b]] : [];
      }),
    ),
    observable: s.observable.text,
    temperature: s.temperature,
    dt: s.dt,
    steps: s.steps,
    stepsDone: i.stepsDone,
    interrupted: i.interrupted,
    particles: s.particles,
    seed: s.seed,
    backend: i.backend,
    ...(i.adapter ? { adapter: i.adapter } : {}),
    executor: i.executor,
    version: VERSION,
    startedAt: i.startedAt,
    command: prov.command,
    node: prov.node,
    platform: prov.platform,
    gitCommit: prov.gitCommit,
    recordEvery: s.recordEvery,
    elapsedSeconds: i.elapsedSeconds,
    particleStepsPerSecond: i.elapsedSeconds > 0 ? (s.particles * i.stepsDone) / i.elapsedSeconds : 0,
    escape,
    populations: {
      final,
      mean,
      equilibrium: equilibriumCheck(
        pops,
        i.stepsDone,
        s.particles,
        escape ? { runTime: i.stepsDone * s.dt, mfpt: escape.events > 0 ? escape.mfpt : null } : undefined,
      ),
    },
    prediction: pred,
    comparison,
    ...(i.measures ? { measures: i.measures } : {}),
    ...(i.segment ? { segment: i.segment } : {}),
  };
}

/** Where a simulation's kernels ran, as summary.json records it (the adapter only on webgpu). */
export function ranOn(sim: Simulation): Pick<SummaryInput, 'backend' | 'adapter' | 'executor'> {
  return {
    backend: sim.kernelMode,
    ...(sim.kernelMode === 'webgpu' && sim.backend.adapter ? { adapter: describeAdapter(sim.backend.adapter) } : {}),
    executor: sim.executorKind,
  };
}

/** The summary of a finished `runScenario`, and the escapes it counts (which `run` also writes to escapes.csv). */
export async function summarizeRun(
  s: Scenario,
  run: ScenarioRun,
  prediction: Prediction | null,
  signal?: AbortSignal,
): Promise<{ summary: Summary; escapes: EscapeData }> {
  const escapes = collectEscapes(run.sim.firstPassage, run.sim.origin, run.stepsDone, s.dt);
  const measures = await measuresOf(s, run.sim, run.stepsDone, signal);
  const summary = buildSummary({
    scenario: s,
    ...ranOn(run.sim),
    populations: run.populations,
    escapes,
    stepsDone: run.stepsDone,
    // An interrupt after the last step cuts the family's measures short: the output is incomplete too.
    interrupted: run.interrupted || signal?.aborted === true,
    elapsedSeconds: run.elapsedSeconds,
    startedAt: run.startedAt,
    prediction,
    measures,
  });
  return { summary, escapes };
}
