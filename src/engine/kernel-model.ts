/**
 * What the engine needs to know about a landscape, already compiled to kernel expressions.
 * The landscape layer produces it; the engine never sees formulas or scenario files.
 * Coordinate i is named `c<i>` inside every expression.
 */
export interface KernelModel {
  /** Number of coordinates per particle (D). */
  dimensions: number;
  /** Per coordinate: kernel expression of dU/dc_i, and the coordinate indices it reads. */
  gradient: { expression: string; uses: number[] }[];
  /** Per coordinate: reflecting walls [lo, hi], or null for an unbounded coordinate. */
  bounds: ([number, number] | null)[];
  /** Region predicates in priority order (first match wins); a particle matching none is in "other". */
  regions: { name: string; predicate: string; uses: number[] }[];
  /** Index into `regions` of the escape target, or null when the scenario defines no escape. */
  target: number | null;
}

export const coordName = (i: number): string => `c${i}`;
