const H = 1e-4;
export const secondDerivative = (U: (x: number) => number, x: number) => (U(x + H) - 2 * U(x) + U(x - H)) / (H * H);
const firstDerivative = (U: (x: number) => number, x: number) => (U(x + H) - U(x - H)) / (2 * H);

/** Kramers' 1D high-barrier rate sqrt(U''(a) |U''(s)|) / (2 pi) exp(-(U(s) - U(a)) / T). */
export function kramersRate(o: {
  U: (x: number) => number;
  d2U?: (x: number) => number;
  T: number;
  well: number;
  saddle: number;
}): number {
  const d2 = o.d2U ?? ((x: number) => secondDerivative(o.U, x));
  return (
    (Math.sqrt(d2(o.well) * Math.abs(d2(o.saddle))) / (2 * Math.PI)) * Math.exp(-(o.U(o.saddle) - o.U(o.well)) / o.T)
  );
}

/** Minima and maxima of U on [lower, upper], from sign changes of U' on a grid, refined by bisection. */
export function findStationaryPoints(
  U: (x: number) => number,
  lower: number,
  upper: number,
  n = 4000,
): { minima: number[]; maxima: number[] } {
  const minima: number[] = [];
  const maxima: number[] = [];
  let xPrev = lower;
  let gPrev = firstDerivative(U, lower);
  for (let i = 1; i <= n; i++) {
    const x = lower + ((upper - lower) * i) / n;
    const g = firstDerivative(U, x);
    if (g === 0) {
      // a root exactly on the grid: recorded here, skipped as gPrev next time
      if (gPrev < 0) minima.push(x);
      else if (gPrev > 0) maxima.push(x);
    } else if (gPrev !== 0 && Math.sign(g) !== Math.sign(gPrev)) {
      let a = xPrev;
      let b = x;
      const sa = Math.sign(gPrev);
      for (let k = 0; k < 60; k++) {
        const m = (a + b) / 2;
        if (Math.sign(firstDerivative(U, m)) === sa) a = m;
        else b = m;
      }
      (gPrev < 0 ? minima : maxima).push((a + b) / 2);
    }
    xPrev = x;
    gPrev = g;
  }
  return { minima, maxima };
}

/** One line on whether Kramers' asymptotic rate applies. */
export function validityNote(dU: number, T: number): string {
  const r = dU / T;
  return r >= 5
    ? `barrier ${r.toFixed(1)} kT: high-barrier asymptotics hold to O(T/dU)`
    : `barrier only ${r.toFixed(1)} kT: Kramers is a high-barrier asymptote and is off by O(T/dU) here; trust the exact MFPT`;
}

/** Eyring-Kramers mean time (2 pi / |lambda_1(z)|) sqrt(|det H(z)| / det H(x)) exp(dU / T), for given eigenvalues. */
export function eyringKramersTime(o: {
  wellEigenvalues: number[];
  saddleEigenvalues: number[];
  dU: number;
  T: number;
}): number {
  const neg = o.saddleEigenvalues.filter((l) => l < 0);
  if (neg.length !== 1) throw new RangeError('the saddle must have exactly one negative eigenvalue');
  const det = (ls: number[]) => ls.reduce((a, b) => a * b, 1);
  return (
    ((2 * Math.PI) / Math.abs(neg[0])) *
    Math.sqrt(Math.abs(det(o.saddleEigenvalues)) / det(o.wellEigenvalues)) *
    Math.exp(o.dU / o.T)
  );
}
