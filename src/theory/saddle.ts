/**
 * Minima and the transition state of a D-dimensional potential, for the Eyring-Kramers formula: gradient
 * descent with backtracking for the minima, a climbing-image nudged elastic band for the saddle.
 */
import { symmetricEigen } from '../math/symmetric-eigen.js';

type Vec = number[];
type Fn = (x: Vec) => number;
type Grad = (x: Vec) => Vec;

const sub = (a: Vec, b: Vec) => a.map((v, i) => v - b[i]);
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
const norm = (a: Vec) => Math.sqrt(dot(a, a));

/** Local minimum from x0 by gradient descent with backtracking; `keep` rejects steps that leave a region. */
export function minimize(U: Fn, grad: Grad, x0: Vec, keep: (x: Vec) => boolean = () => true, iterations = 5000): Vec {
  let x = [...x0];
  let step = 1e-2;
  let u = U(x);
  for (let it = 0; it < iterations; it++) {
    const g = grad(x);
    if (norm(g) < 1e-10) break;
    let accepted = false;
    for (let k = 0; k < 40 && !accepted; k++) {
      const y = x.map((v, i) => v - step * g[i]);
      const uy = U(y);
      if (uy < u && keep(y)) {
        x = y;
        u = uy;
        step *= 1.5;
        accepted = true;
      } else step /= 2;
    }
    if (!accepted) break;
  }
  return x;
}

/** `images` points from a to b, evenly spaced along the straight line or, with `via`, along a -> via -> b. */
function initialPath(a: Vec, b: Vec, images: number, via?: Vec): Vec[] {
  const corners = via ? [a, via, b] : [a, b];
  const lengths = corners.slice(1).map((c, i) => norm(sub(c, corners[i])));
  const total = lengths.reduce((x, y) => x + y, 0);
  return Array.from({ length: images }, (_, i) => {
    let along = (total * i) / (images - 1);
    let leg = 0;
    while (leg < lengths.length - 1 && along > lengths[leg]) along -= lengths[leg++];
    const f = lengths[leg] > 0 ? Math.min(1, along / lengths[leg]) : 0;
    return corners[leg].map((v, d) => v + (corners[leg + 1][d] - v) * f);
  });
}

/**
 * Climbing-image NEB between two minima: returns the highest image, converged onto the saddle (to `tolerance`
 * in the largest force on an image). The band starts straight, or bent through `via` (another route around a
 * hill: the straight band finds one saddle).
 */
function findSaddle(
  U: Fn,
  grad: Grad,
  a: Vec,
  b: Vec,
  o: { via?: Vec; images?: number; tolerance?: number } = {},
): Vec | null {
  const images = o.images ?? 21;
  const iterations = 4000;
  const tolerance = o.tolerance ?? 1e-6;
  const path = initialPath(a, b, images, o.via);
  const k = 1;
  let step = 1e-3;
  for (let it = 0; it < iterations; it++) {
    const energies = path.map(U);
    const top = energies.indexOf(Math.max(...energies.slice(1, -1)));
    let maxForce = 0;
    for (let i = 1; i < images - 1; i++) {
      const tangentRaw = energies[i + 1] > energies[i - 1] ? sub(path[i + 1], path[i]) : sub(path[i], path[i - 1]);
      const tn = norm(tangentRaw) || 1;
      const t = tangentRaw.map((v) => v / tn);
      const g = grad(path[i]);
      const gPar = dot(g, t);
      let force: Vec;
      if (i === top)
        force = g.map((v, d) => -v + 2 * gPar * t[d]); // climbing image: up along the path
      else {
        const spring = k * (norm(sub(path[i + 1], path[i])) - norm(sub(path[i], path[i - 1])));
        force = g.map((v, d) => -(v - gPar * t[d]) + spring * t[d]);
      }
      maxForce = Math.max(maxForce, norm(force));
      path[i] = path[i].map((v, d) => v + step * force[d]);
    }
    if (maxForce < tolerance) break;
    step = Math.min(step * 1.01, 2e-2);
  }
  const energies = path.map(U);
  const top = path[energies.indexOf(Math.max(...energies.slice(1, -1)))];
  return top?.every(Number.isFinite) ? top : null; // null: the band left the finite part of U
}

