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

/** The first point of the target region from x0 towards `end` (scanned, then bisected), or null. */
function edgeToward(classify: (x: number) => string, target: string, x0: number, end: number): number | null {
  const n = 20000;
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
      return b;
    }
    prev = x;
  }
  return null;
}

/** The target's nearest edge from x0, upward first, then downward. */
export function targetBoundary(
  classify: (x: number) => string,
  target: string,
  x0: number,
  lo: number,
  hi: number,
): { b: number; up: boolean } | null {
  const above = edgeToward(classify, target, x0, hi);
  if (above !== null) return { b: above, up: true };
  const below = edgeToward(classify, target, x0, lo);
  return below === null ? null : { b: below, up: false };
}

/**
 * Points outward from x0 towards `dir` on a growing step (0.1, x1.2 each: about 1e15 away after 200), the
 * last one the wall where there is one. The walk every 1D range and target search takes.
 */
function* outward(x0: number, dir: number, wall: number | null): Generator<{ prev: number; x: number; wall: boolean }> {
  let step = 0.1;
  let x = x0;
  for (let i = 0; i < 200; i++) {
    const prev = x;
    x += dir * step;
    step *= 1.2;
    const atWall = wall !== null && (x - wall) * dir >= 0;
    yield { prev, x: atWall ? wall : x, wall: atWall };
    if (atWall) return;
  }
}

/**
 * The target's nearest edge on each side of x0 (a target may lie on both sides: two absorbing ends): a fine
 * scan over [lo, hi], then, past it, the outward walk to the wall. The walk finds a target beyond a stretch
 * of negligible Boltzmann weight, e.g. past a barrier of hundreds of kT.
 */
export function targetEdges(
  classify: (x: number) => string,
  target: string,
  x0: number,
  range: [number, number],
  walls: [number, number] | null,
): { below: number | null; above: number | null } {
  const toward = (dir: number, end: number, wall: number | null): number | null => {
    const near = edgeToward(classify, target, x0, end);
    if (near !== null || end === wall) return near;
    for (const { x } of outward(end, dir, wall))
      if (classify(x) === target) return edgeToward(classify, target, end, x);
    return null;
  };
  return {
    below: toward(-1, range[0], walls ? walls[0] : null),
    above: toward(1, range[1], walls ? walls[1] : null),
  };
}

/** Exponent of the Boltzmann weight below which a stretch of the line is left out: e^{-60} ~ 1e-26. */
const NEGLIGIBLE_KT = 60;

/**
 * Exponent beyond which the walk stops: no well past a barrier this high can matter (its escape time
 * exceeds float64), and a pole or repulsive core (0.05/x^2) must not be stepped over into a region the
 * particles never reach.
 */
const CEILING_KT = 700;

/** Points looked at inside each step of the walk, for a pole or core it would step over. */
const INSIDE_STEP = 32;

/**
 * A range that holds all but a negligible part of exp(-U/T) and every well and barrier between: on each side
 * of x0, U is sampled on the outward walk (to the wall, or to the first point 700 T above or below the lowest
 * U so far on that side, or not finite: a pole or core), and the range ends past the outermost sample within
 * 60 T of the lowest U seen on either side. So a barrier higher than 60 T above the start does not end it
 * while a deeper well lies beyond. null on a side that does not confine the particles: U stays that low at
 * the farthest sample (about 1e15 away), or still falls where a pole stopped the walk (1/x from the left).
 */
export function range1d(
  U: (x: number) => number,
  T: number,
  x0: number,
  walls: [number, number] | null,
): [number | null, number | null] {
  const side = (dir: number, wall: number | null) => {
    const xs: number[] = [];
    const us: number[] = [];
    let low = U(x0);
    const extreme = (u: number) => !Number.isFinite(u) || Math.abs(u - low) > CEILING_KT * T;
    for (const step of outward(x0, dir, wall)) {
      // look inside the step before stepping over a pole: the range may end at the last ordinary point
      const at = (k: number) => step.prev + ((step.x - step.prev) * k) / INSIDE_STEP;
      for (let k = 1; k <= INSIDE_STEP; k++)
        if (extreme(U(at(k)))) return { xs, us, stop: { at: at(k - 1), wall: false } };
      xs.push(step.x);
      us.push(U(step.x));
      if (step.wall) return { xs, us, stop: { at: step.x, wall: true } };
      low = Math.min(low, us[us.length - 1]);
    }
    return { xs, us, stop: null };
  };
  const sides = [side(-1, walls ? walls[0] : null), side(1, walls ? walls[1] : null)];
  const lowest = Math.min(U(x0), ...sides.flatMap((s) => s.us));
  const end = ({ xs, us, stop }: ReturnType<typeof side>): number | null => {
    let last = -1;
    us.forEach((u, i) => {
      if (u - lowest <= NEGLIGIBLE_KT * T) last = i;
    });
    if (last + 1 < xs.length) return xs[last + 1];
    const falling = us.length > 1 && us[us.length - 1] < us[us.length - 2];
    return stop && (stop.wall || !falling) ? stop.at : null;
  };
  return [end(sides[0]), end(sides[1])];
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
