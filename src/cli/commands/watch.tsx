import { Command } from 'commander';
import { render } from 'ink';
import { BACKENDS, type BackendRequest } from '../../engine/backend.js';
import { parseOverrides } from '../../scenario/load.js';
import { WatchApp } from '../../ui/components/WatchApp.js';
import { WatchController } from '../../ui/watch-controller.js';
import { UsageError } from '../errors.js';
import { collect } from '../options.js';

export function watchCommand(): Command {
  return new Command('watch')
    .description('watch escape dynamics live in the terminal: populations, histogram, escapes, running rate')
    .argument('[scenario]', 'shipped scenario name or path', 'entropic-funnel')
    .option('--set <name=value>', 'override a parameter or top-level number (repeatable)', collect, [])
    .option('--backend <name>', `where the kernels run: auto, ${BACKENDS.join(', ')}`, 'auto')
    .option('--save-dir <dir>', 'where the s key saves results', 'runs')
    .action(async (name: string, o: { set: string[]; backend: BackendRequest; saveDir: string }) => {
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        throw new UsageError(`watch needs an interactive terminal (stdin and stdout are not both a TTY); for a non-interactive run use: grokscape run ${name}`);
      }
      const controller = await WatchController.start({ scenario: name, overrides: parseOverrides(o.set), backend: o.backend, saveRoot: o.saveDir });
      const app = render(<WatchApp controller={controller} />, { exitOnCtrlC: false });
      const stop = () => {
        controller.quit();
        app.unmount();
      };
      process.once('SIGTERM', stop);
      process.once('SIGHUP', stop);
      await Promise.all([controller.loop(), app.waitUntilExit()]);
    });
}
