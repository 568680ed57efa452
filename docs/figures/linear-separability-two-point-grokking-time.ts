// Beck, Levi, Bar-Sinai's Fig. 9 (and the message of Fig. 3, right) with grokscape's two-point model:
// sqrt(ln(t_gen / t_tr)) against ln(1 - 2 lambda) for several sigma, against the late-time law
// S_inf^2/2 - ln C (src/landscape/families/linear-separability/two-point.ts), slope 1/sqrt(2) as lambda -> 1/2.
//   npx tsx docs/figures/linear-separability-two-point-grokking-time.ts   # about 20 s; prints the table
import fs from 'node:fs';
import { twoPointLateGap } from '../../src/landscape/families/linear-separability/two-point.js';
import { measureTwoPointGap } from '../../src/observe/two-point-grokking.js';
import { renderSpec } from '../../src/plot/render.js';
import { fitSpec } from '../../src/plot/specs.js';

const eps = 1e-3;
const sigmas = [1, 3, 10, 30];
const gaps = [0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0002];
const out = process.argv[2] ?? 'docs/figures/linear-separability-two-point-grokking-time.svg';
const points = [];
console.log(`1 - 2 lambda | late-time law | ${sigmas.map((s) => `sigma ${s}`).join(' | ')}`);
for (const g of gaps) {
  const lambda = (1 - g) / 2;
  const row = [];
  for (const sigma of sigmas) {
    const { gap } = await measureTwoPointGap(lambda, sigma, eps);
    row.push(gap);
    points.push({ x: Math.log(g), y: Math.sqrt(gap), lo: null, hi: null, group: `sigma = ${sigma}` });
  }
  console.log(`${g} | ${twoPointLateGap(lambda).toFixed(3)} | ${row.map((v) => v.toFixed(3)).join(' | ')}`);
}
const law = 'late-time law S_inf^2/2 - ln C (slope -> 1/sqrt 2)';
const predicted = gaps.map((g) => ({ x: Math.log(g), y: Math.sqrt(twoPointLateGap((1 - g) / 2)), group: law }));
const spec = fitSpec({
  title: ['Two-point model: grokking time against the distance to lambda = 1/2 (Beck et al., Fig. 9)'],
  subtitle: [
    `t_tr, t_gen: first times the training / generalization (exponential) loss falls to ${eps}; normalized gradient descent, ln(t_gen/t_tr) = b_gen - b_tr`,
    "it diverges only when both lambda -> 1/2 and sigma is large (the paper's Prop. 3.5, Fig. 3)",
  ],
  xTitle: 'ln(1 - 2 lambda)',
  yTitle: 'sqrt(ln(t_gen / t_tr))',
  groupTitle: 'perpendicular noise sigma',
  groups: [...sigmas.map((s) => `sigma = ${s}`), law],
  points,
  band: [],
  predicted,
  measuredLabel: 'measured (grokscape, two-point model)',
  predictedLabel: 'late-time law (w = w_inf at both crossings)',
});
const { svg } = await renderSpec(spec);
fs.writeFileSync(out, svg);
console.log(`wrote ${out}`);
