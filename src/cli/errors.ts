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

/** Prints an error as one line on stderr and returns the exit code; stack traces only with GROKSCAPE_DEBUG=1. */
export function reportError(e: unknown): number {
  const known = USER_ERRORS.some((cls) => e instanceof cls);
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`grokscape: ${known ? '' : 'internal error: '}${message.split('\n')[0]}\n`);
  if (process.env.GROKSCAPE_DEBUG === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  if (!known && process.env.GROKSCAPE_DEBUG !== '1')
    process.stderr.write('grokscape: rerun with GROKSCAPE_DEBUG=1 for details\n');
  return e instanceof UsageError ? e.exitCode : known ? 2 : 1;
}
