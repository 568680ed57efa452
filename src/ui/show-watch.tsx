import { render } from 'ink';
import { WatchApp } from './components/WatchApp.js';
import type { WatchController } from './watch-controller.js';

/** Draws the live screen until the user quits or a signal arrives; the terminal is restored on the way out. */
export async function showWatch(controller: WatchController): Promise<void> {
  const app = render(<WatchApp controller={controller} />, { exitOnCtrlC: false });
  const stop = () => {
    controller.quit();
    app.unmount();
  };
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  await Promise.all([controller.loop(), app.waitUntilExit()]);
}
