// The decoder's curvature in h: kappa = J^T (diag p - p p^T) J with J = dz/dh, the Gauss-Newton second
// derivative of a training pair's cross-entropy in its input h = E_a + E_b, mean over networks and training
// pairs, at the steps given. The effective theory's relaxation rate is eta lambda_3 times such a stiffness, so
// eta lambda_3 times its integral up to the representation time tests whether a rescaled clock explains the
// time (docs/scenarios.md, liu-decoder). One JSON line per step, with the trapezoid integral of kappa over the
// steps given and `clock` = eta lambda_3 times it.
//   npx tsx docs/figures/liu-decoder-curvature.ts embedOptimizer=1 etaDec=0.001 weightDecay=0.1 \
//     trainFraction=0.6 dataSeed=4 eta=0.03 at=0,100,200,400,800
import { openBackend } from '../../src/engine/backend.js';
import { CLASSES, type LiuDecoderParams, pairsOf } from '../../src/landscape/families/liu-decoder/family.js';
import { networkLayout } from '../../src/landscape/families/liu-decoder/layout.js';
import { parallelogramTheory } from '../../src/landscape/families/parallelogram/theory.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { createSimulation } from '../../src/observe/run-scenario.js';
import { scriptArguments } from './script-args.js';

const { named: kv, parameters: fixed } = scriptArguments(['at']);
const at: number[] = (kv.at ?? '0,100,200,400,800').split(',').map(Number);
const s = resolveScenario('liu-decoder', { hidden: 8, particles: 16, ...fixed });
if (s.kind !== 'model') throw new Error('liu-decoder must resolve to a model scenario');
const q = s.parameters as unknown as LiuDecoderParams;
const H = q.hidden;
const { oW1, oB1, oW2, oB2 } = networkLayout(H, CLASSES);
const { train } = pairsOf(q);
const sim = createSimulation(s, await openBackend('webasm'));

function curvature(p: number, h: number): number {
  const x = (c: number) => sim.row(c)[p];
  const z = Array.from({ length: CLASSES }, (_, o) => x(oB2 + o));
  const J = new Array<number>(CLASSES).fill(0);
  for (let k = 0; k < H; k++) {
    const th = Math.tanh(x(oW1 + k) * h + x(oB1 + k));
    for (let o = 0; o < CLASSES; o++) {
      z[o] += x(oW2 + o * H + k) * th;
      J[o] += x(oW2 + o * H + k) * (1 - th * th) * x(oW1 + k);
    }
  }
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));
  const sum = e.reduce((u, v) => u + v, 0);
  const pj = e.reduce((u, v, o) => u + (v / sum) * J[o], 0);
  return e.reduce((u, v, o) => u + (v / sum) * J[o] * J[o], 0) - pj * pj;
}

const { lambda3 } = parallelogramTheory(q.trainFraction, q.dataSeed, 1);
if (at[0] !== 0 || at.some((t, i) => i > 0 && t <= at[i - 1])) throw new Error('at: increasing steps from 0');
let integral = 0;
let previous = { step: 0, kappa: 0 };
for (const step of at) {
  await sim.advance(step - previous.step);
  let kappa = 0;
  for (let p = 0; p < s.particles; p++) {
    for (const [a, b] of train) kappa += curvature(p, sim.row(a)[p] + sim.row(b)[p]);
  }
  kappa /= s.particles * train.length;
  if (step > 0) integral += 0.5 * (previous.kappa + kappa) * (step - previous.step);
  previous = { step, kappa };
  // the embeddings move on every decoderSteps-th engine step: the effective theory's time is theirs
  const clock = (q.eta * lambda3 * integral) / q.decoderSteps;
  console.log(JSON.stringify({ step, kappa, integral, clock, lambda3, parameters: s.parameters }));
}
await sim.destroy();
