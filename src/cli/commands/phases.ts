import path from 'node:path';
import { Command } from 'commander';
import { classifyPhase, firstReach, type Phase } from '../../analysis/index.js';
import { openBackend, type BackendRequest } from '../../engine/backend.js';
import { resolveScenario } from '../../landscape/resolve.js';
import { workloadOf } from '../../landscape/scenario.js';
import { runScenario } from '../../observe/run-scenario.js';
import { writeFileAtomic } from '../../output/atomic.js';
import { parseGrid, ScanError } from '../../scan/grid.js';
import { enumeratePoints, pointSource } from '../../scan/points.js';
import { madeBy } from '../../report/provenance.js';
import { SCHEMA_VERSION } from '../../report/summary.js';
import { parseOverrides } from '../../scenario/load.js';
import { UsageError } from '../errors.js';
import { interruptible, onAbort } from '../interrupt.js';
import { backendOption, collect, positiveInt } from '../options.js';
import { prepareOutDir } from '../out-dir.js';

interface PhaseRow {
  values: Record<string, number>;
  seed: number;
  trainStep: number | null;
  validationStep: number | null;
  lag: number | null;
  phase: Phase;
}

const regionList = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Liu et al.'s phase of each grid point. It runs the points itself rather than reading a scan directory:
 * the rule needs the time at which training and validation accuracy first reach 90%, i.e. population time
 * series of two nested region unions, which scan results (one summary per point) do not keep.
 */
