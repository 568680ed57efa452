import { Command } from 'commander';
import { AnalysisError } from '../../analysis/index.js';
import { writeFileAtomic } from '../../output/atomic.js';
import { fitRuns, type FitReport } from '../../report/fit-runs.js';
import { loadRuns, RunsError } from '../../report/load-runs.js';
import { madeBy } from '../../report/provenance.js';
import { formatStructure, structureReport } from '../../report/structure.js';
import { SCHEMA_VERSION, type Summary } from '../../report/summary.js';
import { UsageError } from '../errors.js';

/**
 * A fit's JSON with what made it: this grokscape and command, and every input run's source, seed, backend
 * and version (their resolved parameters are in the runs' own summaries, named by `source`).
 */
function withProvenance(fit: object, runs: { source: string; summary: Summary }[]): string {
  return `${JSON.stringify(
    {
      schemaVersion: SCHEMA_VERSION,
      ...fit,
      ...madeBy(),
      inputs: runs.map((r) => ({
        source: r.source,
        seed: r.summary.seed,
        backend: r.summary.backend,
        version: r.summary.version,
      })),
    },
    null,
    2,
  )}\n`;
}

const g = (v: number) => Number(v.toPrecision(4)).toString();
const ci = (c: [number, number]) => `[${g(c[0])}, ${g(c[1])}]`;

function format(r: FitReport): string {
  const lines = [`${r.scenario}: ${r.runs} runs; ${r.convention}`];
  for (const grp of r.groups) {
    const fixed = Object.entries(grp.fixed)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    if (fixed) lines.push(`group ${fixed}`);
    if (grp.eyring) {
      const e = grp.eyring;
      lines.push(
        `  Eyring: dH = ${g(e.deltaH)} ${ci(e.deltaHCI95)}, dS = ${g(e.deltaS)} ${ci(e.deltaSCI95)}, corr(dH, dS) = ${g(e.correlation)}, deviance ${g(e.deviance)} on ${e.dof} dof`,
      );
    }
    if (grp.arrhenius) {
      const a = grp.arrhenius;
      lines.push(
        `  Arrhenius: Ea = ${g(a.activationEnergy)} ${ci(a.activationEnergyCI95)}, ln A = ${g(a.lnPrefactor)} ${ci(a.lnPrefactorCI95)}`,
      );
    }
    if (grp.predicted)
      lines.push(
        `  predicted (the same fits to the counts the predicted MFPTs expect): dH = ${g(grp.predicted.deltaH)}, dS = ${g(grp.predicted.deltaS)}, Ea = ${g(grp.predicted.activationEnergy)} (theory: ${grp.predicted.method})`,
      );
    else if (grp.predicted === null) lines.push('  predicted: none (a run of this group has no predicted MFPT)');
    if (grp.logTime) {
      const t = grp.logTime;
      lines.push(
        `  ln tau vs ${t.against}: slope ${g(t.slope)} ${ci(t.slopeCI95)}, intercept ${g(t.intercept)} ${ci(t.interceptCI95)}`,
      );
      if (grp.predictedSlope)
        lines.push(`  predicted slope b = ${g(grp.predictedSlope.slope)} (theory: ${grp.predictedSlope.method})`);
      else if (grp.predictedSlope === null)
        lines.push('  predicted slope: none (a run of this group has no predicted MFPT)');
    }
    for (const p of grp.points) {
      const rate =
        p.rateUpperBound !== null
          ? `rate < ${g(p.rateUpperBound)} (no escapes; 95% upper bound)`
          : `rate ${g(p.events / p.exposure)} (${p.events} escapes)`;
      lines.push(`    T=${p.temperature}${p.x !== null ? ` x=${p.x}` : ''}: ${rate}`);
    }
  }
  return lines.join('\n');
}

export function fitCommand(): Command {
  return new Command('fit')
    .description('fit Eyring/Arrhenius barriers across temperatures (or ln tau against a parameter) over runs or scans')
    .argument('<dirs...>', 'run directories, scan directories, or directories holding runs')
    .option('--against <name>', 'fit ln tau against this parameter (e.g. dataSize) instead of temperature')
    .option(
      '--structure',
      "parallelogram scans (trainFraction x dataSeed): Liu et al.'s training-set checks instead of a barrier fit",
    )
    .option('--json', 'print the fit as JSON on stdout')
    .option('--out <file>', 'also write the fit as JSON to this file')
    .action((dirs: string[], o: { against?: string; structure?: boolean; json?: boolean; out?: string }) => {
      let report: FitReport;
      let inputs: { source: string; summary: Summary }[];
      try {
        const runs = loadRuns(dirs);
        // Liu et al.'s effective theory has no barrier to fit: its checks are over training sets
        if (o.structure) {
          if (o.against) throw new UsageError('--structure and --against are different fits: give one');
          // the structure is the parallelogram family's prediction extra: runs without it cannot be fitted here
          const other = runs.find((r) => r.summary.prediction?.structure == null);
          if (other)
            throw new UsageError(
              `--structure: needs runs of the parallelogram family; ${other.source} is a run of ${other.summary.scenario}${other.summary.family ? ` (family ${other.summary.family})` : ''}`,
            );
          const structure = structureReport(runs.map((r) => r.summary));
          const json = withProvenance(structure, runs);
          if (o.out) writeFileAtomic(o.out, json);
          process.stdout.write(o.json ? json : `${formatStructure(structure)}\n`);
          return;
        }
        report = fitRuns(runs, o.against);
        inputs = runs;
      } catch (e) {
        if (e instanceof RunsError || e instanceof AnalysisError) throw new UsageError(e.message);
        throw e;
      }
      const json = withProvenance(report, inputs);
      if (o.out) writeFileAtomic(o.out, json);
      process.stdout.write(o.json ? json : `${format(report)}\n`);
    });
}
