/** First-passage times of the particles that escaped, in simulation time, from the engine's step record. */
export interface EscapeData {
  /** Escaped particles' indices and exact steps (relative to the run's start). */
  particles: number[];
  steps: number[];
  /** Observed time span: steps done x dt. */
  censorTime: number;
  particlesTotal: number;
}

export function collectEscapes(firstPassage: Float64Array, origin: number, stepsDone: number, dt: number): EscapeData {
  const particles: number[] = [];
  const steps: number[] = [];
  for (let p = 0; p < firstPassage.length; p++) {
    const f = firstPassage[p];
    if (f >= origin) {
      particles.push(p);
      steps.push(f - origin);
    }
  }
  return { particles, steps, censorTime: stepsDone * dt, particlesTotal: firstPassage.length };
}