type Hessian = (x: Vec) => number[][];

/**
 * Newton's method on the gradient from x, to the stationary point (of any index) near it; null where it does
 * not converge there (a singular Hessian, or a point more than a tenth of the way back to the origin away).
 */
function refine(grad: Grad, hessian: Hessian, x0: Vec): Vec | null {
  let x = [...x0];
  const n = x.length;
  for (let it = 0; it < 50; it++) {
    const g = grad(x);
    if (norm(g) < 1e-12) return x;
    const { values, vectors } = symmetricEigen(hessian(x).flat(), n);
    const step = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) {
      if (!(Math.abs(values[k]) > 1e-12)) return null;
      let c = 0;
      for (let i = 0; i < n; i++) c += vectors[i * n + k] * g[i];
      for (let i = 0; i < n; i++) step[i] += (vectors[i * n + k] * c) / values[k];
    }
    x = x.map((v, i) => v - step[i]);
    if (!x.every(Number.isFinite) || norm(sub(x, x0)) > 0.1 * (1 + norm(x0))) return null;
    if (norm(step) < 1e-13 * (1 + norm(x))) return x; // converged to rounding
  }
  return null;
}

export interface ExitSaddle {
  point: Vec;
  /** The Hessian's eigenvalues there, ascending: exactly one negative. */
  eigenvalues: number[];
}

/**
 * The index-1 saddles through which a particle leaves the basin of `well` towards `targets` (minima in the
 * target region, each with the points that led to it): a climbing-image band to each minimum, straight and
 * bent through each of its points, refined by Newton's method. A saddle is kept when descending from it along
 * its unstable direction reaches the well on one side (a saddle of the well's own basin, not one further on);
 * the same saddle found twice is kept once. `further`: index-1 saddles that are not the well's own.
 */
export function exitSaddles(
  U: Fn,
  grad: Grad,
  hessian: Hessian,
  well: Vec,
  targets: { minimum: Vec; via: Vec[] }[],
): { own: ExitSaddle[]; further: ExitSaddle[] } {
  const own: ExitSaddle[] = [];
  const further: ExitSaddle[] = [];
  const scale = (x: Vec) => norm(sub(x, well));
  const seen = (x: Vec) => [...own, ...further].some((q) => norm(sub(q.point, x)) < 1e-6 * (1 + scale(x)));
  for (const t of targets) {
    for (const via of [undefined, ...t.via]) {
      // a rough band is enough: Newton's method finishes the saddle
      const top = findSaddle(U, grad, well, t.minimum, { via, tolerance: 1e-3, images: 11 });
      if (top === null) continue;
      const x = refine(grad, hessian, top);
      if (x === null || !(U(x) > U(well)) || seen(x)) continue;
      const { values, vectors } = symmetricEigen(hessian(x).flat(), x.length);
      const order = Array.from(values.keys()).sort((i, j) => values[i] - values[j]);
      const eigenvalues = order.map((k) => values[k]);
      if (!(eigenvalues[0] < 0) || !(eigenvalues.length === 1 || eigenvalues[1] > 0)) continue;
      const n = x.length;
      const unstable = Array.from({ length: n }, (_, i) => vectors[i * n + order[0]]);
      const h = 1e-3 * (1 + scale(x));
      const reachesWell = [1, -1].some((sign) => {
        const end = minimize(
          U,
          grad,
          x.map((v, i) => v + sign * h * unstable[i]),
        );
        return norm(sub(end, well)) < 1e-3 * (1 + scale(x));
      });
      (reachesWell ? own : further).push({ point: x, eigenvalues });
    }
  }
  return { own, further };
}

/** Eigenvalues of a symmetric matrix, ascending (math/symmetric-eigen.ts). */
export function symmetricEigenvalues(m: number[][]): number[] {
  return Array.from(symmetricEigen(m.flat(), m.length).values).sort((x, y) => x - y);
}
