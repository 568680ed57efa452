import fs from 'node:fs';
import path from 'node:path';
import { makeDir, writeFileAtomic } from '../output/atomic.js';
import { LOCK_FILE } from '../output/lock.js';
import { type Provenance, provenance } from '../report/provenance.js';
import type { Summary } from '../report/summary.js';
import { VERSION } from '../version.js';
import type { Grid } from './grid.js';
import { ScanError } from './grid.js';
import type { ScanPoint, Shard } from './points.js';

/** What identifies a scan: a directory holding another one is refused, never overwritten. */
export interface ScanSpec {
  schemaVersion: 1;
  scenario: string;
  scenarioFile: string;
  grid: Grid;
  repeat: number;
  overrides: Record<string, number>;
  baseSeed: number;
  /** The scenario's resolved parameters before a point's grid values replace their axes'. */
  parameters: Record<string, number>;
  /** The backend asked for (each point's summary says which one ran it). */
  backend: string;
  shard: Shard | null;
  version: string;
  /** Who began the scan and on what (command line, start time, Node, git commit); resumes keep the first's. */
  provenance?: Provenance & { startedAt: string };
  /** Set by `merge`: the shard directories it joined, and its own command and time. */
  merged?: Provenance & { shards: string[]; at: string };
}

export type PointResult = Summary & { point: ScanPoint };

/**
 * A point that cannot run as set (its dynamics diverged, or its values are refused): DIR/failed.jsonl. It is
 * the point's own fault, so a resume skips it (scan --retry-failed runs it again) and the others go on.
 */
export interface PointFailure {
  point: ScanPoint;
  reason: string;
  /** The grokscape that ran it, and when it failed (absent in lines of earlier versions). */
  version?: string;
  failedAt?: string;
}

/** The spec of a scan begun now (the CLI's and the library's), with its provenance. */
export function newScanSpec(
  base: { name: string; file: string; seed: number; parameters: Record<string, number> },
  o: { grid: Grid; repeat: number; overrides: Record<string, number>; shard: Shard | null; backend: string },
): ScanSpec {
  return {
    schemaVersion: 1,
    scenario: base.name,
    scenarioFile: path.resolve(base.file),
    grid: o.grid,
    repeat: o.repeat,
    overrides: o.overrides,
    baseSeed: base.seed,
    parameters: base.parameters,
    backend: o.backend,
    shard: o.shard,
    version: VERSION,
    provenance: { ...provenance(), startedAt: new Date().toISOString() },
  };
}

const sameScan = (a: ScanSpec, b: ScanSpec) =>
  JSON.stringify([a.scenario, a.grid, a.repeat, a.overrides, a.baseSeed, a.shard]) ===
  JSON.stringify([b.scenario, b.grid, b.repeat, b.overrides, b.baseSeed, b.shard]);

/** Creates DIR/scan.json, or checks that the one there describes the same scan (resume). */
export function openScanDir(dir: string, spec: ScanSpec): void {
  const file = path.join(dir, 'scan.json');
  if (fs.existsSync(file)) {
    let existing: ScanSpec;
    try {
      existing = JSON.parse(fs.readFileSync(file, 'utf8')) as ScanSpec;
    } catch {
      throw new ScanError(`--out ${dir}: scan.json is unreadable; choose another directory`);
    }
    if (!sameScan(existing, spec)) {
      throw new ScanError(
        `--out ${dir} holds a scan of ${existing.scenario} with another grid, repeat, overrides, seed or shard; choose another directory (it is never overwritten)`,
      );
    }
    // Versions may draw different noise (0.2.0 changed the generator): one scan's points come from one version.
    if (existing.version !== spec.version) {
      throw new ScanError(
        `--out ${dir} holds a scan begun by grokscape ${existing.version}, and this is ${spec.version}, whose results may differ; resume it with ${existing.version} or choose another directory`,
      );
    }
    return;
  }
  if (fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f !== LOCK_FILE)) {
    throw new ScanError(`--out ${dir} is not empty and holds no scan; choose another directory`);
  }
  makeDir(dir);
  writeFileAtomic(file, `${JSON.stringify(spec, null, 2)}\n`);
}

/**
 * Finished points of DIR/results.jsonl. A last line cut short by a kill is dropped (and the file trimmed
 * back to its last complete line) so the point is simply run again.
 */
export function readResults(dir: string): PointResult[] {
  const file = path.join(dir, 'results.jsonl');
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const out: PointResult[] = [];
  let good = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as PointResult);
      good += Buffer.byteLength(line, 'utf8') + 1;
    } catch {
      break;
    }
  }
  if (good < Buffer.byteLength(text, 'utf8')) fs.truncateSync(file, good);
  return out;
}

/** Appends one line to DIR/`name` and flushes it to disk before returning. */
function appendLine(dir: string, name: string, record: unknown): void {
  const fd = fs.openSync(path.join(dir, name), 'a');
  try {
    fs.writeSync(fd, `${JSON.stringify(record)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends one result line and flushes it to disk before returning. */
export function appendResult(dir: string, r: PointResult): void {
  appendLine(dir, 'results.jsonl', r);
}

export const FAILED_FILE = 'failed.jsonl';

export function appendFailure(dir: string, f: PointFailure): void {
  appendLine(dir, FAILED_FILE, { version: VERSION, failedAt: new Date().toISOString(), ...f });
}

/** The failed points recorded in DIR (a line cut short by a kill is ignored: the point runs again). */
export function readFailures(dir: string): PointFailure[] {
  const file = path.join(dir, FAILED_FILE);
  if (!fs.existsSync(file)) return [];
  const out: PointFailure[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as PointFailure);
    } catch {
      break;
    }
  }
  return out;
}

/** Forgets the failed points (scan --retry-failed): they run again. */
export function clearFailures(dir: string): void {
  fs.rmSync(path.join(dir, FAILED_FILE), { force: true });
}
