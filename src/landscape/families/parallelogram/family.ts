import type { Family, FamilyBuild } from '../../family.js';
import { requireRange } from '../../family.js';
import { sig } from '../../prediction.js';
import { predictParallelogram } from './predict.js';
import type { ParallelogramTheory } from './theory.js';
import {
  ALL_PARALLELOGRAMS,
  drawTrainingSet,
  parallelogramGram,
  parallelogramVector,
  SYMBOLS,
  type Pair,
  type Parallelogram,
} from './training-set.js';

/**
 * Liu et al.'s effective theory of representation learning (science.md §4; docs/scenarios.md): a particle
 * is the set of ten one-dimensional embeddings E_0..E_9 (coordinates E1..E10). The potential is the
 * effective loss over the training set's parallelograms on normalized embeddings,
 *   l_eff = E^T A E / Z,  A = sum_{training parallelograms} v v^T,  Z = sum_k (E_k - mean E)^2,
 * (v: coefficients of E_i + E_j - E_m - E_n), plus a gauge term gauge ((sum E)^2 + (sum E^2 - 1)^2).
 * l_eff is invariant under E -> a E + c 1, so its gradient is orthogonal to both 1 and E; the gauge term's
 * gradient lies in span(1, E). The gauge term therefore only holds the particle near the sphere
 * sum E = 0, sum E^2 = 1 (where l_eff equals E^T A E, the paper's normalized loss) against the outward
 * drift that noise causes along the flat scale direction; it does not change the loss on the sphere.
 */
export const parallelogramDefaults = {
  trainFraction: 0.6,
  dataSeed: 1,
  delta: 0.01,
  gauge: 1,
};

const coord = (k: number) => `E${k + 1}`;

/** E_i + E_j - E_m - E_n as formula text with merged coefficients (2*E3 - E1 - E5). */
function combination(q: Parallelogram): string {
  const v = parallelogramVector(q);
  const terms: string[] = [];
  v.forEach((c, k) => {
    if (c === 0) return;
    const mag = Math.abs(c) === 1 ? coord(k) : `${Math.abs(c)}*${coord(k)}`;
    terms.push(terms.length === 0 ? (c < 0 ? `-${mag}` : mag) : `${c < 0 ? '-' : '+'} ${mag}`);
  });
  return terms.join(' ');
}

const closed = (q: Parallelogram) => `abs(${combination(q)}) <= delta`;

/** sum of ind(...) / n, or `empty` when there is nothing to count. */
function fraction(indicators: string[], n: number, empty: number): string {
  if (n === 0) return String(empty);
  return indicators.length === 0 ? '0' : `(${indicators.join(' + ')})/${n}`;
}

/** The numerator E^T A E as a quadratic form (55 terms at most: cheaper per step than 70 squares). */
function quadraticForm(A: number[][]): string {
  const terms: string[] = [];
  for (let a = 0; a < SYMBOLS; a++) {
    for (let b = a; b < SYMBOLS; b++) {
      const c = a === b ? A[a][a] : 2 * A[a][b];
      if (c === 0) continue;
      const product = a === b ? `${coord(a)}^2` : `${coord(a)}*${coord(b)}`;
      terms.push(`${c < 0 ? '-' : '+'} ${Math.abs(c)}*${product}`);
    }
  }
  if (terms.length === 0) return '0';
  const text = terms.join(' ');
  return text.startsWith('+ ') ? text.slice(2) : `-${text.slice(2)}`;
}

/**
 * Validation pair (i, j) is predicted when some training pair (m, n) with the same sum closes the
 * parallelogram within delta: the paper's accuracy predicted from the representation.
 */
function deducible(pair: Pair, train: readonly Pair[]): string | null {
  const partners = train.filter((t) => t[0] + t[1] === pair[0] + pair[1]);
  if (partners.length === 0) return null;
  return `ind(${partners.map((t) => `(${closed([pair, t])})`).join(' or ')})`;
}

export function buildParallelogram(p: Record<string, number>): FamilyBuild {
  const r = requireRange(p, 'trainFraction', 0, 1);
  const seed = requireRange(p, 'dataSeed', 0, 2 ** 32 - 1, true);
  requireRange(p, 'delta', 1e-9, 10);
  requireRange(p, 'gauge', 0, 1e6);
  const set = drawTrainingSet(r, seed);
  const all = Array.from({ length: SYMBOLS }, (_, k) => coord(k));
  const mean2 = `(${all.join(' + ')})^2`;
  const Z = `(sum(E^2) - ${mean2}/${SYMBOLS})`;
  const numerator = quadraticForm(parallelogramGram(set.parallelograms));
  const loss = numerator === '0' ? '0' : `(${numerator})/${Z}`;
  // a validation pair whose sum no training pair has cannot be answered by any representation (there is
  // no decoder in the effective theory to have learned that sum): it is left out of the denominator
  const valTerms = set.validation.map((q) => deducible(q, set.train)).filter((t): t is string => t !== null);
  return {
    dimensions: [{ name: 'E', count: SYMBOLS }],
    potential: `${loss} + gauge*(${mean2} + (sum(E^2) - 1)^2)`,
    quantities: {
      // representation quality index: fraction of all 70 parallelograms closed within delta
      rqi: fraction(
        ALL_PARALLELOGRAMS.map((q) => `ind(${closed(q)})`),
        ALL_PARALLELOGRAMS.length,
        1,
      ),
      // training accuracy: fraction of the training parallelograms closed (1 when there are none to fit)
      trainAcc: fraction(
        set.parallelograms.map((q) => `ind(${closed(q)})`),
        set.parallelograms.length,
        1,
      ),
      // validation accuracy: fraction of the answerable validation pairs deducible from a training pair
      // through a parallelogram closed within delta (1 when none is answerable)
      valAcc: fraction(valTerms, valTerms.length, 1),
      // the effective loss itself, to watch or to use in regions
      loss,
    },
  };
}

export const parallelogram: Family = {
  name: 'parallelogram',
  summary:
    "Liu et al.'s effective theory: 10 one-dimensional embeddings, effective loss over the training parallelograms; order parameter RQI",
  defaults: parallelogramDefaults,
  predict: predictParallelogram,
  extras: {
    structure: (t: ParallelogramTheory) =>
      `Hessian at the linear solution: lambda_3 = ${sig(t.lambda3)}, 1/(lambda_3 dt) = ${t.predictedSteps == null ? 'infinite' : `${sig(t.predictedSteps)} steps`}; eigenvalues ${t.hessianEigenvalues.map((l) => sig(l, 3)).join(' ')}`,
  },
  build: buildParallelogram,
};
