import seedrandom from 'seedrandom';

/** What a formula scenario's start depends on. */
export interface FormulaStart {
  seed: number;
  start: number[];
  spread: number;
  bounds: ([number, number] | null)[];
}

/**
 * Start positions of a formula scenario: its start point, plus a Gaussian spread if it asks for one (drawn
 * on the host from the run seed, reflected into the walls). The kernel generator is not used here so that
 * the same seed gives the same start on every backend. A model family draws its own start.
 */
export function formulaStart(s: FormulaStart, particles: number): Float32Array[] {
  const rng = seedrandom(`grokscape-start-${s.seed}`);
  const normal = () => {
    const u1 = 1 - rng();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng());
  };
  return s.start.map((x0, i) => {
    const row = new Float32Array(particles).fill(x0);
    if (s.spread > 0) {
      const b = s.bounds[i];
      for (let p = 0; p < particles; p++) {
        let v = x0 + s.spread * normal();
        if (b) {
          while (v < b[0] || v > b[1]) v = v < b[0] ? 2 * b[0] - v : 2 * b[1] - v;
        }
        row[p] = v;
      }
    }
    return row;
  });
}
