import fs from 'node:fs';
import path from 'node:path';
import { censoredExponential, exposureFrom } from '../analysis/index.js';
import { openBackend, type BackendRequest } from '../engine/backend.js';
import { DivergenceError, type Simulation } from '../engine/simulation.js';
import { toKernelModel } from '../landscape/kernel-model.js';
import { resolveScenario } from '../landscape/resolve.js';
import { workloadOf, type Scenario } from '../landscape/scenario.js';
import { type DriveState, Driver, type Reporter } from '../observe/driver.js';
import { countRegions, fractionsOf, type PopulationSeries } from '../observe/populations.js';
import { createSimulation } from '../observe/run-scenario.js';
import { ensureWritableDir } from '../output/atomic.js';
import { writeRunFiles } from '../output/run-files.js';
import { predict } from '../landscape/predict.js';
import type { Prediction } from '../landscape/prediction.js';
import { collectEscapes, type EscapeData } from '../report/escapes.js';
import { buildSummary, measuresOf, ranOn, type Summary } from '../report/summary.js';
import { ScenarioError } from '../scenario/errors.js';
import type { WatchSnapshot } from './snapshot.js';

/** Cell-steps per kernel call while watching at most: about a tenth of a second of work on this machine. */
const WATCH_CALL_BUDGET = 3e6;
/** Wall time one advance may take, so that a key press is answered within about this (plus a frame). */
const CALL_TARGET_MS = 40;
const HISTORY_MAX = 2000;
const HISTOGRAM_SAMPLE = 20000;
const TEMPERATURE_FACTOR = 1.25;

export interface WatchOptions {
  scenario: string;
  overrides: Record<string, number>;
  backend: BackendRequest;
  /** Directory under which `s` saves results (default runs/). */
  saveRoot?: string;
}

/**
 * A stretch of the watch under one set of conditions: a change of temperature or data size starts a new
 * one, as a new run would. Escapes count only the particles that were in the source region at its start.
 */
interface Segment {
  scenario: Scenario;
  /** Engine step at its start. */
  origin: number;
  startedAt: string;
  /** Wall time spent stepping (pauses excluded). */
  runMs: number;
  /** Particles counted for escapes (1 each); null: all (the first segment and after a reset). */
  atRisk: Uint8Array | null;
  /** Populations at the scenario's recording interval, never thinned: what a save writes. */
  series: PopulationSeries;
  /** What started it, for the saved files' names. */
  cause: string;
  /** 1 for the first. */
  index: number;
  /** Whether it began from the previous segment's last positions (a change), not from the scenario's start. */
  continued: boolean;
}

/** A finished segment, summarized when it ended (its state is gone by the time the user saves). */
interface FinishedSegment {
  summary: Summary;
  series: PopulationSeries;
  escapes: EscapeData;
  cause: string;
}

/**
 * The simulation behind `grokscape watch`: a reporter of one open-ended drive (observe/driver.ts), which
 * runs the kernel calls back to back, holds on pause, applies the user's commands between calls and restarts
 * the counting for a new segment; here are the statistics of the current segment and the snapshots. No
 * rendering here.
 */
