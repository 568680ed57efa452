import { collectIdentifiers, evaluate } from '../formula/index.js';
import { type FormulaScenario as Scenario, OTHER_REGION } from './scenario.js';

/*
 * Reading a formula scenario's regions along one coordinate: what every 1D prediction (the generic
 * quadrature and the families' reductions) needs to find the start's region and the target's edge.
 */

/** Classifies a point by the scenario's regions (first match wins), with fixed values for the other coordinates. */
export function classifier(s: Scenario, coord: number, fixed: number[]): (x: number) => string {
  const env: Record<string, number> = { ...s.parameters };
  s.layout.coordinates.forEach((c, i) => {
    env[c] = fixed[i];
  });
  const name = s.layout.coordinates[coord];
  return (x: number) => {
    env[name] = x;
    return s.regions.find((r) => evaluate(r.expr, env) !== 0)?.name ?? OTHER_REGION;
  };
}

/** Whether every region predicate reads only coordinate `coord`. */
export function regionsUseOnly(s: Scenario, coord: number): boolean {
  const name = s.layout.coordinates[coord];
  return s.regions.every((r) => [...collectIdentifiers(r.expr).coords].every((c) => c === name));
}

/** Scans from x0 towards `dir` for the first point in the target region; bisects the boundary. */
export function targetBoundary(
  classify: (x: number) => string,
  target: string,
  x0: number,
  lo: number,
  hi: number,
): { b: number; up: boolean } | null {
  const n = 20000;
  for (const up of [true, false]) {
    const end = up ? hi : lo;
    let prev = x0;
    for (let i = 1; i <= n; i++) {
      const x = x0 + ((end - x0) * i) / n;
      if (classify(x) === target) {
        let a = prev;
        let b = x;
        for (let k = 0; k < 60; k++) {
          const m = (a + b) / 2;
          if (classify(m) === target) b = m;
          else a = m;
        }
        return { b, up };
      }
      prev = x;
    }
  }
  return null;
}

/** A range that holds all but a negligible part of exp(-U/T): walls where there are, else where U - U(x0) > 60 T. */
export function range1d(
  U: (x: number) => number,
  T: number,
  x0: number,
  walls: [number, number] | null,
): [number | null, number | null] {
  if (walls) return walls;
  // null where U never rises 60 T above the start: that side does not confine the particles
  const far = (dir: number): number | null => {
    let step = 0.1;
    let x = x0;
    const u0 = U(x0);
    for (let i = 0; i < 200; i++) {
      x += dir * step;
      if (U(x) - u0 > 60 * T) return x;
      step *= 1.2;
    }
    return null;
  };
  return [far(-1), far(1)];
}

/** The first point of a grid over [lo, hi] where U is not finite (a pole, a log of a negative number), or null. */
export function firstNonFinite(U: (x: number) => number, lo: number, hi: number, n = 20000): number | null {
  for (let i = 0; i <= n; i++) {
    const x = lo + ((hi - lo) * i) / n;
    if (!Number.isFinite(U(x))) return x;
  }
  return null;
}

/** Interval [lo, hi] in s of a region, found by scanning s at y = 0. */
export function intervalOf(
  classify: (x: number) => string,
  name: string,
  lo: number,
  hi: number,
): [number, number] | null {
  const n = 4000;
  let a: number | null = null;
  let b: number | null = null;
  for (let i = 0; i <= n; i++) {
    const x = lo + ((hi - lo) * i) / n;
    if (classify(x) === name) {
      a ??= x;
      b = x;
    }
  }
  return a === null || b === null ? null : [a, b];
}
