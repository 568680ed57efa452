import path from 'node:path';
import { Command } from 'commander';
import { openBackend, type BackendRequest } from '../../engine/backend.js';
import { DivergenceError } from '../../engine/simulation.js';
import { checkCapacityFor } from '../../landscape/conditions.js';
import { resolveScenario } from '../../landscape/resolve.js';
import { workloadOf } from '../../landscape/scenario.js';
import { SWEEP_FILES, sweepSummary, writeSweepFiles } from '../../scan/sweep-files.js';
import { ScanError } from '../../scan/grid.js';
import { planSweep, resolveSweep, runSweep, type SweepRow } from '../../scan/sweep.js';
import { parseOverrides } from '../../scenario/load.js';
import { UsageError } from '../errors.js';
import { interruptible, onAbort } from '../interrupt.js';
import { backendOption, collect, positiveInt } from '../options.js';
import { prepareOutDir } from '../out-dir.js';

const g = (v: number) => Number(v.toPrecision(3)).toString();

function rowLine(row: SweepRow, parameter: string, total: number): string {
  const pops = Object.entries(row.populations)
    .filter(([k]) => k !== 'other')
    .map(([k, v]) => `${k} ${g(v)}`)
    .join(', ');
  const pred = row.predicted
    ? `  (equilibrium ${Object.entries(row.predicted)
        .filter(([k]) => k !== 'other')
        .map(([k, v]) => `${k} ${g(v)}`)
        .join(', ')})`
    : '';
  return `${String(row.index + 1).padStart(3)}/${total} ${row.branch.padEnd(4)} ${parameter}=${row.value}: ${pops}; <obs> ${g(row.observableMean)}, <|obs|> ${g(row.observableAbsMean)}${pred}`;
}

export function sweepCommand(): Command {
  return new Command('sweep')
    .description(
      'take one simulation through values of a parameter, up then back down, keeping the particles (hysteresis); DIR/sweep.csv and sweep.json',
    )
    .argument('<scenario>', 'shipped scenario name or path')
    .requiredOption(
      '--param <name=values>',
      'the swept parameter: name=start:stop:step (stop included) or name=v1,v2,...; temperature or any parameter that keeps the coordinates',
    )
    .option('--steps <n>', "steps at each value (default: the scenario's steps)", positiveInt)
    .option('--no-back', 'up branch only (no return sweep)')
    .option('--set <name=value>', 'fixed override (repeatable)', collect, [])
    .addOption(backendOption())
    .requiredOption('--out <dir>', 'result directory (sweep.csv, sweep.json); refused if not empty')
    .option('--force', 'write into a non-empty --out, replacing sweep.csv and sweep.json there')
    .option('--quiet', 'no progress lines')
    .action(
      async (
        name: string,
        o: {
          param: string;
          steps?: number;
          back: boolean;
          set: string[];
          backend: BackendRequest;
          out: string;
          force?: boolean;
          quiet?: boolean;
        },
      ) => {
        const overrides = parseOverrides(o.set);
        if (o.steps !== undefined && Object.hasOwn(overrides, 'steps'))
          throw new UsageError('--steps and --set steps=... both set the steps at each value; drop one');
        const base = resolveScenario(name, overrides);
        let plan;
        let scenarios;
        try {
          plan = planSweep(o.param, base, o.steps ?? base.steps, o.back);
          if (Object.hasOwn(overrides, plan.parameter))
            throw new ScanError(`--param ${plan.parameter}: also fixed by --set; drop one`);
          scenarios = resolveSweep(name, overrides, plan);
        } catch (e) {
          if (e instanceof ScanError) throw new UsageError(e.message);
          throw e;
        }
        checkCapacityFor(base);
        // The backend first: a backend that cannot start leaves no directory behind.
        const backend = await openBackend(o.backend, workloadOf(base));
        const { discard } = prepareOutDir(o.out, { force: o.force, writes: SWEEP_FILES });
        const forget = onAbort(discard);
        if (!o.quiet) process.stderr.write(`grokscape: ${backend.note}\n`);
        const { signal, release } = interruptible('finishing the current value and writing the sweep so far');
        let result;
        try {
          result = await runSweep(plan, scenarios, backend, {
            signal,
            onValue: o.quiet
              ? undefined
              : (row, total) => process.stderr.write(`${rowLine(row, plan.parameter, total)}\n`),
          });
        } catch (e) {
          discard();
          if (e instanceof DivergenceError)
            throw new UsageError(
              `diverged: NaN or infinity in the state by step ${e.step} with dt=${e.dt}: lower dt (--set dt=...)`,
              3,
            );
          throw e;
        } finally {
          release();
        }
        const first = scenarios.get(plan.points[0].value)!;
        writeSweepFiles(o.out, sweepSummary(first, plan, overrides, result));
        forget();
        process.stderr.write(
          `${base.name}: ${result.rows.length} values x ${plan.stepsPerValue} steps on ${result.backend} in ${result.elapsedSeconds.toFixed(1)} s; results in ${path.join(o.out, 'sweep.csv')}\n`,
        );
        if (result.interrupted) process.exitCode = 130;
      },
    );
}
