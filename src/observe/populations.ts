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

/**
 * Whether the populations had settled: the mean fractions over the third and fourth quarters of the run
 * agree within `tolerance`, three standard errors of a difference of two means of P particles' fractions
 * at the worst case f = 1/2 (3 sqrt(2 * 0.25 / P)), plus 0.01 for the correlation of successive
 * recordings; and, where the scenario counts escapes, the run lasted at least 3 mean first-passage times
 * (the relaxation time, 1/(k_forward + k_back), is at most one MFPT, so what is left of the start is below
 * e^-3 of it). With few particles the first test alone cannot see a slow drift: the second can. Checked
 * before anything is called an equilibrium value or a phase diagram.
 */
export interface EquilibriumCheck {
  reached: boolean;
  thirdQuarter: Record<string, number>;
  fourthQuarter: Record<string, number>;
  maxDifference: number | null;
  tolerance: number;
  /** Run time over the estimated mean first-passage time, where the scenario counts escapes and one was seen. */
  runOverMfpt?: number;
  /** Why it was not reached other than by a drift: too few recordings, or a run shorter than 3 MFPTs. */
  note?: string;
}

export function equilibriumCheck(
  series: PopulationSeries,
  stepsDone: number,
  particles: number,
  relaxation?: { runTime: number; mfpt: number | null },
): EquilibriumCheck {
  const tolerance = 3 * Math.sqrt(0.5 / particles) + 0.01;
  const quarter = (lo: number, hi: number) => {
    const rows = series.counts.filter((_, i) => series.steps[i] > lo && series.steps[i] <= hi).map(fractionsOf);
    const means = series.regions.map((_, r) => rows.reduce((a, f) => a + f[r], 0) / rows.length);
    return { n: rows.length, byRegion: Object.fromEntries(series.regions.map((name, r) => [name, means[r]])) };
  };
  const third = quarter(stepsDone / 2, (3 * stepsDone) / 4);
  const fourth = quarter((3 * stepsDone) / 4, stepsDone);
  if (third.n < 2 || fourth.n < 2) {
    return {
      reached: false,
      thirdQuarter: third.byRegion,
      fourthQuarter: fourth.byRegion,
      maxDifference: null,
      tolerance,
      note: 'fewer than two recordings in the third or fourth quarter: record more often (record.every)',
    };
  }
  const maxDifference = Math.max(...series.regions.map((r) => Math.abs(third.byRegion[r] - fourth.byRegion[r])));
  let note: string | undefined;
  if (relaxation && relaxation.mfpt === null) note = 'no escape seen: the relaxation time is unknown';
  else if (relaxation?.mfpt != null && relaxation.runTime < 3 * relaxation.mfpt) {
    note = 'the run is shorter than 3 mean first-passage times: the populations may still be relaxing';
  }
  return {
    reached: maxDifference <= tolerance && note === undefined,
    thirdQuarter: third.byRegion,
    fourthQuarter: fourth.byRegion,
    maxDifference,
    tolerance,
    ...(relaxation?.mfpt != null ? { runOverMfpt: relaxation.runTime / relaxation.mfpt } : {}),
    ...(note ? { note } : {}),
  };
}
