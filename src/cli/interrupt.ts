/**
 * A SIGTERM repeated within this window is the same stop: `timeout`, and anything else that signals a
 * process group, delivers one SIGTERM twice (to the child and to its group). SIGINT is not deduplicated: a
 * terminal delivers Ctrl-C once, and while the main thread is busy two presses reach the handler back to
 * back, which no clock could tell from one doubled delivery.
 */
const SAME_STOP_MS = 1000;

const abortCleanups = new Set<() => void>();

/**
 * Registers work to undo if the user aborts (a second stop) before the results are written: a directory
 * this command created, which would otherwise stay behind empty. Returns the unregistering function.
 */
export function onAbort(cleanup: () => void): () => void {
  abortCleanups.add(cleanup);
  return () => abortCleanups.delete(cleanup);
}

/**
 * SIGINT and SIGTERM abort `signal` so that long work stops at its next boundary and keeps what finished
 * (`message`, if given, says so at once); a second stop (not a SIGTERM within SAME_STOP_MS) exits 130 at once
 * after the `onAbort` cleanups. `release` removes the handlers when the work is done.
 */
export function interruptible(message?: string): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  let first = 0;
  let firstSignal: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      if (signal === 'SIGTERM' && firstSignal === 'SIGTERM' && Date.now() - first < SAME_STOP_MS) return;
      for (const cleanup of abortCleanups) cleanup();
      process.stderr.write('\ngrokscape: aborted: the results in progress were not written\n');
      process.exit(130);
    }
    first = Date.now();
    firstSignal = signal;
    if (message) process.stderr.write(`\ngrokscape: interrupted; ${message} (Ctrl-C again to abort)\n`);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
