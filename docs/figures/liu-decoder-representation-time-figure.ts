// The time to learn the representation against the effective theory's 1/(lambda_3 eta) (docs/scenarios.md,
// liu-decoder; Liu et al. §3.2, Fig. 5b): per cell (training set x eta) the mean ln t over the networks that
// formed the representation, with its 95% t interval, where at least half did; the least-squares line with its
// 95% band and slope interval; the theory's slope 1 through the cells' centroid (it fixes no intercept). t is
// in embedding steps (step / decoderSteps). Reads JSON lines of liu-decoder-representation-time.ts:
//   npx tsx docs/figures/liu-decoder-representation-time-figure.ts gd.jsonl [more.jsonl ...] [--out file.svg]
import fs from 'node:fs';
import { leastSquaresLine, studentTQuantile } from '../../src/analysis/least-squares.js';
import { renderSpec } from '../../src/plot/render.js';
import { fitSpec, type FitPlotPoint } from '../../src/plot/specs.js';
import { readRepresentationCells } from './representation-cells.js';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : 'docs/figures/liu-decoder-representation-time.svg';
const inputs = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;
if (inputs.length === 0) throw new Error('give one or more JSON-lines files of liu-decoder-representation-time.ts');
const cells = readRepresentationCells(inputs);
const etaGroup = (eta: number) => `eta ${eta}`;
const points: FitPlotPoint[] = [];
for (const c of cells) {
  const logs = c.times.filter((t) => t >= 0).map((t) => Math.log(t / c.parameters.decoderSteps));
  if (logs.length < 2 || logs.length < c.times.length / 2) continue;
  const m = logs.reduce((a, v) => a + v, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, v) => a + (v - m) ** 2, 0) / (logs.length - 1));
  const h = (studentTQuantile(0.95, logs.length - 1) * sd) / Math.sqrt(logs.length);
  points.push({ x: Math.log(1 / (c.lambda3 * c.eta)), y: m, lo: m - h, hi: m + h, group: etaGroup(c.eta) });
}
const fit = leastSquaresLine(points);
const [lo, hi] = fit.slopeCI95;
console.log(
  `${points.length} cells: slope ${fit.slope.toFixed(3)} [${lo.toFixed(3)}, ${hi.toFixed(3)}] (95%); the effective theory: 1`,
);
const fitGroup = `least squares: slope ${fit.slope.toFixed(2)} [${lo.toFixed(2)}, ${hi.toFixed(2)}] (95%)`;
const theoryGroup = 'effective theory: slope 1 (through the centroid)';
const xs = points.map((p) => p.x);
const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
const band = Array.from({ length: 21 }, (_, i) => x0 + ((x1 - x0) * i) / 20).map((x) => ({
  x,
  ...fit.at(x),
  group: fitGroup,
}));
const predicted = [x0, x1].map((x) => ({ x, y: fit.centre.y + (x - fit.centre.x), group: theoryGroup }));
const q = cells[0].parameters;
const etas = [...new Set(cells.map((c) => c.eta))].sort((a, b) => a - b);
const spec = fitSpec({
  title: ['liu-decoder: time to learn the representation against 1/(lambda_3 eta)'],
  subtitle: [
    `embeddings by ${q.embedOptimizer === 1 ? 'gradient descent' : 'Adam'}, decoder hidden ${q.hidden}, etaDec ${q.etaDec}, weightDecay ${q.weightDecay}${q.decoderSteps > 1 ? `, decoderSteps ${q.decoderSteps}` : ''}; ${cells[0].times.length} networks per cell, ${Math.max(...cells.map((c) => c.steps))} steps`,
    'a cell: mean ln t over the networks that formed the representation (R^2 >= 0.95), where at least half did',
  ],
  xTitle: 'ln(1/(lambda_3 eta))',
  yTitle: 'ln t (embedding steps)',
  groupTitle: '',
  groups: [...etas.map(etaGroup), fitGroup, theoryGroup],
  points,
  band,
  predicted,
  measuredLabel: 'measured (grokscape)',
  predictedLabel: 'effective theory',
});
fs.writeFileSync(out, (await renderSpec(spec)).svg);
console.log(`wrote ${out}`);