/** What ended a watch session: the q key, or an interruption (Ctrl-C is SIGINT, also when typed as a key). */
export type QuitCause = 'q' | 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export class WatchController {
  /** Set by the first quit(). */
  quitCause: QuitCause | null = null;
  private listeners = new Set<(s: WatchSnapshot) => void>();
  private changeListeners = new Set<() => void>();
  /** Steps the simulation; pause (space) takes effect at its next kernel-call boundary. */
  private readonly driver: Driver;
  private message = '';
  private segment!: Segment;
  private finished: FinishedSegment[] = [];
  /** The chart's history: every call's populations, thinned by half when long. */
  private history: { steps: number[]; counts: number[][] } = { steps: [], counts: [] };
  private current: number[] = [];
  private lastTick = { time: performance.now(), step: 0 };
  private throughput = 0;
  private observable!: (x: ArrayLike<number>) => number;
  private range: [number, number] = [0, 1];
  /** The observable is a coordinate with walls: the histogram spans them. */
  private rangeFixed = false;
  private prediction: Prediction | null = null;
  /** Steps per advance, adapted so that one advance takes about CALL_TARGET_MS. */
  private stride: number;

  private constructor(
    private scenario: Scenario,
    private readonly sim: Simulation,
    private overrides: Record<string, number>,
    private readonly saveRoot: string,
  ) {
    this.stride = Math.max(1, Math.min(sim.config.chunk, 16));
    const segment = () => this.segment;
    // every kernel call updates the screen; calls stop at each recording boundary, so the saved
    // populations keep the scenario's interval
    const watcher: Reporter = {
      get every() {
        return segment().scenario.recordEvery;
      },
      eachCall: true,
      report: (state) => this.onReport(state),
    };
    this.driver = new Driver(sim, {
      reporters: [watcher],
      chunk: () => this.stride,
      onHold: (first) => {
        // the screen says PAUSED only from here on, so the time shown no longer moves, nor does the speed
        if (first) {
          this.message = 'paused';
          this.throughput = 0;
        }
        this.publish();
      },
    });
    this.onScenario();
    this.newSegment(null, 'start');
  }

  static async start(o: WatchOptions): Promise<WatchController> {
    const scenario = resolveScenario(o.scenario, o.overrides);
    const backend = await openBackend(o.backend, workloadOf(scenario));
    const sim = createSimulation(scenario, backend, WATCH_CALL_BUDGET);
    return new WatchController(scenario, sim, { ...o.overrides }, o.saveRoot ?? 'runs');
  }

  subscribe(fn: (s: WatchSnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Calls `fn` when something changed, without building a snapshot: the screen pulls one per frame
   * (snapshot() samples the observable and counts escapes, tens of ms at 65,536 particles; built for every
   * kernel call it took the main thread from the keys).
   */
  onChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  /** Segments so far, the current one last: what `s` saves (tests read it). */
  get segmentCount(): number {
    return this.finished.length + 1;
  }

  private onScenario(): void {
    const s = this.scenario;
    this.prediction = predict(s);
    this.observable = s.observable.evaluate;
    const i = s.layout.coordinates.indexOf(s.observable.text);
    const walls = i >= 0 ? s.bounds[i] : null;
    this.rangeFixed = walls !== null;
    this.range = walls ? [...walls] : [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  }

  private stepsDone(): number {
    return this.sim.step - this.segment.origin;
  }

  /** Summary, populations and escapes of the current segment up to now. */
  private async summarizeSegment(withMeasures: boolean): Promise<FinishedSegment> {
    const seg = this.segment;
    const stepsDone = this.stepsDone();
    const s = seg.scenario;
    const escapes = collectEscapes(this.sim.firstPassage, seg.origin, stepsDone, s.dt, seg.atRisk);
    const series =
      seg.series.steps.at(-1) === stepsDone
        ? seg.series
        : { ...seg.series, steps: [...seg.series.steps, stepsDone], counts: [...seg.series.counts, this.current] };
    const summary = buildSummary({
      scenario: {
        ...s,
        steps: stepsDone,
        ...(seg.continued
          ? { startRecord: { drawnBy: `segment ${seg.index - 1}: its particles where it ended` } }
          : {}),
      },
      ...ranOn(this.sim),
      populations: series,
      escapes,
      stepsDone,
      interrupted: false,
      elapsedSeconds: seg.runMs / 1000,
      startedAt: seg.startedAt,
      prediction: this.prediction,
      measures: withMeasures ? await measuresOf(s, this.sim, stepsDone) : null,
      segment: {
        index: seg.index,
        cause: seg.cause,
        firstEngineStep: seg.origin,
        particlesAtRisk: escapes.particlesTotal,
        reproducibleByRun: seg.index === 1,
      },
    });
    return { summary, series, escapes, cause: seg.cause };
  }

  /**
   * Starts a new segment from the current positions (from `initial` after a reset): the drive restarts its
   * counting. `atRisk`: the particles in the source region now, or null for all.
   */
  private newSegment(atRisk: Uint8Array | null, cause: string, initial?: Float32Array[]): void {
    // a segment that ran no step is replaced, not numbered: saved indices stay 1, 2, 3 ... and a continued
    // segment names the one its particles came from
    const previous = this.segment;
    const replacing = previous !== undefined && this.stepsDone() === 0;
    this.driver.restart(initial);
    const index = previous === undefined ? 1 : previous.index + (replacing ? 0 : 1);
    this.segment = {
      index,
      continued: initial === undefined && (replacing ? previous.continued : index > 1),
      scenario: this.scenario,
      origin: this.sim.step,
      startedAt: new Date().toISOString(),
      runMs: 0,
      atRisk,
      series: { regions: [...this.scenario.regions.map((r) => r.name), 'other'], steps: [], counts: [] },
      cause,
    };
    this.history = { steps: [], counts: [] };
    this.lastTick = { time: performance.now(), step: this.sim.step };
  }

  private async endSegment(): Promise<void> {
    if (this.stepsDone() > 0) this.finished.push(await this.summarizeSegment(false));
  }

  /** The particles now in the escape's source region (all when the scenario counts no escapes). */
  private async inSource(): Promise<Uint8Array | null> {
    const esc = this.scenario.escape;
    if (!esc) return null;
    const from = this.scenario.regions.findIndex((r) => r.name === esc.from);
    const regions = await this.sim.regions();
    return Uint8Array.from(regions, (r) => (r === from ? 1 : 0));
  }

  togglePause(): void {
    if (this.driver.pausing) {
      this.driver.resume();
      // the speed after a pause is measured from the resumption, not over the pause
      this.lastTick = { time: performance.now(), step: this.sim.step };
    } else this.driver.pause();
    this.message = this.driver.pausing ? 'pausing after the current kernel call' : 'resumed';
    this.publish();
  }

  /** Says at once what a key will do: the change itself waits for the kernel call in flight. */
  private acknowledge(message: string): void {
    this.message = message;
    this.publish();
  }

  /** The scenario with one more override, checked as every other path checks it; null (and why) if refused. */
  private resolveWith(name: string, value: number, shown = String(value)): Scenario | null {
    try {
      return resolveScenario(this.scenario.file, { ...this.overrides, [name]: value });
    } catch (e) {
      this.message =
        e instanceof ScenarioError ? `${name} ${shown} refused: ${e.message.split(': ').at(-1)}` : String(e);
      return null;
    }
  }

  changeTemperature(up: boolean): void {
    if (this.scenario.temperature === 0) {
      this.acknowledge('temperature 0 (plain gradient descent): +/- scale a positive temperature; nothing changed');
      return;
    }
    this.acknowledge(`temperature ${up ? 'up' : 'down'}: applying after the current kernel call`);
    this.driver.enqueue(async () => {
      const temperature = this.scenario.temperature * (up ? TEMPERATURE_FACTOR : 1 / TEMPERATURE_FACTOR);
      // the run conditions (landscape/conditions.ts), as for a temperature in the file or --set
      const next = this.resolveWith('temperature', temperature, String(Number(temperature.toPrecision(3))));
      if (next === null) return;
      await this.endSegment();
      await this.sim.reconfigure({ temperature });
      this.scenario = next;
      this.overrides.temperature = temperature;
      this.onScenario();
      const T = Number(temperature.toPrecision(3));
      this.newSegment(await this.inSource(), `T=${T}`);
      this.message = `temperature ${T}: new segment (escapes counted from the particles in ${this.scenario.escape?.from ?? 'place'} now)`;
    });
  }

  /** Steps the scenario's knob (e.g. dataSize) by `delta`, validated as every other path validates it. */
  changeKnob(delta: number): void {
    const knob = this.scenario.knob;
    if (knob === null) {
      this.message = 'this scenario has no parameter for d/D (a data size)';
      this.publish();
      return;
    }
    this.acknowledge(`${knob} ${delta > 0 ? 'up' : 'down'}: applying after the current kernel call`);
    this.driver.enqueue(async () => {
      const value = this.scenario.parameters[knob] + delta;
      const next = this.resolveWith(knob, value);
      if (next === null) return;
      await this.endSegment();
      await this.sim.reconfigure({ model: toKernelModel(next) });
      this.scenario = next;
      this.overrides[knob] = value;
      this.onScenario();
      this.newSegment(await this.inSource(), `${knob}=${value}`);
      this.message = `${knob} ${value}: new segment (escapes counted from the particles in ${next.escape?.from ?? 'place'} now)`;
    });
  }

  reset(): void {
    this.acknowledge('reset: after the current kernel call');
    this.driver.enqueue(async () => {
      await this.endSegment();
      this.newSegment(null, 'reset', this.scenario.initial());
      this.message = 'reset: particles back at the start, new segment';
    });
  }

  /**
   * Saves every segment so far, as `run` would write each: one directory, and with more than one segment a
   * sub-directory per segment (segment-1-start, segment-2-T=0.4, ...), which `plot` and `fit` read as runs.
   */
  save(): void {
    this.acknowledge('saving after the current kernel call');
    this.driver.enqueue(async () => {
      try {
        const segments = [...this.finished, ...(this.stepsDone() > 0 ? [await this.summarizeSegment(true)] : [])];
        if (segments.length === 0) {
          this.message = 'nothing to save yet';
          return;
        }
        const dir = this.writeSegments(segments);
        this.message = `saved ${segments.length} segment${segments.length > 1 ? 's' : ''} to ${dir}`;
      } catch (e) {
        this.message = `save failed: ${(e as Error).message.split('\n')[0]}`;
      }
    });
  }

  /**
   * Writes segments as `run` would write each, into a new directory (a second save in the same second gets
   * its own, -2, -3, ...): with more than one segment a sub-directory per segment. Returns the directory.
   */
  private writeSegments(segments: FinishedSegment[]): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
    const base = path.join(this.saveRoot, `${this.scenario.name}-watch-${stamp}`);
    let dir = base;
    for (let k = 2; fs.existsSync(dir); k++) dir = `${base}-${k}`;
    const dirs =
      segments.length === 1
        ? [dir]
        : segments.map((g) => path.join(dir, `segment-${g.summary.segment?.index ?? 0}-${g.cause}`));
    segments.forEach((g, k) => {
      ensureWritableDir(dirs[k]);
      writeRunFiles(dirs[k], g.summary, g.series, g.escapes);
    });
    return dir;
  }

  /** Stops the session; `cause` is what ended it ('q', or the signal an interruption is), for the exit status. */
  quit(cause: QuitCause = 'q'): void {
    this.quitCause ??= cause;
    this.driver.stop();
  }

  /**
   * Runs until quit() is called. A segment whose state diverges (a temperature raised past what dt can
   * take) ends the session, but the segments before it are saved first and the message says where.
   */
  async loop(): Promise<void> {
    try {
      await this.driver.run();
    } catch (e) {
      if (!(e instanceof DivergenceError)) throw e;
      const T = Number(this.scenario.temperature.toPrecision(3));
      let kept = 'nothing had finished before it';
      if (this.finished.length > 0) {
        try {
          kept = `the ${this.finished.length} segment(s) before it are saved in ${this.writeSegments(this.finished)}`;
        } catch (w) {
          kept = `saving the segments before it failed: ${(w as Error).message.split('\n')[0]}`;
        }
      }
      throw Object.assign(new DivergenceError(e.step, e.dt), {
        message: `watch: segment ${this.segment.index} (T=${T}) diverged ${this.stepsDone() > 0 ? `after ${this.stepsDone()} of its steps` : 'in its first kernel call'} at dt=${this.scenario.dt}: ${kept}; restart at a lower temperature or a smaller dt (--set dt=...)`,
      });
    } finally {
      await this.sim.destroy();
    }
  }

  /** The watcher's report: after each kernel call (and at a segment's step 0). */
  private async onReport({ call }: DriveState): Promise<void> {
    if (call) {
      this.segment.runMs += call.ms;
      // keys wait for the current call: keep it near CALL_TARGET_MS whatever the machine's load
      if (call.ms > CALL_TARGET_MS * 1.5 && this.stride > 1) this.stride = Math.max(1, Math.floor(this.stride / 2));
      else if (call.ms < CALL_TARGET_MS / 2 && call.steps === this.stride && this.stride < this.sim.config.chunk)
        this.stride = Math.min(this.sim.config.chunk, this.stride * 2);
    }
    await this.record();
    if (call) await new Promise((r) => setImmediate(r)); // let keys and renders in
  }

  private async record(): Promise<void> {
    const regions = await this.sim.regions();
    const counts = countRegions(regions, this.scenario.regions.length);
    const step = this.stepsDone();
    this.current = counts;
    if (step % this.segment.scenario.recordEvery === 0 && this.segment.series.steps.at(-1) !== step) {
      this.segment.series.steps.push(step);
      this.segment.series.counts.push(counts);
    }
    this.history.steps.push(step);
    this.history.counts.push(counts);
    if (this.history.steps.length > HISTORY_MAX) {
      // keep every other point: the chart keeps its whole time span at half the resolution
      this.history.steps = this.history.steps.filter((_, i) => i % 2 === 0);
      this.history.counts = this.history.counts.filter((_, i) => i % 2 === 0);
    }
    const now = performance.now();
    const dtWall = (now - this.lastTick.time) / 1000;
    if (dtWall > 0.2) {
      this.throughput = ((this.sim.step - this.lastTick.step) * this.sim.particles) / dtWall;
      this.lastTick = { time: now, step: this.sim.step };
    }
    this.publish();
  }

  private observableSample(): Float32Array {
    const P = this.sim.particles;
    const stride = Math.max(1, Math.floor(P / HISTOGRAM_SAMPLE));
    const D = this.scenario.layout.coordinates.length;
    const rows = Array.from({ length: D }, (_, i) => this.sim.row(i));
    const x = new Float64Array(D);
    const out = new Float32Array(Math.ceil(P / stride));
    for (let p = 0, j = 0; p < P; p += stride, j++) {
      for (let i = 0; i < D; i++) x[i] = rows[i][p];
      out[j] = this.observable(x);
    }
    return out;
  }

  snapshot(): WatchSnapshot {
    const s = this.scenario;
    const values = this.observableSample();
    if (!this.rangeFixed) this.range = histogramRange(this.range, values);
    const stepsDone = this.stepsDone();
    const time = stepsDone * s.dt;
    let escape: WatchSnapshot['escape'] = null;
    if (s.escape) {
      const esc = collectEscapes(this.sim.firstPassage, this.segment.origin, stepsDone, s.dt, this.segment.atRisk);
      const { events, exposure } = exposureFrom(
        esc.steps.map((k) => k * s.dt),
        time,
        0,
        esc.particlesTotal,
        s.dt,
      );
      const est = exposure > 0 ? censoredExponential(events, exposure) : null;
      escape = {
        from: s.escape.from,
        to: s.escape.to,
        events: esc.steps.length,
        atRisk: esc.particlesTotal,
        rate: est?.rate ?? 0,
        rateCI95: est?.rateCI95 ?? [0, 0],
        mfpt: est?.mfpt ?? null,
        predictedMfpt: this.prediction?.mfpt ?? null,
      };
    }
    const last = this.current.length > 0 ? this.current : null;
    return {
      scenario: s.name,
      backend: this.sim.kernelMode,
      particles: this.sim.particles,
      temperature: s.temperature,
      knob: s.knob === null ? null : { name: s.knob, value: s.parameters[s.knob] },
      paused: this.driver.held,
      time,
      step: stepsDone,
      particleStepsPerSecond: this.throughput,
      regions: this.segment.series.regions,
      history: this.history.counts.map(fractionsOf),
      current: last ? fractionsOf(last) : [],
      predicted: this.prediction?.populations ?? null,
      observable: { label: s.observable.text, lo: this.range[0], hi: this.range[1], values },
      escape,
      message: this.message,
    };
  }

  private publish(): void {
    for (const fn of this.changeListeners) fn();
    if (this.listeners.size === 0) return;
    const snap = this.snapshot();
    for (const fn of this.listeners) fn(snap);
  }
}

/**
 * The histogram's span for an observable without walls: it widens at once to take every value shown, and
 * narrows (to the values' span and a tenth more each side) only once they fill less than half of it, so that
 * the bins do not move with each frame but a population that gathers into a valley is not drawn as one bar.
 */
export function histogramRange(previous: [number, number], values: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return previous[1] > previous[0] ? previous : [-0.5, 0.5];
  const pad = hi > lo ? (hi - lo) / 10 : 0.5;
  const [a, b] = previous;
  if (!(b > a)) return [lo - pad, hi + pad];
  // widening keeps what is shown and pads only the side that moved
  if (lo < a || hi > b) return [lo < a ? lo - pad : a, hi > b ? hi + pad : b];
  return hi - lo < (b - a) / 2 ? [lo - pad, hi + pad] : previous;
}
