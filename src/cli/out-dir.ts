import fs from 'node:fs';
import { ensureWritableDir, NoSpaceError } from '../output/atomic.js';
import { UsageError } from './errors.js';

/**
 * Creates `--out` and proves it writable (and, given `needBytes`, roomy enough) before any simulation
 * starts. Returns `discard`, which removes the directory again when this command created it (a refused or
 * failed run leaves nothing behind).
 */
export function prepareOutDir(out: string, needBytes = 0): { discard: () => void } {
  const created = !fs.existsSync(out);
  const discard = () => {
    if (created && fs.existsSync(out)) fs.rmSync(out, { recursive: true, force: true });
  };
  try {
    ensureWritableDir(out, needBytes);
  } catch (e) {
    discard();
    if (e instanceof NoSpaceError)
      throw new UsageError(`--out ${e.message}: free some space or choose another directory`);
    throw new UsageError(
      `--out ${out}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose another directory`,
    );
  }
  return { discard };
}
