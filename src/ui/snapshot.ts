/** Everything the watch screen shows, as plain data: the components render it, tests construct it. */
export interface WatchSnapshot {
  scenario: string;
  backend: string;
  particles: number;
  temperature: number;
  /** The scenario's data size, when it has one. */
  /** The scenario's knob (landscape `knob`, stepped by d/D) and its value, or null. */
  knob: { name: string; value: number } | null;
  paused: boolean;
  /** Simulated time since the statistics last restarted. */
  time: number;
  step: number;
  particleStepsPerSecond: number;
  regions: string[];
  /** Fractions per region (regions order, 'other' last) over time, oldest first. */
  history: number[][];
  current: number[];
  predicted: Record<string, number> | null;
  /** Values of the order observable for (a sample of) the particles, and the range to bin them over. */
  observable: { label: string; lo: number; hi: number; values: Float32Array };
  escape: {
    from: string;
    to: string;
    events: number;
    /** Particles counted in this segment: those in `from` when it started (all, in the first). */
    atRisk: number;
    rate: number;
    rateCI95: [number, number];
    mfpt: number | null;
    predictedMfpt: number | null;
  } | null;
  /** A transient line: what the last key did, where results were saved, an error. */
  message: string;
}
