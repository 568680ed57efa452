import type { Simulation } from '../engine/simulation.js';

/** What a reporter sees when it is called: the simulation between two kernel calls. */
export interface DriveState {
  sim: Simulation;
  /** Steps since the drive's origin (its start, or its last restart). */
  step: number;
  /** Steps asked for (Infinity: until stopped). */
  steps: number;
  /** Wall time since the drive started. */
  elapsedSeconds: number;
  /** The kernel call just made, or null (the report at step 0, and the final one of an interrupted drive). */
  call: { steps: number; ms: number } | null;
  /** True in the final report of a drive that stopped before `steps` (signal or stop()). */
  interrupted: boolean;
}

/**
 * Watches a drive (OpenMM's reporters, JAX-MD's apply side): called at step 0, at every multiple of `every`
 * (kernel calls are cut there, so the steps reported never depend on the chunking), at the last step, and
 * once more at the step where an interrupted drive stopped. `eachCall`: also after every kernel call.
 */
export interface Reporter {
  every?: number;
  eachCall?: boolean;
  report(state: DriveState): void | Promise<void>;
}

export interface DriveOptions {
  /** Steps to take (default Infinity: until stop() or the signal). */
  steps?: number;
  reporters: Reporter[];
  /** Aborting stops the drive at the next kernel-call boundary. */
  signal?: AbortSignal;
  /** Steps per kernel call at most, read before each call (default: the simulation's config.chunk). */
  chunk?: () => number;
  /** Called at each poll while the drive holds (pause()); `first`: the first poll of this hold. */
  onHold?: (first: boolean) => void;
}

export interface DriveResult {
  /** Steps completed since the origin (fewer than asked if interrupted). */
  stepsDone: number;
  interrupted: boolean;
  elapsedSeconds: number;
  /** When the drive started (ISO 8601, UTC). */
  startedAt: string;
}

const HOLD_POLL_MS = 50;

/**
 * The one loop that steps a simulation: `run`, scan points, sweeps, the bench and the watch view all advance
 * through it. Between kernel calls it runs queued actions (the watch's keys), holds while paused, honours
 * restarts (a new origin: reporters see step 0 again) and stops on the signal or stop().
 */
export class Driver {
  private origin = 0;
  private started = 0;
  private actions: (() => void | Promise<void>)[] = [];
  private stopRequested = false;
  private pauseRequested = false;
  private zeroPending = false;
  private last = new Map<Reporter, number>();
  /** The drive is holding (paused at a kernel-call boundary). */
  held = false;

  constructor(
    readonly sim: Simulation,
    private readonly o: DriveOptions,
  ) {}

  /** Steps since the origin. */
  get step(): number {
    return this.sim.step - this.origin;
  }

  get pausing(): boolean {
    return this.pauseRequested;
  }

  /** Runs `action` at the next kernel-call boundary (in order, also while holding). */
  enqueue(action: () => void | Promise<void>): void {
    this.actions.push(action);
  }

  pause(): void {
    this.pauseRequested = true;
  }

  resume(): void {
    this.pauseRequested = false;
  }

  /** Ends the drive at the next kernel-call boundary. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Starts the counting again from the current step (first passages too); with `initial`, the particles go
   * back to those positions first. Reporters get step 0 before the next kernel call.
   */
  restart(initial?: Float32Array[]): void {
    if (initial) this.sim.reset(initial);
    else this.sim.restartClock();
    this.origin = this.sim.step;
    this.zeroPending = true;
  }

  private async report(r: Reporter, call: DriveState['call'], interrupted = false): Promise<void> {
    const step = this.step;
    this.last.set(r, step);
    await r.report({
      sim: this.sim,
      step,
      steps: this.o.steps ?? Number.POSITIVE_INFINITY,
      elapsedSeconds: (performance.now() - this.started) / 1000,
      call,
      interrupted,
    });
  }

  private async reportZero(): Promise<void> {
    this.zeroPending = false;
    for (const r of this.o.reporters) await this.report(r, null);
  }

  /** The next step at which a reporter's interval or the end asks the kernel calls to stop. */
  private boundary(steps: number): number {
    const done = this.step;
    let next = steps;
    for (const r of this.o.reporters) {
      if (r.every !== undefined) next = Math.min(next, (Math.floor(done / r.every) + 1) * r.every);
    }
    return next;
  }

  async run(): Promise<DriveResult> {
    const steps = this.o.steps ?? Number.POSITIVE_INFINITY;
    const chunk = this.o.chunk ?? (() => this.sim.config.chunk);
    this.started = performance.now();
    const startedAt = new Date().toISOString();
    this.origin = this.sim.step;
    await this.reportZero();
    let interrupted = false;
    for (;;) {
      while (this.actions.length > 0) await this.actions.shift()!();
      if (this.zeroPending) await this.reportZero();
      if (this.step >= steps) break;
      if (this.stopRequested || this.o.signal?.aborted) {
        interrupted = true;
        break;
      }
      if (this.pauseRequested) {
        const first = !this.held;
        this.held = true;
        this.o.onHold?.(first);
        await new Promise((r) => setTimeout(r, HOLD_POLL_MS));
        continue;
      }
      this.held = false;
      const k = Math.min(this.boundary(steps) - this.step, chunk());
      const t0 = performance.now();
      await this.sim.advance(k);
      const call = { steps: k, ms: performance.now() - t0 };
      const done = this.step;
      for (const r of this.o.reporters) {
        if (r.eachCall || done === steps || (r.every !== undefined && done % r.every === 0)) await this.report(r, call);
      }
    }
    if (interrupted) {
      for (const r of this.o.reporters) if (this.last.get(r) !== this.step) await this.report(r, null, true);
    }
    return {
      stepsDone: this.step,
      interrupted,
      elapsedSeconds: (performance.now() - this.started) / 1000,
      startedAt,
    };
  }
}

/** Drives `sim` for `o.steps` steps (see Driver). */
export function drive(sim: Simulation, o: DriveOptions): Promise<DriveResult> {
  return new Driver(sim, o).run();
}
