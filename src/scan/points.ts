import type { Grid } from './grid.js';

export interface ScanPoint {
  /** Position in the full scan (row-major over the axes, then the repeat): the point's identity. */
  index: number;
  values: Record<string, number>;
  repeat: number;
  seed: number;
}

/** FNV-1a (64-bit) of a string, reduced to a 48-bit seed. */
function hash48(text: string): number {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return Number(h & 0xffffffffffffn);
}

/**
 * Every point of the grid x repeats. A point's seed derives from the base seed and the point itself (its
 * values and repeat), so its result depends neither on the order, the workers nor the shard.
 */
export function enumeratePoints(grid: Grid, repeat: number, baseSeed: number): ScanPoint[] {
  const out: ScanPoint[] = [];
  const sizes = grid.map((a) => a.values.length);
  const total = sizes.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    const values: Record<string, number> = {};
    let rest = flat;
    for (let i = grid.length - 1; i >= 0; i--) {
      values[grid[i].name] = grid[i].values[rest % sizes[i]];
      rest = Math.floor(rest / sizes[i]);
    }
    for (let r = 0; r < repeat; r++) {
      const key = JSON.stringify({ base: baseSeed, values: grid.map((a) => [a.name, values[a.name]]), repeat: r });
      const seed = Object.hasOwn(values, 'seed') ? values.seed : hash48(key);
      out.push({ index: flat * repeat + r, values: { ...values }, repeat: r, seed });
    }
  }
  return out;
}

/** Where a point's values came from, for messages about them: `--grid temperature=0.5 dataSize=2`. */
export const pointSource = (values: Record<string, number>): string =>
  `--grid ${Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;

export interface Shard {
  index: number;
  count: number;
}

/** Deterministic 1/n of the points: those whose index is congruent to the shard index. */
export const inShard = (p: ScanPoint, s: Shard | null) => s === null || p.index % s.count === s.index;
