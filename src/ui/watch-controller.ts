import path from 'node:path';
import { censoredExponential, exposureFrom } from '../analysis/index.js';
import { openBackend, type BackendRequest } from '../engine/backend.js';
import type { Simulation } from '../engine/simulation.js';
import { compileEvaluator } from '../formula/index.js';
import { toKernelModel } from '../landscape/kernel-model.js';
import { resolveScenario } from '../landscape/resolve.js';
import { workloadOf, type Scenario } from '../landscape/scenario.js';
import { initialState } from '../observe/initial-state.js';
import { countRegions, fractionsOf, type PopulationSeries } from '../observe/populations.js';
import { createSimulation } from '../observe/run-scenario.js';
import { ensureWritableDir } from '../output/atomic.js';
import { writeRunFiles } from '../output/run-files.js';
import { predict } from '../predict/predict.js';
import type { Prediction } from '../predict/prediction.js';
import { collectEscapes } from '../report/escapes.js';
import { buildSummary, measuresOf } from '../report/summary.js';
import { ScenarioError } from '../scenario/errors.js';
import { temperatureProblem, temperatureRange } from '../scenario/float32.js';
import type { WatchSnapshot } from './snapshot.js';

/** Cell-steps per kernel call while watching: about a tenth of a second of work, so keys stay responsive. */
const WATCH_CALL_BUDGET = 3e6;
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
 * The simulation behind `grokscape watch`: runs kernel calls back to back, keeps the statistics since the
 * last restart, applies the user's commands between calls, and publishes snapshots. No rendering here.
 */
export class WatchController {
  private listeners = new Set<(s: WatchSnapshot) => void>();
  /** What the user asked for (space); `paused` follows it at the next kernel-call boundary. */
  private pauseRequested = false;
  /** The loop is holding: the screen says PAUSED only from here on, so the time shown no longer moves. */
  private paused = false;
  private stopped = false;
  private message = '';
  private series!: PopulationSeries;
  private lastTick = { time: performance.now(), step: 0 };
  private throughput = 0;
  private observable!: (x: ArrayLike<number>) => number;
  private range: [number, number] = [0, 1];
  private pending: (() => Promise<void>)[] = [];
  private prediction: Prediction | null = null;

