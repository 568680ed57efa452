import asciichart from 'asciichart';

// Twelve regions are told apart (the bright colours after the plain ones); beyond that they repeat.
const REGION_COLORS = [
  asciichart.red,
  asciichart.green,
  asciichart.blue,
  asciichart.magenta,
  asciichart.cyan,
  asciichart.yellow,
  asciichart.lightred,
  asciichart.lightgreen,
  asciichart.lightblue,
  asciichart.lightmagenta,
  asciichart.lightcyan,
  asciichart.lightyellow,
];
export const INK_COLORS = [
  'red',
  'green',
  'blue',
  'magenta',
  'cyan',
  'yellow',
  'redBright',
  'greenBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'yellowBright',
] as const;
const OTHER_COLOR = asciichart.lightgray;
/** Without colour (NO_COLOR, a monochrome terminal) each region is drawn and listed with its own mark. */
const REGION_MARKS = ['*', 'o', '+', 'x', '#', '@', '%', '&', '=', '~', '$', '^'];
const OTHER_MARK = '.';
export const regionMark = (name: string, i: number) =>
  name === 'other' ? OTHER_MARK : REGION_MARKS[i % REGION_MARKS.length];

/** Resamples a series to at most `width` points by taking evenly spaced samples (latest always kept). */
export function resample<T>(xs: T[], width: number): T[] {
  if (xs.length <= width) return xs;
  return Array.from({ length: width }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (width - 1))]);
}

/**
 * A chart of region fractions over time (0..1) in `height` lines: one coloured line per region, or with
 * `color` false one mark per region (regionMark), since lines of one colour cannot be told apart.
 */
export function populationChart(
  history: number[][],
  regions: string[],
  width: number,
  height: number,
  color = true,
): string {
  if (history.length === 0) return '';
  const rows = resample(history, Math.max(2, width - 8));
  const series = regions.map((_, r) => rows.map((row) => row[r]));
  const lines = Math.max(3, height);
  if (!color) return markChart(series, regions.map(regionMark), lines);
  const colors = regions.map((name, i) => (name === 'other' ? OTHER_COLOR : REGION_COLORS[i % REGION_COLORS.length]));
  return asciichart.plot(series, { min: 0, max: 1, height: lines - 1, colors, format: axisLabel });
}

const axisLabel = (x: number) => x.toFixed(2).padStart(5);

/** The same axis as asciichart's, each value a mark in its row; where two regions meet the later one shows. */
function markChart(series: number[][], marks: string[], lines: number): string {
  const cells = Array.from({ length: lines }, () => new Array<string>(series[0].length).fill(' '));
  series.forEach((ys, r) => {
    ys.forEach((y, c) => {
      if (Number.isFinite(y)) cells[Math.round((1 - Math.min(1, Math.max(0, y))) * (lines - 1))][c] = marks[r];
    });
  });
  return cells.map((row, i) => `${axisLabel(1 - i / (lines - 1))} ┤${row.join('')}`).join('\n');
}

/** Horizontal-bar histogram lines: "  -0.40 ████████▌ 123". */
export function histogramLines(h: { lo: number; hi: number; counts: number[] }, width: number): string[] {
  const max = Math.max(1, ...h.counts);
  const bins = h.counts.length;
  const barWidth = Math.max(4, width - 16);
  const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  return h.counts.map((c, i) => {
    const centre = h.lo + ((i + 0.5) * (h.hi - h.lo)) / bins;
    const units = (c / max) * barWidth * 8;
    const bar = '█'.repeat(Math.floor(units / 8)) + eighths[Math.floor(units % 8)];
    return `${centre.toFixed(2).padStart(7)} ${bar}`;
  });
}

/** Counts of `values` in `bins` equal bins over [lo, hi] (values outside are clamped into the end bins). */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const scale = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) * scale)))]++;
  }
  return counts;
}
