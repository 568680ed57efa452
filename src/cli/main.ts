import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { benchCommand } from './commands/bench.js';
import { fitCommand } from './commands/fit.js';
import { gpuCheckCommand } from './commands/gpu-check.js';
import { plotCommand } from './commands/plot.js';
import { predictCommand } from './commands/predict.js';
import { runCommand } from './commands/run.js';
import { phasesCommand } from './commands/phases.js';
import { mergeCommand, scanCommand, scanWorkerCommand } from './commands/scan.js';
import { scenariosCommand } from './commands/scenarios.js';
import { sweepCommand } from './commands/sweep.js';
import { watchCommand } from './commands/watch.js';
import { reportError } from './errors.js';

// Usage errors read like every other refusal: one line, prefixed, with where to look.
const oneLine = {
  outputError: (text: string, write: (s: string) => void) =>
    write(
      `grokscape: ${text
        .trim()
        .replace(/\s*\n\s*/g, ' ')
        .replace(/^error: /, '')
        .replace(
          /^option '(-[\w-]+)[^']*' argument '([^']*)' is invalid\. /,
          '$1 $2: ',
        )} (run with --help for usage)\n`,
    ),
};

const program = new Command()
  .name('grokscape')
  .description('SGLD simulator for the thermodynamic theory of grokking: escape dynamics, rates and barriers')
  .version(VERSION)
  .configureOutput(oneLine)
  .exitOverride();

for (const command of [
  runCommand(),
  watchCommand(),
  scanCommand(),
  sweepCommand(),
  mergeCommand(),
  plotCommand(),
  predictCommand(),
  fitCommand(),
  phasesCommand(),
  scenariosCommand(),
  benchCommand(),
  gpuCheckCommand(),
]) {
  // addCommand does not copy these settings: every command reports usage errors through the same path
  program.addCommand(command.exitOverride().configureOutput(oneLine));
}

program.addCommand(scanWorkerCommand(), { hidden: true });

try {
  await program.parseAsync(process.argv);
  process.exit(process.exitCode ?? 0);
} catch (e) {
  if (e instanceof CommanderError) {
    // commander already printed its message (or the help/version text)
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  process.exit(reportError(e));
}