  private constructor(
    private scenario: Scenario,
    private readonly sim: Simulation,
    private overrides: Record<string, number>,
    private readonly saveRoot: string,
  ) {
    this.onScenario();
    this.restartStatistics();
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

  get hasDataSize(): boolean {
    return Object.hasOwn(this.scenario.parameters, 'dataSize');
  }

  private onScenario(): void {
    const s = this.scenario;
    this.prediction = predict(s);
    this.observable =
      s.kind === 'model'
        ? s.observable.evaluate
        : compileEvaluator(s.observable.expr, s.layout.coordinates, s.parameters);
    const i = s.layout.coordinates.indexOf(s.observable.text);
    const walls = i >= 0 ? s.bounds[i] : null;
    this.range = walls ?? [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  }

  private restartStatistics(): void {
    this.sim.restartClock();
    this.series = { regions: [...this.scenario.regions.map((r) => r.name), 'other'], steps: [], counts: [] };
    this.lastTick = { time: performance.now(), step: this.sim.step };
  }

  togglePause(): void {
    this.pauseRequested = !this.pauseRequested;
    this.message = this.pauseRequested ? 'pausing after the current kernel call' : 'resumed';
    this.publish();
  }

  changeTemperature(up: boolean): void {
    this.pending.push(async () => {
      const temperature = this.scenario.temperature * (up ? TEMPERATURE_FACTOR : 1 / TEMPERATURE_FACTOR);
      // the float32 limits of the noise amplitude, as for a temperature in the file (scenario/float32.ts)
      if (temperatureProblem(temperature, this.scenario.dt)) {
        const [lo, hi] = temperatureRange(this.scenario.dt);
        this.message = `temperature ${Number(temperature.toPrecision(3))} refused: the float32 kernels allow [${lo}, ${hi}] at dt = ${this.scenario.dt}`;
        return;
      }
      await this.sim.reconfigure({ temperature });
      this.scenario = { ...this.scenario, temperature };
      this.overrides.temperature = temperature;
      this.onScenario();
      this.restartStatistics();
      this.message = `temperature ${Number(temperature.toPrecision(3))}: statistics restarted, positions kept`;
    });
  }

  changeDataSize(delta: number): void {
    if (!this.hasDataSize) {
      this.message = 'this scenario has no dataSize parameter';
      this.publish();
      return;
    }
    this.pending.push(async () => {
      const dataSize = this.scenario.parameters.dataSize + delta;
      let next: Scenario;
      try {
        next = resolveScenario(this.scenario.file, { ...this.overrides, dataSize });
      } catch (e) {
        this.message =
          e instanceof ScenarioError ? `dataSize ${dataSize} refused: ${e.message.split(': ').at(-1)}` : String(e);
        return;
      }
      await this.sim.reconfigure({ model: toKernelModel(next) });
      this.scenario = next;
      this.overrides.dataSize = dataSize;
      this.onScenario();
      this.restartStatistics();
      this.message = `dataSize ${dataSize}: statistics restarted, positions kept`;
    });
  }

  reset(): void {
    this.pending.push(async () => {
      this.sim.reset(initialState(this.scenario));
      this.restartStatistics();
      this.message = 'reset: particles back at the start';
    });
  }

  /** Saves what has been measured since the last restart, as `run` would. */
  save(): void {
    this.pending.push(async () => {
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
      const dir = path.join(this.saveRoot, `${this.scenario.name}-watch-${stamp}`);
      try {
        ensureWritableDir(dir);
        const stepsDone = this.sim.step - this.sim.origin;
        const escapes = collectEscapes(this.sim.firstPassage, this.sim.origin, stepsDone, this.scenario.dt);
        const summary = buildSummary({
          scenario: { ...this.scenario, steps: stepsDone },
          backend: this.sim.kernelMode,
          executor: this.sim.executorKind,
          populations: this.series,
          escapes,
          stepsDone,
          interrupted: false,
          elapsedSeconds: 0,
          prediction: this.prediction,
          measures: await measuresOf(this.scenario, this.sim, stepsDone),
        });
        writeRunFiles(dir, summary, this.series, escapes);
        this.message = `saved to ${dir}`;
      } catch (e) {
        this.message = `save failed: ${(e as Error).message.split('\n')[0]}`;
      }
    });
  }

  quit(): void {
    this.stopped = true;
  }

  /** Runs until quit() is called. */
  async loop(): Promise<void> {
    await this.record();
    while (!this.stopped) {
      while (this.pending.length > 0) await this.pending.shift()!();
      if (this.pauseRequested) {
        if (!this.paused) this.message = 'paused';
        this.paused = true;
        this.publish();
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      this.paused = false;
      await this.sim.advance(this.sim.config.chunk);
      await this.record();
      await new Promise((r) => setImmediate(r)); // let keys and renders in
    }
    await this.sim.destroy();
  }

  private async record(): Promise<void> {
    const regions = await this.sim.regions();
    this.series.steps.push(this.sim.step - this.sim.origin);
    this.series.counts.push(countRegions(regions, this.scenario.regions.length));
    if (this.series.steps.length > HISTORY_MAX) {
      // keep every other recording: the chart keeps its whole time span at half the resolution
      this.series.steps = this.series.steps.filter((_, i) => i % 2 === 0);
      this.series.counts = this.series.counts.filter((_, i) => i % 2 === 0);
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
    for (const v of values) {
      if (v < this.range[0]) this.range[0] = v;
      if (v > this.range[1]) this.range[1] = v;
    }
    if (!(this.range[1] > this.range[0])) this.range = [this.range[0] - 0.5, this.range[0] + 0.5];
    const stepsDone = this.sim.step - this.sim.origin;
    const time = stepsDone * s.dt;
    let escape: WatchSnapshot['escape'] = null;
    if (s.escape) {
      const esc = collectEscapes(this.sim.firstPassage, this.sim.origin, stepsDone, s.dt);
      const { events, exposure } = exposureFrom(
        esc.steps.map((k) => k * s.dt),
        time,
        0,
        this.sim.particles,
        s.dt,
      );
      const est = exposure > 0 ? censoredExponential(events, exposure) : null;
      escape = {
        from: s.escape.from,
        to: s.escape.to,
        events: esc.steps.length,
        rate: est?.rate ?? 0,
        rateCI95: est?.rateCI95 ?? [0, 0],
        mfpt: est?.mfpt ?? null,
        predictedMfpt: this.prediction?.mfpt ?? null,
      };
    }
    const last = this.series.counts.at(-1);
    return {
      scenario: s.name,
      backend: this.sim.kernelMode,
      particles: this.sim.particles,
      temperature: s.temperature,
      dataSize: this.hasDataSize ? s.parameters.dataSize : null,
      paused: this.paused,
      time,
      step: stepsDone,
      particleStepsPerSecond: this.throughput,
      regions: this.series.regions,
      history: this.series.counts.map(fractionsOf),
      current: last ? fractionsOf(last) : [],
      predicted: this.prediction?.populations ?? null,
      observable: { label: s.observable.text, lo: this.range[0], hi: this.range[1], values },
      escape,
      message: this.message,
    };
  }

  private publish(): void {
    if (this.listeners.size === 0) return;
    const snap = this.snapshot();
    for (const fn of this.listeners) fn(snap);
  }
}
