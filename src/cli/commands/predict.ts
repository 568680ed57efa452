import { Command } from 'commander';
import { resolveScenario } from '../../landscape/resolve.js';
import { predict } from '../../landscape/predict.js';
import { formatPrediction } from '../../report/format.js';
import { parseOverrides } from '../../scenario/load.js';
import { collect } from '../options.js';

export function predictCommand(): Command {
  return new Command('predict')
    .description('print what theory predicts for a scenario: equilibrium populations, exact MFPT, Kramers rates')
    .argument('<scenario>', 'shipped scenario name or path')
    .option('--set <name=value>', 'override a parameter or top-level number (repeatable)', collect, [])
    .option('--json', 'print the prediction as JSON')
    .action((name: string, o: { set: string[]; json?: boolean }) => {
      const s = resolveScenario(name, parseOverrides(o.set));
      const p = predict(s);
      process.stdout.write(
        o.json ? `${JSON.stringify(p, null, 2)}\n` : `${s.name} at T=${s.temperature}\n${formatPrediction(p)}\n`,
      );
    });
}
