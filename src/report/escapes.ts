/** First-passage times of the particles that escaped, in simulation time, from the engine's step record. */
export interface EscapeData {
  /** Escaped particles' indices and exact steps (relative to the run's start). */
  particles: number[];
  steps: number[];
  /** Observed time span: steps done x dt. */
  censorTime: number;
  particlesTotal: number;
}

/**
 * `atRisk` (1 per particle counted) limits the record to the particles that were in the source region when
 * the statistics started: after a change of conditions mid-run (the watch view's keys), particles already
 * past the barrier are not escapes of the new segment. Without it every particle counts.
 */
export function collectEscapes(
  firstPassage: Float64Array,
  origin: number,
  stepsDone: number,
  dt: number,
  atRisk?: Uint8Array | null,
): EscapeData {
  const particles: number[] = [];
  const steps: number[] = [];
  let total = 0;
  for (let p = 0; p < firstPassage.length; p++) {
    if (atRisk && !atRisk[p]) continue;
    total++;
    const f = firstPassage[p];
    if (f >= origin) {
      particles.push(p);
      steps.push(f - origin);
    }
  }
  return { particles, steps, censorTime: stepsDone * dt, particlesTotal: total };
}
