import { BackendError } from '../engine/backend.js';
import { CapacityError, DivergenceError } from '../engine/simulation.js';
import { ScenarioError } from '../scenario/errors.js';

/** An error the user can act on: printed as one line, exit code 2 unless stated. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

const USER_ERRORS = [UsageError, ScenarioError, BackendError, CapacityError, DivergenceError];

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory; give a file name',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'the disk is full',
  EEXIST: 'it already exists',
};

/**
 * A file-system refusal on a path the user gave (an --out that is a file, an unwritable or missing
 * folder), as one line; null for anything else.
 */
function fileProblem(e: unknown): string | null {
  const { code, path, syscall } = (e ?? {}) as NodeJS.ErrnoException;
  if (!code || !path || !(code in FILE_PROBLEMS)) return null;
  return `cannot ${syscall ?? 'use'} ${path} (${code}: ${FILE_PROBLEMS[code]}): check the path, or choose another`;
}

/** Prints an error as one line on stderr and returns the exit code; stack traces only with GROKSCAPE_DEBUG=1. */
export function reportError(e: unknown): number {
  const problem = fileProblem(e);
  const known = problem !== null || USER_ERRORS.some((cls) => e instanceof cls);
  const message = problem ?? (e instanceof Error ? e.message : String(e));
  process.stderr.write(`grokscape: ${known ? '' : 'internal error: '}${message.split('\n')[0]}\n`);
  if (process.env.GROKSCAPE_DEBUG === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  if (!known && process.env.GROKSCAPE_DEBUG !== '1')
    process.stderr.write('grokscape: rerun with GROKSCAPE_DEBUG=1 for details\n');
  return e instanceof UsageError ? e.exitCode : known ? 2 : 1;
}
