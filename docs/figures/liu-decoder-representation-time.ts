// Time for a liu-decoder network to learn its representation: the first step at which the embeddings are linear
// in the symbol (order=linearity, the default: R^2 of E_k against k >= level) or reach the paper's RQI
// (order=rqi: RQI > level, as the authors compute it), per network, over training sets x the embeddings'
// learning rate. One JSON line per cell on stdout (a network that never gets there: -1, censored at `steps`).
// docs/scenarios.md, liu-decoder; fit with docs/figures/liu-decoder-lambda3-fit.py.
//   npx tsx docs/figures/liu-decoder-representation-time.ts embedOptimizer=1 etaDec=0.003 weightDecay=0.1 \
//     sets=0.6:4,0.6:2,0.7:9,0.8:2,0.9:10 etas=0.03,0.1,0.3 steps=8000 every=10 > rep.jsonl
import { defaultLevel, representationTimes, type RepresentationOrder } from '../../src/observe/representation-time.js';
import { cellGrid, printCell } from './representation-cells.js';
import { scriptArguments } from './script-args.js';

// etaDec=eta: one learning rate for the whole network, as in the paper's §3 toy (a single Adam optimizer)
const tied = process.argv.includes('etaDec=eta');
const { named: kv, parameters: fixed } = scriptArguments([
  'sets',
  'etas',
  'steps',
  'every',
  'level',
  'order',
  ...(tied ? ['etaDec'] : []),
]);
const steps = Number(kv.steps ?? 8000);
const every = Number(kv.every ?? 10);
const order = (kv.order ?? 'linearity') as RepresentationOrder;
if (order !== 'linearity' && order !== 'rqi') throw new Error(`order=${order}: use order=linearity or order=rqi`);
const level = Number(kv.level ?? defaultLevel(order));
const tie = (eta: number): Record<string, number> => (tied ? { etaDec: eta } : {});
for (const parameters of cellGrid(kv, fixed, { sets: '0.8:2', etas: '0.1' }, tie)) {
  const first = await representationTimes(parameters, { steps, every, order, level });
  printCell(parameters, { order, level, steps, times: first });
}
