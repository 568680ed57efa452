// The late relaxation time of a liu-decoder network's representation (docs/scenarios.md, liu-decoder): lambda_3
// is an eigenvalue of the effective loss's Hessian at the linear structure, so what it sets exactly is the rate
// at which the last deviations from that structure decay, 1 - R^2 ~ exp(-2 t / tau) with tau = 1/(lambda_3 eta)
// under gradient flow. Per network: the slope of ln(1 - R^2) against the engine step, least squares over the
// grid points from its first crossing below `from` to its first below `to` (defaults 3e-2, 3e-3), as
// tau = -2 / slope, or -1 when it did not cross both. One JSON line per cell in the form of
// liu-decoder-representation-time.ts (order "relaxation", times = tau), so liu-decoder-lambda3-fit.py fits it.
//   npx tsx docs/figures/liu-decoder-relaxation.ts embedOptimizer=1 etaDec=0.003 weightDecay=0.1 \
//     sets=0.6:4,0.9:10 etas=0.003,0.01,0.03 steps=12000 every=10 > relax.jsonl
import { linearity } from '../../src/landscape/families/liu-decoder/representation.js';
import { followEmbeddings } from '../../src/observe/representation-time.js';
import { cellGrid, printCell } from './representation-cells.js';
import { scriptArguments } from './script-args.js';

const { named: kv, parameters: fixed } = scriptArguments(['sets', 'etas', 'steps', 'every', 'from', 'to']);
const steps = Number(kv.steps ?? 8000);
const every = Number(kv.every ?? 10);
const from = Number(kv.from ?? 3e-2);
const to = Number(kv.to ?? 3e-3);
if (!(from > to && to > 0)) throw new Error(`from=${from} to=${to}: need from > to > 0`);

/** tau from one network's 1 - R^2 on the grid (index i is engine step (i + 1) every), or -1. */
function relaxationTime(deviation: number[]): number {
  const i = deviation.findIndex((d) => d < from);
  const j = deviation.findIndex((d) => d < to);
  if (i < 0 || j <= i) return -1;
  const xs = Array.from({ length: j - i + 1 }, (_, k) => (i + k + 1) * every);
  const ys = xs.map((_, k) => Math.log(deviation[i + k]));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  const sxy = xs.reduce((s, x, k) => s + (x - mx) * (ys[k] - my), 0);
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return sxy < 0 ? (-2 * sxx) / sxy : -1;
}

for (const parameters of cellGrid(kv, fixed, { sets: '0.6:4,0.9:10', etas: '0.01' })) {
  const deviation: number[][] = [];
  const networks = await followEmbeddings(parameters, { steps, every }, (_, embeddings) => {
    embeddings.forEach((E, p) => {
      deviation[p] ??= [];
      deviation[p].push(1 - linearity(E));
    });
    // every network is past `to`: nothing left to measure
    return deviation.every((d) => d[d.length - 1] < to);
  });
  const times = Array.from({ length: networks }, (_, p) => relaxationTime(deviation[p] ?? []));
  printCell(parameters, { order: 'relaxation', level: to, steps, times });
}
