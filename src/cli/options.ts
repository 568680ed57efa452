import { InvalidArgumentError, Option } from 'commander';
import { BACKENDS } from '../engine/backend.js';

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A commander parser for counts; the flag and the value are named by the usage line that reports it. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a positive integer (1, 2, ...)');
  return n;
}

/** `--backend`, its name checked when parsed: an unknown one is refused before anything is made. */
export function backendOption(): Option {
  return new Option('--backend <name>', `where the kernels run: auto, ${BACKENDS.join(', ')}`)
    .default('auto')
    .argParser((value: string) => {
      if (value !== 'auto' && !(BACKENDS as readonly string[]).includes(value))
        throw new InvalidArgumentError(`unknown backend; use auto or one of ${BACKENDS.join(', ')}`);
      return value;
    });
}
