import { OVERRIDABLE_TOP } from '../scenario/schema.js';

export class ScanError extends Error {}

/** Grid axes in the order given: name -> values. */
export type Grid = { name: string; values: number[] }[];

const MAX_POINTS_PER_AXIS = 10_000;

/**
 * Parses one axis: `name=v1,v2,...` or `name=start:stop:step` (inclusive stop). `flag` names the option it
 * came from in refusals (--grid for scans, --param for sweeps).
 */
export function parseAxis(spec: string, flag = '--grid'): { name: string; values: number[] } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(spec.trim());
  if (!m) throw new ScanError(`${flag} ${spec}: expected name=v1,v2,... or name=start:stop:step`);
  const [, name, body] = m;
  const num = (t: string) => {
    const v = Number(t);
    if (t.trim() === '' || !Number.isFinite(v)) throw new ScanError(`${flag} ${spec}: '${t}' is not a number`);
    return v;
  };
  if (body.includes(':')) {
    const parts = body.split(':');
    if (parts.length !== 3) throw new ScanError(`${flag} ${spec}: a range is start:stop:step`);
    const [start, stop, step] = parts.map(num);
    if (!(step > 0)) throw new ScanError(`${flag} ${spec}: the step must be > 0`);
    if (stop < start) throw new ScanError(`${flag} ${spec}: the range is reversed (stop ${stop} < start ${start})`);
    const n = Math.floor((stop - start) / step + 1e-9) + 1;
    if (n > MAX_POINTS_PER_AXIS)
      throw new ScanError(`${flag} ${spec}: ${n} values; at most ${MAX_POINTS_PER_AXIS} per axis`);
    // values from integers times the step, rounded to 12 significant digits so 0.1 steps print cleanly
    return { name, values: Array.from({ length: n }, (_, i) => Number((start + i * step).toPrecision(12))) };
  }
  const values = body.split(',').map(num);
  if (values.length === 0) throw new ScanError(`${flag} ${spec}: no values`);
  if (new Set(values).size !== values.length) throw new ScanError(`${flag} ${spec}: repeated values`);
  return { name, values };
}

export function parseGrid(specs: string[], knownParameters: string[]): Grid {
  if (specs.length === 0) throw new ScanError('a scan needs at least one --grid name=values');
  const grid = specs.map((spec) => parseAxis(spec));
  const known = [...OVERRIDABLE_TOP, ...knownParameters];
  for (const a of grid) {
    if (!known.includes(a.name))
      throw new ScanError(`--grid ${a.name}: unknown parameter (known: ${known.join(', ')})`);
  }
  const names = grid.map((a) => a.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ScanError(`--grid ${dup}: given twice`);
  return grid;
}
