import type { Measures, ModelRun, RunEnd } from '../family.js';
import { gaussianDatasets } from './linear-separability-data.js';
import { setGeometry } from './linear-separability-geometry.js';

/** The geometry costs O(N d^2) per set on the host: it is decided for the first particles only. */
export const GEOMETRY_SAMPLE = 4096;

/**
 * The order statistic at rank `q` (0..1) of `sorted` (ascending, Infinity for a particle that never
 * arrived), with a distribution-free 95% interval from the binomial ranks; null where a value is not reached.
 */
function quantileInterval(sorted: number[], q: number): Measures {
  const n = sorted.length;
  if (n === 0) return { value: null, lo: null, hi: null, n: 0 };
  const at = (k: number) => {
    const v = sorted[Math.min(n - 1, Math.max(0, k))];
    return Number.isFinite(v) ? v : null;
  };
  const half = 1.96 * Math.sqrt(n * q * (1 - q));
  return { value: at(Math.floor(q * n)), lo: at(Math.floor(q * n - half)), hi: at(Math.ceil(q * n + half)), n };
}

/**
 * Each particle's training set decided by its geometry (separable from the origin or not, and |w_inf| of a
 * non-separable one: src/landscape/families/linear-separability-geometry.ts), and the first-passage time into
 * `generalizing` over the non-separable sets only: the sets that generalize at late times, so the time is not
 * mixed with the share that never does (Wendel's P_sep).
 */
export function linearSeparabilityMeasures(run: ModelRun, end: RunEnd, n: number, d: number, wendel: number): Measures {
  const P = Math.min(run.particles, GEOMETRY_SAMPLE);
  const rows = gaussianDatasets(run.seed, P, n, d);
  const x = new Float64Array(n * d);
  let separable = 0;
  let undecided = 0;
  const norms: number[] = [];
  const times: number[] = [];
  for (let p = 0; p < P; p++) {
    for (let k = 0; k < n * d; k++) x[k] = rows[k][p];
    const g = setGeometry(x, n, d);
    if (g.separable === true) separable++;
    else if (g.separable === null) undecided++;
    else {
      norms.push(g.wInfNorm!);
      const s = end.escapeSteps[p];
      times.push(s >= 0 ? s * run.dt : Infinity);
    }
  }
  norms.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const arrived = times.filter(Number.isFinite).length;
  return {
    geometry: {
      sets: P,
      separable: separable / P,
      separableSe: Math.sqrt((wendel * (1 - wendel)) / P),
      wendel,
      undecided,
    },
    nonSeparable: {
      sets: norms.length,
      generalized: norms.length ? arrived / norms.length : null,
      timeToGeneralize: quantileInterval(times, 0.5),
      wInfNorm: quantileInterval(norms, 0.5),
    },
  };
}
