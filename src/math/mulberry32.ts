/**
 * mulberry32: a small, well-mixed 32-bit generator for host-side draws that only need to be reproducible
 * from a seed (bootstrap replicates, a family's training set), never for kernel noise (engine/rng.ts).
 * Returns the next unsigned 32-bit word; callers scale it to the interval they need.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export const WORD = 4294967296;
