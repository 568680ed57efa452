/**
 * Eigendecomposition of a real symmetric matrix by cyclic Jacobi rotations, in float64: A = V diag(values) V^T
 * with V orthogonal. Jacobi rather than a tridiagonal QR because its eigenvectors stay orthogonal to rounding
 * and its small eigenvalues keep their relative accuracy, which the kernel paths of lazy-rich rely on (their
 * weakest directions set the time to fit), at sizes up to a few hundred.
 */

/** Off-diagonal mass, relative to the whole matrix's, at which the sweeps stop. */
const RELATIVE_OFF = 1e-24;
const MAX_SWEEPS = 100;

/** About how many floating-point operations symmetricEigen takes for an n x n matrix (for host budgets). */
export const symmetricEigenCost = (n: number): number => 20 * n ** 3;

/**
 * `a` is n x n, row-major, symmetric (only its values are read; it is not modified). Returns the eigenvalues
 * (unsorted, in the order of V's columns) and V row-major: column k, `vectors[i * n + k]`, is the unit
 * eigenvector of `values[k]`.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from({ length: n * n }, (_, i) => a[i]);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += A[i] * A[i];
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off <= RELATIVE_OFF * total) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < n; r++) {
          const arp = A[r * n + p];
          const arq = A[r * n + q];
          A[r * n + p] = c * arp - s * arq;
          A[r * n + q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = A[p * n + r];
          const aqr = A[q * n + r];
          A[p * n + r] = c * apr - s * aqr;
          A[q * n + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < n; r++) {
          const vrp = V[r * n + p];
          const vrq = V[r * n + q];
          V[r * n + p] = c * vrp - s * vrq;
          V[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => A[i * n + i]), vectors: V };
}
