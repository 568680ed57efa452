import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/math/symmetric-eigen.js';
import { symmetricEigenvalues } from '../../src/theory/saddle.js';

/** max |(V diag(values) V^T - A)_ij| and max |(V^T V - I)_ij|. */
function residuals(A: Float64Array, n: number) {
  const { values, vectors: V } = symmetricEigen(A, n);
  let rec = 0;
  let orth = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        s += V[i * n + k] * values[k] * V[j * n + k];
        o += V[k * n + i] * V[k * n + j];
      }
      rec = Math.max(rec, Math.abs(s - A[i * n + j]));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  return { values, rec, orth };
}

describe('symmetricEigen (cyclic Jacobi)', () => {
  it('A = V diag(values) V^T with V orthogonal, to rounding, for random symmetric matrices of sizes 1 - 60', () => {
    const u = seedrandom('eigen');
    for (const n of [1, 2, 5, 17, 60]) {
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) A[i * n + j] = A[j * n + i] = 2 * u() - 1;
      const { rec, orth } = residuals(A, n);
      expect(rec).toBeLessThan(1e-12 * n);
      expect(orth).toBeLessThan(1e-12 * n);
    }
  });

  it('keeps the small eigenvalues of a Gram matrix to relative accuracy (what the kernel paths read), and repeated ones', () => {
    // G = X diag(s) X^T with orthogonal X from a known spectrum spanning 12 decades
    const n = 8;
    const spectrum = Array.from({ length: n }, (_, k) => 10 ** -(1.5 * k));
    const u = seedrandom('gram');
    // a random orthogonal X: Gram-Schmidt on random columns
    const X = Array.from({ length: n }, () => Array.from({ length: n }, () => 2 * u() - 1));
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < k; j++) {
        const d = X[k].reduce((s, v, i) => s + v * X[j][i], 0);
        X[k] = X[k].map((v, i) => v - d * X[j][i]);
      }
      const norm = Math.hypot(...X[k]);
      X[k] = X[k].map((v) => v / norm);
    }
    const G = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) G[i * n + j] += X[k][i] * spectrum[k] * X[k][j];
    const values = Array.from(symmetricEigen(G, n).values).sort((a, b) => b - a);
    // every eigenvalue to about the rounding of G's largest entries (2.2e-16), however small: measured at most
    // 1.3e-16 absolute, i.e. relative 5e-8 at 1e-9 and 4e-6 at 3e-11
    expect(Math.max(...values.map((v, k) => Math.abs(v - spectrum[k])))).toBeLessThan(1e-15);
    expect(
      symmetricEigenvalues([
        [2, 0, 0],
        [0, 2, 0],
        [0, 0, -1],
      ]),
    ).toEqual([-1, 2, 2]);
  });
});
