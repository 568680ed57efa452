import path from 'node:path';
import { Command } from 'commander';
import { openBackend, type BackendRequest } from '../../engine/backend.js';
import { DivergenceError } from '../../engine/simulation.js';
import { checkCapacityFor } from '../../landscape/conditions.js';
import { resolveScenario } from '../../landscape/resolve.js';
import { workloadOf, type Scenario } from '../../landscape/scenario.js';
import { stableStepEstimate } from '../../landscape/stability.js';
import { runScenario, type ScenarioRun } from '../../observe/run-scenario.js';
import { maxRunBytes, RUN_FILES, writeRunFiles } from '../../output/run-files.js';
import { predict, UNCONFINED } from '../../landscape/predict.js';
import { formatSummary } from '../../report/format.js';
import { summarizeRun, type Summary } from '../../report/summary.js';
import { parseOverrides } from '../../scenario/load.js';
import { UsageError } from '../errors.js';
import { interruptible, onAbort } from '../interrupt.js';
import { backendOption, collect } from '../options.js';
import { prepareOutDir } from '../out-dir.js';
import { progressReporter } from '../progress.js';

export interface RunOptions {
  set: string[];
  backend: BackendRequest;
  out?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
}

const timestamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');

export function defaultOutDir(s: Scenario): string {
  return path.join('runs', `${s.name}-${timestamp()}`);
}

/** Runs a scenario and writes its result files; returns the summary. Shared by `run` and scans. */
export async function runToDirectory(
  s: Scenario,
  o: { backend: BackendRequest; out: string; force?: boolean; quiet?: boolean; signal?: AbortSignal },
): Promise<Summary> {
  checkCapacityFor(s);
  const need = maxRunBytes({
    particles: s.particles,
    steps: s.steps,
    recordEvery: s.recordEvery,
    regions: s.regions.length,
    parameters: Object.keys(s.parameters).length,
  });
  // The backend first: a backend that cannot start leaves no directory behind.
  const backend = await openBackend(o.backend, workloadOf(s));
  const { discard } = prepareOutDir(o.out, { needBytes: need, force: o.force, writes: RUN_FILES });
  const forget = onAbort(discard);
  if (!o.quiet) process.stderr.write(`grokscape: ${backend.note}\n`);
  const prediction = predict(s);
  const progress = o.quiet ? undefined : progressReporter(s);
  let run: ScenarioRun;
  try {
    run = await runScenario(s, backend, { signal: o.signal, reporters: progress ? [progress] : [] });
  } catch (e) {
    progress?.done();
    discard();
    if (e instanceof DivergenceError) {
      const stable = stableStepEstimate(s, null);
      // a smaller step does not help where the potential lets particles run off to infinity
      const runaway = prediction?.notes.some((n) => n.startsWith(UNCONFINED)) ?? false;
      const advice = runaway
        ? `${UNCONFINED} the particles (grokscape predict says where): add bounds or a confining term`
        : stable
          ? `the largest stable step here is about ${stable.toPrecision(2)}; use --set dt=${(stable / 20).toPrecision(2)} or smaller`
          : 'lower dt';
      throw new UsageError(`diverged: NaN or infinity in the state by step ${e.step} with dt=${s.dt}: ${advice}`, 3);
    }
    throw e;
  }
  progress?.done();
  // A family's measures run on the host after the last step (linear-separability: a Newton solve per set).
  if (!o.quiet && s.measures) process.stderr.write(`grokscape: computing the ${s.family} family's measures\n`);
  const { summary, escapes } = await summarizeRun(s, run, prediction, o.signal);
  if (!o.quiet && o.signal?.aborted && !run.interrupted)
    process.stderr.write(
      `grokscape: the family's measures were cut short (summary.json measures say over how many sets)\n`,
    );
  await run.sim.destroy();
  try {
    writeRunFiles(o.out, summary, run.populations, escapes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `could not write the results to ${o.out} (${code ?? (e as Error).message}${code === 'ENOSPC' ? ': the disk is full' : ''}); files already there are complete, none is truncated`,
    );
  }
  forget();
  return summary;
}

export function runCommand(): Command {
  return new Command('run')
    .description('run a scenario (a shipped name or a path) and write summary.json, populations.csv, escapes.csv')
    .argument('<scenario>', 'shipped scenario name (see `grokscape scenarios`) or path to a .yaml/.json file')
    .option(
      '--set <name=value>',
      'override a parameter or temperature/dt/steps/particles/seed (repeatable)',
      collect,
      [],
    )
    .addOption(backendOption())
    .option('--out <dir>', 'result directory (default runs/<scenario>-<timestamp>); refused if not empty')
    .option('--force', 'write into a non-empty --out, replacing the result files there')
    .option('--json', 'also print summary.json on stdout')
    .option('--quiet', 'no progress lines')
    .action(async (name: string, o: RunOptions) => {
      const s = resolveScenario(name, parseOverrides(o.set));
      const out = o.out ?? defaultOutDir(s);
      const { signal, release } = interruptible('finishing the current kernel call and writing the results so far');
      const summary = await runToDirectory(s, { backend: o.backend, out, force: o.force, quiet: o.quiet, signal });
      release();
      process.stderr.write(`${formatSummary(summary)}\nresults in ${out}\n`);
      if (o.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      if (summary.interrupted) process.exitCode = 130;
    });
}
