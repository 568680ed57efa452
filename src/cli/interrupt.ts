/**
 * SIGINT and SIGTERM abort `signal` so that long work stops at its next boundary and keeps what finished
 * (`message`, if given, says so at once); a second signal exits 130 immediately. `release` removes the
 * handlers when the work is done.
 */
export function interruptible(message?: string): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
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
