import type { TopLevelSpec } from 'vega-lite';
import { textWidth } from './text-metrics.js';

/** The data rectangle of every figure; titles, axes and legends are laid out around it. */
export const PLOT_WIDTH = 520;
export const PLOT_HEIGHT = 340;
const TITLE_SIZE = 15;
const SUBTITLE_SIZE = 11;

const BASE = {
  width: PLOT_WIDTH,
  height: PLOT_HEIGHT,
  background: 'white',
  padding: 8,
  config: {
    font: 'DejaVu Sans',
    // titles start at the plot's left edge and are wrapped to its width (see titleOf), so they never widen
    // the canvas
    title: {
      fontSize: TITLE_SIZE,
      subtitleFontSize: SUBTITLE_SIZE,
      subtitleColor: '#333',
      anchor: 'start',
      frame: 'group',
      offset: 12,
      subtitlePadding: 5,
    },
    // labels are written to fit (equations, varying settings): never shortened to "…"
    legend: { labelLimit: 0, titleLimit: 0, labelFontSize: 11, titleFontSize: 11, symbolOpacity: 1 },
    axis: { labelFontSize: 11, titleFontSize: 12, titleLimit: 0 },
  },
} as const;

/** Splits `text` at spaces into lines no wider than `maxWidth` px in DejaVu Sans at `fontSize`. */
export function wrapText(text: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && textWidth(next, fontSize, bold) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A title (bold, lines wrapped to the plot's width) and its subtitle lines (wrapped likewise). */
function titleOf(title: string[], subtitle: string[]) {
  const text = title.flatMap((t) => wrapText(t, PLOT_WIDTH, TITLE_SIZE, true));
  const sub = subtitle.flatMap((t) => wrapText(t, PLOT_WIDTH, SUBTITLE_SIZE));
  return { text, ...(sub.length > 0 ? { subtitle: sub } : {}) };
}

/** Categorical colours for `n` series: ten distinct ones, twenty beyond that. */
const scheme = (n: number) => (n <= 10 ? 'tableau10' : 'tableau20');

export interface FitPlotPoint {
  x: number;
  y: number;
  /** 95% interval of y, or null where there is none. */
  lo: number | null;
  hi: number | null;
  group: string;
}
export interface FitBandPoint {
  x: number;
  fit: number;
  lo: number;
  hi: number;
  group: string;
}
export interface PredictedPoint {
  x: number;
  y: number;
  group: string;
}

export interface FitPlot {
  title: string[];
  subtitle: string[];
  xTitle: string;
  yTitle: string;
  /** Colour legend: its title, and the groups in order (their names carry the fitted equations). */
  groupTitle: string;
  groups: string[];
  points: FitPlotPoint[];
  band: FitBandPoint[];
  predicted: PredictedPoint[];
  measuredLabel: string;
  predictedLabel: string;
}

/**
 * Measured points with 95% bars, a fitted line with its 95% band per group, and the theory's prediction as
 * hollow diamonds on a dashed line; legends below the plot, where the equations have room.
 */
export function fitSpec(p: FitPlot): TopLevelSpec {
  // a parameter scanned over whole numbers (a data size) gets whole-number ticks
  const whole = p.points.every((q) => Number.isInteger(q.x)) && p.predicted.every((q) => Number.isInteger(q.x));
  const x = {
    field: 'x',
    type: 'quantitative',
    title: p.xTitle,
    scale: { zero: false },
    ...(whole ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
  } as const;
  const yScale = { zero: false } as const;
  const color = {
    field: 'group',
    type: 'nominal',
    scale: { domain: p.groups, scheme: scheme(p.groups.length) },
    legend: { title: p.groupTitle, orient: 'bottom', direction: 'vertical', columns: 1 },
  } as const;
  const hasPrediction = p.predicted.length > 0;
  const shape = {
    field: 'series',
    type: 'nominal',
    scale: { domain: [p.measuredLabel, p.predictedLabel], range: ['circle', 'diamond'] },
    legend: {
      title: null,
      orient: 'bottom',
      direction: 'vertical',
      columns: 1,
      symbolStrokeColor: '#555',
      // drawn as the points are: measured filled, predicted hollow
      encoding: {
        symbols: {
          fill: { value: { expr: `datum.value === ${JSON.stringify(p.measuredLabel)} ? '#555' : 'white'` } },
          stroke: { value: '#555' },
          strokeWidth: { value: 1.5 },
        },
      },
    },
  } as const;
  const layer: unknown[] = [
    {
      data: { values: p.band },
      mark: { type: 'area', opacity: 0.15 },
      encoding: { x, y: { field: 'lo', type: 'quantitative', scale: yScale }, y2: { field: 'hi' }, color },
    },
    {
      data: { values: p.band },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x, y: { field: 'fit', type: 'quantitative', scale: yScale }, color },
    },
    {
      data: { values: p.points.filter((q) => q.lo !== null && q.hi !== null) },
      mark: 'rule',
      encoding: { x, y: { field: 'lo', type: 'quantitative', scale: yScale }, y2: { field: 'hi' }, color },
    },
  ];
  // the shape legend (measured filled circles, predicted hollow diamonds) is this layer's; its scale names both
  layer.push({
    data: { values: p.points.map((q) => ({ ...q, series: p.measuredLabel })) },
    mark: { type: 'point', filled: true, size: 60, opacity: 1 },
    encoding: {
      x,
      y: { field: 'y', type: 'quantitative', title: p.yTitle, scale: yScale },
      color,
      ...(hasPrediction ? { shape } : {}),
    },
  });
  if (hasPrediction) {
    const predicted = p.predicted.map((q) => ({ ...q, series: p.predictedLabel }));
    layer.push(
      {
        data: { values: predicted },
        mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { x, y: { field: 'y', type: 'quantitative', scale: yScale }, color },
      },
      {
        data: { values: predicted },
        mark: { type: 'point', shape: 'diamond', filled: false, size: 90, strokeWidth: 2, opacity: 1 },
        encoding: {
          x,
          y: { field: 'y', type: 'quantitative', scale: yScale },
          color,
        },
      },
    );
  }
  return { ...BASE, title: titleOf(p.title, p.subtitle), layer } as TopLevelSpec;
}

/** ln(k/T) against 1/T: the Poisson-regression (Eyring) fit and its 95% band per group, and the prediction. */
export function eyringSpec(p: Omit<FitPlot, 'xTitle' | 'yTitle'>): TopLevelSpec {
  return fitSpec({
    ...p,
    xTitle: '1/T (inverse temperature, simulation units)',
    yTitle: 'ln(k/T), k = escape rate (1/time)',
  });
}

/** ln τ (mean first-passage time) against a scanned parameter: the fitted line per group, and the prediction. */
export function logTauSpec(p: Omit<FitPlot, 'xTitle' | 'yTitle'>, xName: string): TopLevelSpec {
  return fitSpec({ ...p, xTitle: `${xName} (scenario parameter)`, yTitle: 'ln τ (τ = mean first-passage time)' });
}

export interface HeatCell {
  x: number;
  y: number;
  value: number;
  /** The cell's text, lines separated by "\n" ('' for none). */
  label: string;
  /** Whether the cell is outlined (its runs had not reached equilibrium). */
  flagged: boolean;
}

/** A line drawn over the heatmap: in each row (a y value), the x value (in x's units) where the boundary lies. */
export interface HeatBoundary {
  /** Its legend label, e.g. "predicted threshold". */
  label: string;
  rows: { y: number; x: number }[];
}

export interface HeatPlot {
  title: string[];
  subtitle: string[];
  xName: string;
  yName: string;
  colorTitle: string[];
  cells: HeatCell[];
  /** Font size of the cell labels, chosen by the caller to fit the cells. */
  labelSize: number;
  boundary?: HeatBoundary;
}

/**
 * Where the value `v` lies on an ordinal axis of `extent` px whose bands hold `values` (ascending, equal
 * bands, no padding, as the heatmap draws them): linear in value between the centres of the two neighbouring
 * bands; null outside [first value, last value].
 */
export function ordinalPosition(values: number[], v: number, extent: number): number | null {
  const band = extent / values.length;
  if (values.length === 0 || !Number.isFinite(v) || v < values[0] || v > values[values.length - 1]) return null;
  if (values.length === 1) return band / 2;
  let i = 0;
  while (i < values.length - 2 && v > values[i + 1]) i++;
  return (i + 0.5 + (v - values[i]) / (values[i + 1] - values[i])) * band;
}

/**
 * The boundary's line in pixels of the heatmap's data rectangle: in each row, a vertical stroke at its x,
 * joined to the next row's at their common edge (a staircase); a row without a position breaks the line.
 */
function boundaryPath(cells: HeatCell[], b: HeatBoundary) {
  const xs = [...new Set(cells.map((c) => c.x))].sort((p, q) => p - q);
  const ys = [...new Set(cells.map((c) => c.y))].sort((p, q) => q - p); // the y axis runs descending
  const h = PLOT_HEIGHT / ys.length;
  const points: { px: number; py: number; order: number; segment: number }[] = [];
  let segment = 0;
  ys.forEach((y, j) => {
    const row = b.rows.find((r) => r.y === y);
    const px = row ? ordinalPosition(xs, row.x, PLOT_WIDTH) : null;
    if (px === null) {
      segment++;
      return;
    }
    points.push({ px, py: j * h, order: 2 * j, segment }, { px, py: (j + 1) * h, order: 2 * j + 1, segment });
  });
  return points;
}

/** A summary field over two grid axes, each cell labelled with its value; flagged cells outlined in red. */
export function heatmapSpec(p: HeatPlot): TopLevelSpec {
  const values = p.cells.map((c) => c.value);
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  // viridis runs from dark violet to light yellow: white text on its lower part, black on its upper part
  const cells = p.cells.map((c) => ({
    ...c,
    textColor: hi > lo && (c.value - lo) / (hi - lo) > 0.55 ? 'black' : 'white',
  }));
  const x = { field: 'x', type: 'ordinal', title: p.xName, axis: { labelAngle: 0 } } as const;
  const y = { field: 'y', type: 'ordinal', title: p.yName, sort: 'descending' } as const;
  const layer: unknown[] = [
    {
      mark: 'rect',
      encoding: {
        x,
        y,
        color: {
          field: 'value',
          type: 'quantitative',
          title: p.colorTitle,
          scale: { scheme: 'viridis' },
          legend: { gradientLength: 200, titlePadding: 10 },
        },
        tooltip: [
          { field: 'value', type: 'quantitative' },
          { field: 'label', type: 'nominal' },
        ],
      },
    },
  ];
  if (cells.some((c) => c.flagged))
    layer.push({
      transform: [{ filter: 'datum.flagged' }],
      mark: { type: 'rect', filled: false, stroke: '#e3120b', strokeWidth: 3, strokeDash: [6, 3] },
      encoding: { x, y },
    });
  if (cells.some((c) => c.label !== ''))
    layer.push({
      mark: { type: 'text', lineBreak: '\n', baseline: 'middle', fontSize: p.labelSize, lineHeight: p.labelSize + 3 },
      encoding: { x, y, text: { field: 'label' }, fill: { field: 'textColor', type: 'nominal', scale: null } },
    });
  const path = p.boundary ? boundaryPath(p.cells, p.boundary) : [];
  if (p.boundary && path.length > 0) {
    // pixel positions (scale null) between the ordinal bands: a black dashed line on a white halo, which
    // shows on every colour of viridis; its legend entry is the strokeDash scale's one value
    const at = {
      x: { field: 'px', type: 'quantitative', scale: null, axis: null },
      y: { field: 'py', type: 'quantitative', scale: null, axis: null },
      order: { field: 'order', type: 'quantitative' },
      detail: { field: 'segment', type: 'nominal' },
    } as const;
    layer.push(
      { data: { values: path }, mark: { type: 'line', stroke: 'white', strokeWidth: 5 }, encoding: at },
      {
        data: { values: path.map((q) => ({ ...q, series: p.boundary!.label })) },
        mark: { type: 'line', stroke: 'black', strokeWidth: 2 },
        encoding: {
          ...at,
          strokeDash: {
            field: 'series',
            type: 'nominal',
            scale: { domain: [p.boundary.label], range: [[6, 3]] },
            legend: { title: null, symbolType: 'stroke', symbolStrokeColor: 'black', symbolStrokeWidth: 2 },
          },
        },
      },
    );
  }
  return { ...BASE, title: titleOf(p.title, p.subtitle), data: { values: cells }, layer } as TopLevelSpec;
}

export interface SurvivalPlot {
  title: string[];
  subtitle: string[];
  /** Legend labels, one per run, in order (distinct). */
  runs: string[];
  runTitle: string;
  measured: { time: number; survival: number; run: string }[];
  /** exp(-t/τ) with the predicted τ, per run that has one. */
  predicted: { time: number; survival: number; run: string }[];
  measuredLabel: string;
  predictedLabel: string;
}

/** Kaplan-Meier survival in the starting region against time, one line per run, the prediction dashed. */
export function survivalSpec(p: SurvivalPlot): TopLevelSpec {
  const x = { field: 'time', type: 'quantitative', title: 'time (simulation units)', scale: { nice: false } } as const;
  // from 0 unless every curve stays above one half: then from a tenth below the lowest, so they can be told apart
  const lowest = Math.min(...p.measured.map((q) => q.survival), ...p.predicted.map((q) => q.survival));
  const bottom = lowest > 0.5 ? Math.floor((lowest - 0.05) * 10) / 10 : 0;
  const y = {
    field: 'survival',
    type: 'quantitative',
    title: bottom > 0 ? `fraction not yet escaped (axis from ${bottom})` : 'fraction not yet escaped',
    scale: { domain: [bottom, 1] },
  } as const;
  const color = {
    field: 'run',
    type: 'nominal',
    scale: { domain: p.runs, scheme: scheme(p.runs.length) },
    legend: { title: p.runTitle },
  } as const;
  const hasPrediction = p.predicted.length > 0;
  const dash = {
    field: 'kind',
    type: 'nominal',
    scale: {
      domain: [p.measuredLabel, p.predictedLabel],
      range: [
        [1, 0],
        [6, 4],
      ],
    },
    legend: { title: null, symbolType: 'stroke', symbolStrokeColor: '#333', symbolSize: 300 },
  } as const;
  const layer: unknown[] = [
    {
      data: { values: p.measured.map((q) => ({ ...q, kind: p.measuredLabel })) },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
      encoding: { x, y, color, ...(hasPrediction ? { strokeDash: dash } : {}) },
    },
  ];
  if (hasPrediction)
    layer.push({
      data: { values: p.predicted.map((q) => ({ ...q, kind: p.predictedLabel })) },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: { x, y, color, strokeDash: dash },
    });
  return { ...BASE, title: titleOf(p.title, p.subtitle), layer } as TopLevelSpec;
}

export interface PopulationsPlot {
  title: string[];
  subtitle: string[];
  /** Regions in legend order (the scenario's, then other). */
  regions: string[];
  points: { time: number; fraction: number; region: string }[];
  /** A log time axis (the times span more than two decades; time 0 is left out). */
  logTime: boolean;
}

/** Region fractions against time, one line per region: a run's populations.csv. */
export function populationsSpec(p: PopulationsPlot): TopLevelSpec {
  const x = {
    field: 'time',
    type: 'quantitative',
    title: p.logTime ? 'time (simulation units, log scale)' : 'time (simulation units)',
    scale: p.logTime ? { type: 'log', nice: false } : { nice: false },
  };
  const y = { field: 'fraction', type: 'quantitative', title: 'fraction of particles', scale: { domain: [0, 1] } };
  const color = {
    field: 'region',
    type: 'nominal',
    scale: { domain: p.regions, scheme: scheme(p.regions.length) },
    legend: { title: 'region' },
  } as const;
  return {
    ...BASE,
    title: titleOf(p.title, p.subtitle),
    data: { values: p.points },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: { x, y, color },
  } as unknown as TopLevelSpec;
}

export interface PhaseMapPlot {
  title: string[];
  subtitle: string[];
  xName: string;
  yName: string;
  /** The phases in legend order, and a colour each. */
  phases: readonly string[];
  colors: readonly string[];
  cells: { x: number; y: number; phase: string; label: string; n: number }[];
}

/** A grid of cells, each coloured by its majority phase and labelled with the count of every phase. */
export function phaseMapSpec(p: PhaseMapPlot): TopLevelSpec {
  const x = { field: 'x', type: 'ordinal', title: p.xName, axis: { labelAngle: 0 } };
  const y = { field: 'y', type: 'ordinal', title: p.yName, sort: 'descending' };
  return {
    ...BASE,
    title: titleOf(p.title, p.subtitle),
    data: { values: p.cells },
    layer: [
      {
        mark: 'rect',
        encoding: {
          x,
          y,
          color: {
            field: 'phase',
            type: 'nominal',
            title: 'majority phase',
            scale: { domain: p.phases, range: p.colors },
          },
        },
      },
      {
        mark: { type: 'text', lineBreak: '\n', baseline: 'middle', fontSize: 11, lineHeight: 14 },
        encoding: { x, y, text: { field: 'label' }, color: { value: 'black' } },
      },
    ],
  } as unknown as TopLevelSpec;
}

/** The series of a hysteresis plot, in legend order; the first two are the branches' own names. */
export const HYSTERESIS_SERIES = ['up', 'down', 'equilibrium (predicted)'] as const;
export type HysteresisSeries = (typeof HYSTERESIS_SERIES)[number];

export interface HysteresisPoint {
  x: number;
  y: number;
  series: HysteresisSeries;
}

export interface HysteresisPlot {
  title: string[];
  subtitle: string[];
  xTitle: string;
  yTitle: string;
  /** The y axis's domain (a fraction: [0, 1]). */
  yDomain: [number, number];
  points: HysteresisPoint[];
}

/**
 * The x and y domains a hysteresis plot draws with (no padding, no rounding): x from the smallest to the
 * largest value, y as given. A point at (x, y) lies at ((x - x0)/(x1 - x0) PLOT_WIDTH, (y1 - y)/(y1 - y0)
 * PLOT_HEIGHT) in the data rectangle.
 */
export function hysteresisDomains(p: HysteresisPlot): { x: [number, number]; y: [number, number] } {
  const xs = p.points.map((q) => q.x);
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  return { x: lo < hi ? [lo, hi] : [lo - 1, hi + 1], y: p.yDomain };
}

/** Mark names of the series' layers: Vega writes them as the class `<name>_marks` of the series' group. */
export const hysteresisLayerName = (s: HysteresisSeries) =>
  s === 'equilibrium (predicted)' ? 'equilibrium_predicted' : `branch_${s}`;

/**
 * A hysteresis loop: the up and down branches of a sweep as solid lines through markers that point in the
 * direction of travel (triangles right on the way up, left on the way down), and theory's equilibrium at each
 * value as a dashed line through hollow diamonds; one legend names all three.
 */
export function hysteresisSpec(p: HysteresisPlot): TopLevelSpec {
  const dom = hysteresisDomains(p);
  const whole = p.points.every((q) => Number.isInteger(q.x));
  const values = [...new Set(p.points.map((q) => q.x))].sort((a, b) => a - b);
  const x = {
    field: 'x',
    type: 'quantitative',
    title: p.xTitle,
    scale: { domain: dom.x, nice: false, zero: false },
    // ticks at the swept values themselves, when they are few enough to label
    axis: {
      ...(values.length <= 12 ? { values } : {}),
      ...(whole ? { tickMinStep: 1, format: 'd' } : {}),
    },
  } as const;
  const y = {
    field: 'y',
    type: 'quantitative',
    title: p.yTitle,
    scale: { domain: dom.y, nice: false, zero: false },
  } as const;
  const present = HYSTERESIS_SERIES.filter((s) => p.points.some((q) => q.series === s));
  const colours: Record<HysteresisSeries, string> = {
    up: '#1f77b4',
    down: '#d62728',
    'equilibrium (predicted)': '#333333',
  };
  const shapes: Record<HysteresisSeries, string> = {
    up: 'triangle-right',
    down: 'triangle-left',
    'equilibrium (predicted)': 'diamond',
  };
  const dashes: Record<HysteresisSeries, number[]> = { up: [1, 0], down: [1, 0], 'equilibrium (predicted)': [6, 4] };
  // one legend for the three channels (same field, same domain): each entry's colour, marker and dash
  const legend = { title: null, orient: 'right', symbolStrokeWidth: 1.5, symbolSize: 120 } as const;
  const scaleOf = (range: Record<HysteresisSeries, unknown>) => ({
    domain: present,
    range: present.map((s) => range[s]),
  });
  const color = { field: 'series', type: 'nominal', scale: scaleOf(colours), legend } as const;
  const shape = { field: 'series', type: 'nominal', scale: scaleOf(shapes), legend } as const;
  const strokeDash = { field: 'series', type: 'nominal', scale: scaleOf(dashes), legend } as const;
  const layer = present.map((s) => ({
    name: hysteresisLayerName(s),
    data: { values: p.points.filter((q) => q.series === s) },
    mark: {
      type: 'line',
      strokeWidth: s === 'equilibrium (predicted)' ? 1.5 : 2,
      point: {
        filled: s !== 'equilibrium (predicted)',
        ...(s === 'equilibrium (predicted)' ? { fill: 'white', strokeWidth: 1.5 } : {}),
        size: 90,
        opacity: 1,
      },
    },
    encoding: { x, y, color, shape, strokeDash },
  }));
  return { ...BASE, title: titleOf(p.title, p.subtitle), layer } as TopLevelSpec;
}
