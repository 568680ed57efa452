import fs from 'node:fs';
import { Command } from 'commander';
import type { BackendRequest } from '../../engine/backend.js';
import { DivergenceError } from '../../engine/simulation.js';
import { resolveScenario } from '../../landscape/resolve.js';
import { parseOverrides } from '../../scenario/load.js';
import { WatchController } from '../../ui/watch-controller.js';
import { UsageError } from '../errors.js';
import { backendOption, collect } from '../options.js';

export function watchCommand(): Command {
  return new Command('watch')
    .description('watch escape dynamics live in the terminal: populations, histogram, escapes, running rate')
    .argument('[scenario]', 'shipped scenario name or path', 'entropic-funnel')
    .option('--set <name=value>', 'override a parameter or top-level number (repeatable)', collect, [])
    .addOption(backendOption())
    .option('--save-dir <dir>', 'where the s key saves results', 'runs')
    .action(async (name: string, o: { set: string[]; backend: BackendRequest; saveDir: string }) => {
      // the scenario and --save-dir first: their errors matter more than the terminal's
      resolveScenario(name, parseOverrides(o.set));
      if (fs.existsSync(o.saveDir) && !fs.statSync(o.saveDir).isDirectory())
        throw new UsageError(
          `--save-dir ${o.saveDir} is a file, not a directory: choose a directory (a new one is made)`,
        );
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        throw new UsageError(
          `watch needs an interactive terminal (stdin and stdout are not both a TTY); for a non-interactive run use: grokscape run ${name}`,
        );
      }
      const controller = await WatchController.start({
        scenario: name,
        overrides: parseOverrides(o.set),
        backend: o.backend,
        saveRoot: o.saveDir,
      });
      // Ink reads CI when it is first imported and, when set, draws nothing until exit (its mode for CI
      // logs). Here stdin and stdout are a terminal, so a CI variable inherited from the environment (a CI
      // job's tmux, a test harness) must not blank the live screen. The variables are removed, not set to
      // 'false' (Ink's opt-out): chalk, which colours Ink's text, turns colour off whenever CI is present.
      delete process.env.CI;
      delete process.env.CONTINUOUS_INTEGRATION;
      // React picks its build when first loaded: the development build records every render's props for its
      // performance tracks, which with the snapshot's arrays took most of the main thread (key presses
      // waited 2-3 s at 65,536 particles, measured with bench/watch-latency.mjs). NODE_ENV=development keeps it.
      process.env.NODE_ENV ??= 'production';
      const { showWatch } = await import('../../ui/show-watch.js');
      try {
        const cause = await showWatch(controller);
        // an interrupted session exits as an interrupted run does
        if (cause !== 'q') process.exitCode = 130;
      } catch (e) {
        // as `run` reports a divergence: exit code 3
        if (e instanceof DivergenceError) throw new UsageError(e.message, 3);
        throw e;
      }
    });
}
