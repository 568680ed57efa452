import fs from 'node:fs';
import { ensureWritableDir, makeDir, NoSpaceError } from '../output/atomic.js';
import { LOCK_FILE, LockedError, lockDir, unlockDir } from '../output/lock.js';
import { UsageError } from './errors.js';

/** What a directory holds besides a lock file (a live writer's, or a stale one left by a killed run). */
export function contentsOf(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f !== LOCK_FILE) : [];
}

/**
 * Creates `--out` and proves it writable (and, given `needBytes`, roomy enough) before any simulation
 * starts, then takes its lock so that no second grokscape writes there at once. A non-empty directory is
 * refused unless `force`: then the line says which files the results will replace. Returns `discard`,
 * which removes the directory again when this command created it (a refused or failed run leaves nothing
 * behind).
 */
export function prepareOutDir(
  out: string,
  o: { needBytes?: number; force?: boolean; writes?: readonly string[] } = {},
): { discard: () => void } {
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory())
    throw new UsageError(`--out ${out} is a file, not a directory: choose a directory (a new one is made)`);
  const created = !fs.existsSync(out);
  const discard = () => {
    unlockDir(out);
    if (created && fs.existsSync(out)) fs.rmSync(out, { recursive: true, force: true });
  };
  const held = contentsOf(out);
  if (held.length > 0 && !o.force) {
    const list = held.slice(0, 4).join(', ') + (held.length > 4 ? `, ... (${held.length} entries)` : '');
    throw new UsageError(
      `--out ${out} is not empty (${list}); choose another directory, or add --force to replace the result files there`,
    );
  }
  try {
    ensureWritableDir(out, o.needBytes ?? 0);
    lockDir(out);
  } catch (e) {
    discard();
    if (e instanceof LockedError) throw new UsageError(`--out ${e.message}`);
    if (e instanceof NoSpaceError)
      throw new UsageError(`--out ${e.message}: free some space or choose another directory`);
    throw new UsageError(
      `--out ${out}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose another directory`,
    );
  }
  if (held.length > 0) {
    const replaced = (o.writes ?? []).filter((f) => held.includes(f));
    process.stderr.write(
      `grokscape: --force: ${out} holds ${held.length} entries; ${replaced.length ? `the results will replace ${replaced.join(', ')} when the run finishes (kept if it fails)` : 'none of them will be replaced'}${held.length > replaced.length ? ', the others are left as they are' : ''}\n`,
    );
  }
  return { discard };
}

/** Creates a scan's directory and takes its lock (a scan resumes into its own non-empty directory). */
export function lockScanDir(out: string): void {
  try {
    makeDir(out);
    lockDir(out);
  } catch (e) {
    if (e instanceof LockedError) throw new UsageError(`--out ${e.message}`);
    throw new UsageError(
      `--out ${out}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose another directory`,
    );
  }
}
