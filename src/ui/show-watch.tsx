import chalk from 'chalk';
import { render } from 'ink';
import { WatchApp } from './components/WatchApp.js';
import type { QuitCause, WatchController } from './watch-controller.js';

/**
 * Draws the live screen until the user quits or a signal arrives; the terminal is restored on the way out.
 * Returns what ended the session.
 */
export async function showWatch(controller: WatchController): Promise<QuitCause> {
  // NO_COLOR (no-color.org) turns colour off; chalk, which colours Ink's text, does not read it itself.
  if (process.env.NO_COLOR) chalk.level = 0;
  const app = render(<WatchApp controller={controller} />, { exitOnCtrlC: false });
  const stop = (signal: NodeJS.Signals) => {
    controller.quit(signal as QuitCause);
    app.unmount();
  };
  // In raw mode Ctrl-C arrives as a key (WatchApp quits on it); a SIGINT sent by another process, like
  // SIGTERM and SIGHUP, must also unmount, or the terminal is left in raw mode.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  await Promise.all([controller.loop(), app.waitUntilExit()]);
  return controller.quitCause ?? 'q';
}
