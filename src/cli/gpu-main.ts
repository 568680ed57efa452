// Entry of the travelling GPU check (scripts/bundle-gpu.mjs): only the commands a GPU machine needs, so the
// bundle leaves out the plotting and terminal-UI modules (vega, resvg, ink, react) that main.ts loads.
import { Command, CommanderError } from 'commander';
import { describeAdapter, isSoftwareAdapter, probeWebGpu } from '../engine/webgpu.js';
import { VERSION } from '../version.js';
import { gpuCheckCommand } from './commands/gpu-check.js';
import { runCommand } from './commands/run.js';
import { reportError } from './errors.js';

const program = new Command()
  .name('grokscape')
  .description('grokscape, bundled for a GPU check: gpu-check and run')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

for (const command of [gpuCheckCommand(), runCommand()]) {
  program.addCommand(command.exitOverride().showHelpAfterError('(run with --help for usage)'));
}

// run.sh asks this under each Vulkan setup it tries and keeps the first that gives a hardware adapter
program.addCommand(
  new Command('probe-adapter').action(async () => {
    const p = await probeWebGpu();
    const kind = !p.ok || !p.adapter ? 'none' : isSoftwareAdapter(p.adapter) ? 'software' : 'hardware';
    process.stdout.write(`${kind} ${p.adapter ? describeAdapter(p.adapter) : p.reason}\n`);
  }),
  { hidden: true },
);

try {
  await program.parseAsync(process.argv);
  process.exit(process.exitCode ?? 0);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  process.exit(reportError(e));
}
