// The representation against the training fraction with the decoder (docs/scenarios.md, liu-decoder): the
// share of networks whose embeddings became linear (R^2 >= 0.95) or reached the paper's RQI > 0.95 (as the
// representation-time script's `order` was) within the run, pooled over the training sets
// of each fraction, against the effective theory's P(lambda_3 > 0), the probability that the training set pins
// the linear structure (Liu et al. §3.2, their transition near 0.4). Reads JSON lines of
// liu-decoder-representation-time.ts:
//   npx tsx docs/figures/liu-decoder-training-fraction.ts tf.jsonl [out.svg]
import fs from 'node:fs';
import { uniqueStructureProbability } from '../../src/landscape/families/parallelogram/theory.js';
import { renderSpec } from '../../src/plot/render.js';
import { fitSpec } from '../../src/plot/specs.js';
import { readRepresentationCells } from './representation-cells.js';

const [input, out = 'docs/figures/liu-decoder-training-fraction.svg'] = process.argv.slice(2);
const rows = readRepresentationCells([input]);
const fractions = [...new Set(rows.map((r) => r.trainFraction))].sort((a, b) => a - b);
const rqi = rows[0].order === 'rqi';
const measured = `networks ${rqi ? 'with RQI above the level' : 'with a linear representation'} (95% Wilson interval)`;
const theory = 'P(lambda_3 > 0): the training set pins the linear structure (exact, 1000 sets)';
const points = fractions.map((f) => {
  const cells = rows.filter((r) => r.trainFraction === f);
  const n = cells.reduce((s, r) => s + r.times.length, 0);
  const k = cells.reduce((s, r) => s + r.times.filter((t) => t >= 0).length, 0);
  const p = k / n;
  const z = 1.96;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  const pinned = cells.filter((r) => r.lambda3 > 0).length;
  console.log(`${f}: ${k}/${n} networks (${cells.length} sets, ${pinned} with lambda_3 > 0)`);
  return { x: f, y: p, lo: centre - half, hi: centre + half, group: measured };
});
const predicted = fractions.map((f) => ({ x: f, y: uniqueStructureProbability(f, 1000), group: theory }));
const steps = Math.max(...rows.map((r) => r.steps));
// the settings of the first cell (the script runs one setting over sets; only the fraction and set vary)
const q = rows[0].parameters;
const embeddings = q.embedOptimizer === 1 ? `gradient descent ${q.eta}` : `Adam ${q.eta}`;
const spec = fitSpec({
  title: ['liu-decoder: the representation forms where the training set pins it'],
  subtitle: [
    `hidden ${q.hidden}, etaDec ${q.etaDec}, weightDecay ${q.weightDecay}, embeddings ${embeddings}; ${rows[0].times.length} networks per set, ${steps} steps; ${rqi ? `RQI > ${rows[0].level}` : `linear: R^2 of E_k against k >= ${rows[0].level}`}`,
  ],
  xTitle: 'training fraction',
  yTitle: 'fraction',
  groupTitle: '',
  groups: [measured, theory],
  points,
  band: [],
  predicted,
  measuredLabel: 'measured (grokscape)',
  predictedLabel: 'effective theory',
});
fs.writeFileSync(out, (await renderSpec(spec)).svg);
console.log(`wrote ${out}`);
