import { Command } from 'commander';
import { DEFAULT_FIELD, PlotError, plotRuns } from '../../plot/plot-runs.js';
import { RunsError } from '../../report/load-runs.js';
import { UsageError } from '../errors.js';

export function plotCommand(): Command {
  return new Command('plot')
    .description(
      'write SVG and PNG figures into DIR/plots: Eyring plot, ln tau vs a parameter, heatmap, survival curves; for a sweep, the hysteresis loop',
    )
    .argument(
      '<dir>',
      'a scan directory (results.jsonl), a run directory, a directory of runs, or a sweep directory (sweep.json)',
    )
    .option(
      '--field <path>',
      `summary field for the heatmap (default ${DEFAULT_FIELD}); for a sweep, the y axis: a region, observableMean, observableAbsMean or a row field (default the target region's population)`,
    )
    .option('--against <name>', 'parameter for the ln tau plot (default dataSize when it varies)')
    .action(async (dir: string, o: { field?: string; against?: string }) => {
      try {
        for (const p of await plotRuns(dir, o)) {
          process.stdout.write(`${p.svg}\n${p.png} (${p.width}x${p.height})\n`);
          if (p.note) process.stderr.write(`grokscape: note: ${p.note}\n`);
        }
      } catch (e) {
        if (e instanceof PlotError || e instanceof RunsError) throw new UsageError(e.message);
        throw e;
      }
    });
}
