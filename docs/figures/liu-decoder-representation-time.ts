// Time for a liu-decoder network to learn its representation: the first step at which the embeddings are linear
// in the symbol (R^2 of E_k against k >= level, the family's `linearity`), per network, over training sets x the
// embeddings' learning rate. One JSON line per cell on stdout (a network that never gets there: -1, censored at
// `steps`). docs/scenarios.md, liu-decoder; fit with docs/figures/liu-decoder-lambda3-fit.py.
//   npx tsx docs/figures/liu-decoder-representation-time.ts embedOptimizer=1 etaDec=0.003 weightDecay=0.1 \
//     sets=0.6:4,0.6:2,0.7:9,0.8:2,0.9:10 etas=0.03,0.1,0.3 steps=8000 every=10 > rep.jsonl
import { LINEAR_FORMED } from '../../src/landscape/families/liu-decoder/family.js';
import { parallelogramTheory } from '../../src/landscape/families/parallelogram/theory.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { representationTimes } from '../../src/observe/representation-time.js';
import type { RepresentationCell } from './representation-cells.js';
import { scriptArguments } from './script-args.js';

// etaDec=eta: one learning rate for the whole network, as in the paper's §3 toy (a single Adam optimizer)
const tied = process.argv.includes('etaDec=eta');
const { named: kv, parameters: fixed } = scriptArguments([
  'sets',
  'etas',
  'steps',
  'every',
  'level',
  ...(tied ? ['etaDec'] : []),
]);
const sets = (kv.sets ?? '0.8:2').split(',').map((x: string) => x.split(':').map(Number));
const etas = (kv.etas ?? '0.1').split(',').map(Number);
const steps = Number(kv.steps ?? 8000);
const every = Number(kv.every ?? 10);
const level = Number(kv.level ?? LINEAR_FORMED);
for (const [trainFraction, dataSeed] of sets) {
  for (const eta of etas) {
    const tie: Record<string, number> = tied ? { etaDec: eta } : {};
    const parameters = { hidden: 8, particles: 16, ...fixed, ...tie, trainFraction, dataSeed, eta };
    const first = await representationTimes(parameters, { steps, every, level });
    const { lambda3 } = parallelogramTheory(trainFraction, dataSeed, 1);
    console.log(
      JSON.stringify({
        trainFraction,
        dataSeed,
        eta,
        lambda3,
        level,
        steps,
        parameters: resolveScenario('liu-decoder', parameters).parameters,
        times: first,
      } satisfies RepresentationCell),
    );
  }
}
