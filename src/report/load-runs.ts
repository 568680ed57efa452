import fs from 'node:fs';
import path from 'node:path';
import type { Summary } from './summary.js';

export class RunsError extends Error {}

function readSummary(file: string): Summary {
  let s: Summary;
  try {
    s = JSON.parse(fs.readFileSync(file, 'utf8')) as Summary;
  } catch (e) {
    throw new RunsError(`${file}: not a readable summary.json (${(e as Error).message.split('\n')[0]})`);
  }
  if (s?.schemaVersion !== 1)
    throw new RunsError(`${file}: schemaVersion ${String(s?.schemaVersion)} is not supported (expected 1)`);
  return s;
}

function readJsonl(file: string): Summary[] {
  const out: Summary[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let s: Summary;
      try {
        s = JSON.parse(line) as Summary;
      } catch {
        throw new RunsError(
          `${file}: line ${i + 1} is not JSON (a truncated write? rerun the scan to redo that point)`,
        );
      }
      if (s?.schemaVersion !== 1)
        throw new RunsError(
          `${file}: line ${i + 1} is not a grokscape result (schemaVersion ${String(s?.schemaVersion)}, expected 1); remove that line or rerun the scan`,
        );
      out.push(s);
    });
  if (out.length === 0)
    throw new RunsError(`${file}: no finished points yet; run the scan (or wait for its first point) first`);
  return out;
}

/**
 * Summaries from run directories (summary.json), scan directories (results.jsonl), or directories whose
 * subdirectories are runs.
 */
export function loadRuns(dirs: string[]): { source: string; summary: Summary }[] {
  const out: { source: string; summary: Summary }[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) throw new RunsError(`${dir}: no such directory`);
    const summary = path.join(dir, 'summary.json');
    const results = path.join(dir, 'results.jsonl');
    if (fs.existsSync(summary)) out.push({ source: dir, summary: readSummary(summary) });
    else if (fs.existsSync(results))
      out.push(...readJsonl(results).map((s, i) => ({ source: `${results}:${i + 1}`, summary: s })));
    else {
      const subs = fs.statSync(dir).isDirectory()
        ? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'summary.json')))
        : [];
      if (subs.length === 0)
        throw new RunsError(`${dir}: no runs here (no summary.json, no results.jsonl, no run subdirectories)`);
      for (const d of subs.sort())
        out.push({ source: path.join(dir, d), summary: readSummary(path.join(dir, d, 'summary.json')) });
    }
  }
  refuseRepeats(out);
  return out;
}

/**
 * Two summaries of the same scenario, settings and seed (and so the same escapes) hold the same noise, not two
 * samples (cpu and webasm give the same numbers for a seed): read twice
 * (overlapping directories, a scan beside its shards) they would narrow every interval by about sqrt(2).
 */
function refuseRepeats(runs: { source: string; summary: Summary }[]): void {
  const seen = new Map<string, string>();
  for (const { source, summary: s } of runs) {
    const key = JSON.stringify([
      s.scenarioFile,
      s.parameters,
      s.temperature,
      s.dt,
      s.steps,
      s.stepsDone,
      s.particles,
      s.seed,
      s.segment?.firstEngineStep ?? null,
      s.escape?.events ?? null,
      s.escape?.exposure ?? null,
    ]);
    const first = seen.get(key);
    if (first !== undefined)
      throw new RunsError(
        `${source}: the same run as ${first} (${s.scenario}, seed ${s.seed}, the same settings): read twice it would count one sample as two and narrow the intervals; drop one of the directories`,
      );
    seen.set(key, source);
  }
}
