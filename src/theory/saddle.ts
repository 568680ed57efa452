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

/** Climbing-image NEB between two minima: returns the highest image, converged onto the saddle. */
export function findSaddle(U: Fn, grad: Grad, a: Vec, b: Vec, images = 21, iterations = 4000): Vec {
  const path: Vec[] = Array.from({ length: images }, (_, i) => a.map((v, d) => v + ((b[d] - v) * i) / (images - 1)));
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
    if (maxForce < 1e-6) break;
    step = Math.min(step * 1.01, 2e-2);
  }
  const energies = path.map(U);
  return path[energies.indexOf(Math.max(...energies.slice(1, -1)))];
}

/** Eigenvalues of a symmetric matrix, ascending (math/symmetric-eigen.ts). */
export function symmetricEigenvalues(m: number[][]): number[] {
  return Array.from(symmetricEigen(m.flat(), m.length).values).sort((x, y) => x - y);
}
