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
 * The target's nearest edge on each side of x0 (a target may lie on both sides: two absorbing ends): a fine
 * scan over [lo, hi], then, past it, a walk on a growing step to the wall (or about 1e15 away). The walk
 * finds a target beyond a stretch of negligible Boltzmann weight, e.g. past a barrier of hundreds of kT.
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
    let step = 0.1;
    let x = end;
    for (let i = 0; i < 200; i++) {
      x += dir * step;
      step *= 1.2;
      if (wall !== null && (x - wall) * dir >= 0) x = wall;
      if (classify(x) === target) return edgeToward(classify, target, end, x);
      if (x === wall) return null;
    }
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
 * of x0, U is sampled outward on a growing step (to the wall, or to the first point 700 T above or below the
 * lowest U so far on that side, or not finite), and the range ends past the outermost sample within 60 T of
 * the lowest U seen on either side. So a barrier higher than 60 T above the start does not end it while a
 * deeper well lies beyond. null on a side where U stays that low at the farthest sample (about 1e15 away):
 * that side does not confine the particles.
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
    let step = 0.1;
    let x = x0;
    // not finite, 700 T above the lowest U so far on this side, or 700 T below it: a pole or core ends the walk
    const extreme = (u: number) => !Number.isFinite(u) || Math.abs(u - low) > CEILING_KT * T;
    for (let i = 0; i < 200; i++) {
      const prev = x;
      x += dir * step;
      step *= 1.2;
      const walled = wall !== null && (x - wall) * dir >= 0;
      if (walled) x = wall;
      // look inside the step before stepping over a pole; the range may end at the last ordinary point. A
      // plunge reached while U falls is U unbounded below (-x^4): that side does not confine (null); one
      // reached while U rises is the far side of a pole (1/x from the right), which the particles never cross
      const at = (k: number) => prev + ((x - prev) * k) / INSIDE_STEP;
      const stopAt = (k: number) => {
        const u = U(at(k));
        const falling = u < low && U(at(k - 1)) <= U(at(Math.max(0, k - 2)));
        return { xs, us, closedAt: falling ? null : at(k - 1) };
      };
      for (let k = 1; k < INSIDE_STEP; k++) if (extreme(U(at(k)))) return stopAt(k);
      const u = U(x);
      if (extreme(u)) return stopAt(INSIDE_STEP);
      xs.push(x);
      us.push(u);
      if (walled) return { xs, us, closedAt: x };
      low = Math.min(low, u);
    }
    return { xs, us, closedAt: null };
  };
  const sides = [side(-1, walls ? walls[0] : null), side(1, walls ? walls[1] : null)];
  const wallOf = (xs: number[]) => (walls && xs.length && walls.includes(xs[xs.length - 1]) ? xs[xs.length - 1] : NaN);
  const lowest = Math.min(U(x0), ...sides.flatMap((s) => s.us));
  const end = ({ xs, us, closedAt }: ReturnType<typeof side>): number | null => {
    let last = -1;
    us.forEach((u, i) => {
      if (u - lowest <= NEGLIGIBLE_KT * T) last = i;
    });
    if (last + 1 < xs.length) return xs[last + 1];
    // U still falling where the walk stopped short of a wall (1/x from the left): unbounded below there
    if (closedAt !== null && closedAt !== wallOf(xs) && us.length > 1 && us[us.length - 1] < us[us.length - 2])
      return null;
    return closedAt;
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
