/** Population fractions over time, one row per recording. Counts are integers, so fractions sum to 1. */
export interface PopulationSeries {
  regions: string[];
  steps: number[];
  counts: number[][];
}

export function countRegions(regionOf: ArrayLike<number>, nRegions: number): number[] {
  const counts = new Array<number>(nRegions + 1).fill(0);
  for (let p = 0; p < regionOf.length; p++) counts[regionOf[p]]++;
  return counts;
}

export const fractionsOf = (counts: number[]): number[] => {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
};

/** Mean fraction per region over the recordings whose step is at least `fromStep`. */
export function meanFractions(series: PopulationSeries, fromStep: number): number[] {
  const rows = series.counts.filter((_, i) => series.steps[i] >= fromStep);
  const n = series.regions.length;
  if (rows.length === 0) return new Array<number>(n).fill(0);
  const sums = new Array<number>(n).fill(0);
  for (const row of rows)
    fractionsOf(row).forEach((f, i) => {
      sums[i] += f;
    });
  return sums.map((s) => s / rows.length);
}
