import type { TopLevelSpec } from 'vega-lite';

const BASE = {
  width: 520,
  height: 340,
  background: 'white',
  config: { font: 'DejaVu Sans', title: { fontSize: 15 } },
} as const;

export interface EyringPlotPoint {
  invT: number;
  lnKOverT: number;
  lo: number | null;
  hi: number | null;
  group: string;
}
export interface BandPoint {
  invT: number;
  fit: number;
  lo: number;
  hi: number;
  group: string;
}

/** ln(k/T) against 1/T with the Poisson-regression fit and its 95% band, one colour per group. */
export function eyringSpec(points: EyringPlotPoint[], band: BandPoint[], title: string): TopLevelSpec {
  const x = {
    field: 'invT',
    type: 'quantitative',
    title: '1/T (inverse temperature, simulation units)',
    scale: { zero: false },
  } as const;
  const color = { field: 'group', type: 'nominal', title: 'group' } as const;
  return {
    ...BASE,
    title,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area', opacity: 0.2 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
      },
      { data: { values: band }, mark: 'line', encoding: { x, y: { field: 'fit', type: 'quantitative' }, color } },
      {
        data: { values: points.filter((p) => p.lo !== null) },
        mark: 'rule',
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          y: {
            field: 'lnKOverT',
            type: 'quantitative',
            title: 'ln(k/T), k = escape rate (1/time)',
            scale: { zero: false },
          },
          color,
        },
      },
    ],
  } as TopLevelSpec;
}

export interface LogTauPoint {
  x: number;
  lnTau: number;
  lo: number | null;
  hi: number | null;
  group: string;
}

/** ln tau (mean first-passage time) against a scanned parameter, one colour per temperature. */
export function logTauSpec(points: LogTauPoint[], xName: string, title: string): TopLevelSpec {
  const x = {
    field: 'x',
    type: 'quantitative',
    title: `${xName} (scenario parameter)`,
    scale: { zero: false },
  } as const;
  const color = { field: 'group', type: 'nominal', title: 'temperature' } as const;
  return {
    ...BASE,
    title,
    layer: [
      {
        data: { values: points.filter((p) => p.lo !== null) },
        mark: 'rule',
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
      },
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: {
            field: 'lnTau',
            type: 'quantitative',
            title: 'ln τ, τ = mean first-passage time (simulation time)',
            scale: { zero: false },
          },
          color,
        },
      },
    ],
  } as TopLevelSpec;
}

/** A summary field over two grid axes (the generalizing population over T x dataSize is the phase diagram). */
export function heatmapSpec(
  cells: { x: number; y: number; value: number }[],
  xName: string,
  yName: string,
  field: string,
  title: string,
): TopLevelSpec {
  return {
    ...BASE,
    title,
    data: { values: cells },
    mark: 'rect',
    encoding: {
      x: { field: 'x', type: 'ordinal', title: xName },
      y: { field: 'y', type: 'ordinal', title: yName, sort: 'descending' },
      color: { field: 'value', type: 'quantitative', title: field, scale: { scheme: 'viridis' } },
      tooltip: [{ field: 'value', type: 'quantitative' }],
    },
  } as TopLevelSpec;
}

/** Kaplan-Meier survival in the starting region against time, one line per run or point. */
export function survivalSpec(points: { time: number; survival: number; run: string }[], title: string): TopLevelSpec {
  return {
    ...BASE,
    title,
    data: { values: points },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'time (simulation units)' },
      y: { field: 'survival', type: 'quantitative', title: 'fraction not yet escaped', scale: { domain: [0, 1] } },
      color: { field: 'run', type: 'nominal', title: 'run' },
    },
  } as TopLevelSpec;
}
