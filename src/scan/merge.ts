import fs from 'node:fs';
import path from 'node:path';
import { provenance } from '../report/provenance.js';
import { writeFileAtomic } from '../output/atomic.js';
import { ScanError } from './grid.js';
import { enumeratePoints, inShard } from './points.js';
import {
  FAILED_FILE,
  openScanDir,
  type PointFailure,
  type PointResult,
  readFailures,
  readResults,
  type ScanSpec,
} from './store.js';

function readSpec(dir: string): ScanSpec {
  const file = path.join(dir, 'scan.json');
  if (!fs.existsSync(file)) throw new ScanError(`${dir}: not a scan directory (no scan.json)`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ScanSpec;
  } catch {
    throw new ScanError(`${file}: unreadable`);
  }
}

const identity = (s: ScanSpec) => JSON.stringify([s.scenario, s.grid, s.repeat, s.overrides, s.baseSeed]);

/** Joins the shards of one scan into `out`: every shard present once, complete, and of the same scan. */
export function mergeShards(dirs: string[], out: string): { points: number; shards: number; failed: number } {
  if (dirs.length === 0) throw new ScanError('merge needs shard directories');
  const specs = dirs.map(readSpec);
  const first = specs[0];
  const count = first.shard?.count ?? 1;
  const seen = new Map<number, string>();
  specs.forEach((s, i) => {
    if (identity(s) !== identity(first)) {
      throw new ScanError(
        `${dirs[i]}: a shard of another scan (scenario ${s.scenario}, or another grid, repeat, overrides or seed) than ${dirs[0]}`,
      );
    }
    if (s.version !== first.version) {
      throw new ScanError(
        `${dirs[i]}: run by grokscape ${s.version}, but ${dirs[0]} by ${first.version}; rerun one of them with the other's version`,
      );
    }
    const c = s.shard?.count ?? 1;
    if (c !== count) throw new ScanError(`${dirs[i]}: shard of ${c}, but ${dirs[0]} is a shard of ${count}`);
    const idx = s.shard?.index ?? 0;
    if (seen.has(idx)) throw new ScanError(`shard ${idx}/${count} given twice: ${seen.get(idx)} and ${dirs[i]}`);
    seen.set(idx, dirs[i]);
  });
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length)
    throw new ScanError(
      `missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')}`,
    );
  const points = enumeratePoints(first.grid, first.repeat, first.baseSeed);
  const all: PointResult[] = [];
  const failed: PointFailure[] = [];
  specs.forEach((s, i) => {
    const want = points.filter((p) => inShard(p, s.shard)).length;
    const got = readResults(dirs[i]);
    const lost = readFailures(dirs[i]);
    if (got.length + lost.length < want)
      throw new ScanError(
        `${dirs[i]}: shard ${s.shard?.index ?? 0}/${count} is incomplete (${got.length} of ${want} points${lost.length ? `, ${lost.length} failed` : ''}); rerun it to finish`,
      );
    all.push(...got);
    failed.push(...lost);
  });
  all.sort((a, b) => a.point.index - b.point.index);
  failed.sort((a, b) => a.point.index - b.point.index);
  // the shards' own provenance stays in their directories; the merged scan names them and the merge
  openScanDir(out, {
    ...first,
    shard: null,
    merged: { shards: dirs.map((d) => path.resolve(d)), ...provenance(), at: new Date().toISOString() },
  });
  writeFileAtomic(path.join(out, 'results.jsonl'), `${all.map((r) => JSON.stringify(r)).join('\n')}\n`);
  if (failed.length)
    writeFileAtomic(path.join(out, FAILED_FILE), `${failed.map((f) => JSON.stringify(f)).join('\n')}\n`);
  return { points: all.length, shards: count, failed: failed.length };
}
