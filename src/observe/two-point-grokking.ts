import { openBackend, type BackendName } from '../engine/backend.js';
import { twoPointLosses } from '../landscape/families/linear-separability/two-point.js';
import { resolveScenario } from '../landscape/resolve.js';
import { createSimulation } from './run-scenario.js';

/**
 * ln(t_gen / t_tr) of Beck, Levi, Bar-Sinai's two-point model measured as the paper's Fig. 9 measures it: the
 * training and generalization losses (exponential, two-point.ts) each first falling to eps. `normalized`
 * (default) runs normalized gradient descent, whose clock is b itself (b = t dt): the gap b_gen - b_tr is a
 * property of the path, which under gradient flow (b ~ ln t at late times) is ln(t_gen / t_tr), and it reaches
 * gaps plain gradient descent would need e^40 steps for. `plain` runs the paper's gradient descent (dt 0.1 /
 * sigma^2) and returns ln(t_gen / t_tr) itself. Throws when the generalization loss has not reached eps by
 * the clock value `until` (b for normalized descent, default 200; t for plain, default 1e5: lambda 0.35 at
 * sigma 1 needs t about 1700, and the time grows as e^(gap)).
 */
export async function measureTwoPointGap(
  lambda: number,
  sigma: number,
  eps: number,
  {
    method = 'normalized',
    backend = 'cpu',
    until,
  }: { method?: 'normalized' | 'plain'; backend?: BackendName; until?: number } = {},
): Promise<{ train: number; generalization: number; gap: number }> {
  const normalized = method === 'normalized';
  const limit = until ?? (normalized ? 200 : 1e5);
  // a normalized step moves sigma w by dt sigma^2; a plain one by at most dt sigma^2 / 4 times the margin's pull
  const dt = normalized ? Math.min(0.01, 1 / sigma ** 2) : 0.1 / sigma ** 2;
  const s = resolveScenario('linear-separability-two-point', {
    particles: 1,
    lambda,
    sigma,
    normalized: normalized ? 1 : 0,
    dt,
  });
  if (s.kind !== 'model') throw new Error('linear-separability-two-point must resolve to a model scenario');
  const sim = createSimulation(s, await openBackend(backend));
  // the clock: b under normalized descent, t = steps x dt under plain
  let train: number | null = null;
  let generalization: number | null = null;
  try {
    while (generalization === null && sim.step * dt < limit) {
      await sim.advance(1);
      const w = sim.row(0)[0];
      const b = sim.row(1)[0];
      const clock = normalized ? b : sim.step * dt;
      const loss = twoPointLosses(w, b, lambda, sigma);
      if (train === null && loss.train <= eps) train = clock;
      if (loss.generalization <= eps) generalization = clock;
    }
  } finally {
    await sim.destroy();
  }
  if (train === null || generalization === null)
    throw new Error(`two-point model, lambda ${lambda}, sigma ${sigma}: the losses had not reached ${eps} in time`);
  return { train, generalization, gap: normalized ? generalization - train : Math.log(generalization / train) };
}