export function phasesCommand(): Command {
  return new Command('phases')
    .description(
      "classify grid points as comprehension, grokking, memorization or confusion (Liu et al.'s rule); DIR/phases.csv",
    )
    .argument('<scenario>', 'shipped scenario name or path (e.g. parallelogram-phases)')
    .option('--grid <name=values>', 'axis: name=v1,v2,... or name=start:stop:step (repeatable)', collect, [])
    .option('--set <name=value>', 'fixed override (repeatable)', collect, [])
    .option('--train <regions>', 'regions whose union means training accuracy >= 90%', 'validated,fitted')
    .option(
      '--validation <regions>',
      'regions whose union means validation (and training) accuracy >= 90%',
      'validated',
    )
    .option('--lag <steps>', 'lag from which generalization counts as grokking (paper: 1000)', positiveInt, 1000)
    .addOption(backendOption())
    .option('--out <dir>', 'write DIR/phases.csv and DIR/phases.json; refused if DIR is not empty')
    .option('--force', 'write into a non-empty --out, replacing phases.csv and phases.json there')
    .option('--json', 'print the rows as JSON')
    .action(
      async (
        name: string,
        o: {
          grid: string[];
          set: string[];
          train: string;
          validation: string;
          lag: number;
          backend: BackendRequest;
          out?: string;
          force?: boolean;
          json?: boolean;
        },
      ) => {
        const overrides = parseOverrides(o.set);
        const base = resolveScenario(name, overrides);
        const regions = base.regions.map((r) => r.name);
        const indices = (flag: string, list: string[]) =>
          list.map((r) => {
            const i = regions.indexOf(r);
            if (i < 0)
              throw new UsageError(`${flag} ${r}: ${base.file} has no region '${r}' (regions: ${regions.join(', ')})`);
            return i;
          });
        const train = indices('--train', regionList(o.train));
        const validation = indices('--validation', regionList(o.validation));
        if (train.length === 0 || validation.length === 0)
          throw new UsageError(
            `--${train.length === 0 ? 'train' : 'validation'}: name at least one region (regions: ${regions.join(', ')})`,
          );
        let points;
        let axes: string[] = [];
        try {
          const grid = o.grid.length ? parseGrid(o.grid, Object.keys(base.parameters)) : [];
          axes = grid.map((a) => a.name);
          points = grid.length
            ? enumeratePoints(grid, 1, base.seed)
            : [{ index: 0, values: {}, repeat: 0, seed: base.seed }];
        } catch (e) {
          if (e instanceof ScanError) throw new UsageError(e.message);
          throw e;
        }
        // Every point resolved, and the backend started, before --out is made: a refusal leaves nothing behind.
        const scenarios = points.map((p) =>
          resolveScenario(
            name,
            { ...overrides, ...p.values, seed: p.seed },
            axes.length ? pointSource(p.values) : '--set',
          ),
        );
        const shortest = Math.min(...scenarios.map((x) => x.steps));
        if (o.lag >= shortest)
          process.stderr.write(
            `grokscape: warning: --lag ${o.lag} is not shorter than the run (${shortest} steps): no point can be classified as grokking\n`,
          );
        const backend = await openBackend(o.backend, workloadOf(base));
        const outDir = o.out ? prepareOutDir(o.out, { force: o.force, writes: ['phases.csv', 'phases.json'] }) : null;
        const forget = outDir ? onAbort(outDir.discard) : null;
        const rows: PhaseRow[] = [];
        // What phases.csv needs beside it to be made again: the scenario as resolved, the rule, where it ran.
        const report = () => ({
          schemaVersion: SCHEMA_VERSION,
          scenario: base.name,
          scenarioFile: base.file,
          parameters: base.parameters,
          overrides,
          axes,
          temperature: base.temperature,
          dt: base.dt,
          steps: base.steps,
          particles: base.particles,
          seed: base.seed,
          train: regionList(o.train),
          validation: regionList(o.validation),
          lagThreshold: o.lag,
          backend: backend.name,
          ...madeBy(),
          interrupted: rows.length < points.length,
          rows,
        });
        const writeRows = (dir: string) => {
          const header = [...axes, 'seed', 'trainStep', 'validationStep', 'lag', 'phase'].join(',');
          const lines = rows.map((r) =>
            [
              ...axes.map((a) => r.values[a]),
              r.seed,
              r.trainStep ?? '',
              r.validationStep ?? '',
              r.lag ?? '',
              r.phase,
            ].join(','),
          );
          writeFileAtomic(path.join(dir, 'phases.json'), `${JSON.stringify(report(), null, 2)}\n`);
          writeFileAtomic(path.join(dir, 'phases.csv'), `${[header, ...lines].join('\n')}\n`);
          forget?.();
        };
        const { signal, release } = interruptible('finishing the current point and writing the phases so far');
        try {
          for (const [i, p] of points.entries()) {
            const run = await runScenario(scenarios[i], backend, { signal });
            await run.sim.destroy();
            // A point cut short has no phase: its clocks stopped early.
            if (run.interrupted) break;
            const { steps, counts } = run.populations;
            const trainStep = firstReach(steps, counts, train);
            const validationStep = firstReach(steps, counts, validation);
            const { phase, lag } = classifyPhase({
              trainStep,
              validationStep,
              horizon: run.stepsDone,
              lagThreshold: o.lag,
            });
            rows.push({ values: p.values, seed: p.seed, trainStep, validationStep, lag, phase });
            const at = axes.map((a) => `${a}=${p.values[a]}`).join(' ') || 'the scenario as given';
            process.stderr.write(
              `${String(rows.length).padStart(3)}/${points.length} ${at}: train ${trainStep ?? '-'}, validation ${validationStep ?? '-'}, lag ${lag ?? '-'} steps: ${phase}\n`,
            );
            if (signal.aborted) break;
          }
        } catch (e) {
          // a point that fails (a diverged run) keeps the rows before it; with none, no directory stays
          if (o.out && rows.length > 0) writeRows(o.out);
          else outDir?.discard();
          throw e;
        } finally {
          release();
        }
        if (o.out) {
          writeRows(o.out);
          if (!o.json) process.stderr.write(`phases in ${path.join(o.out, 'phases.csv')}\n`);
        }
        if (rows.length < points.length) {
          process.stderr.write(
            `grokscape: interrupted: ${rows.length} of ${points.length} points classified${o.out ? ' and written' : ''}; the others need a new run (--grid with their values)\n`,
          );
          process.exitCode = 130;
        }
        if (o.json) process.stdout.write(`${JSON.stringify(report(), null, 2)}\n`);
      },
    );
}
