import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/engine/backend.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { runScenario } from '../../src/observe/run-scenario.js';
import { predict } from '../../src/landscape/predict.js';
import { summarizeRun } from '../../src/report/summary.js';
import { listScenarios } from '../../src/scenario/load.js';

const FUNNEL_FAMILIES = ['entropic-funnel', 'grokking-threshold', 'entropic-threshold'];
const funnels = listScenarios()
  .map((s) => resolveScenario(s.name))
  .filter((s) => s.family !== null && FUNNEL_FAMILIES.includes(s.family))
  .map((s) => s.name);

/**
 * What `npm start` shows first is the funnel's measured / predicted MFPT: the shipped funnels sit where the
 * 1D reduction behind the prediction holds (transverse relaxation 0.09 of the neck crossing), so the
 * measured MFPT's 95% interval holds the predicted one. At 0.2.0's neckWidth 0.3 and switchWidth 0.05 it
 * did not (3.98 [3.81, 4.16] against 3.58 on the default funnel). grokking-threshold keeps 0.2.0's shape:
 * its energy bias across the switch leaves the measured MFPT about 6-7% above the reduction at either
 * shape (11.13 [10.37, 11.96] vs 10.44 here; 5.45 [5.08, 5.86] vs 5.08 at the wider one), so its interval
 * holds the prediction only just: a limit stated in docs/limits.md, and this test fails if the gap grows.
 */
describe('shipped funnel scenarios sit where their MFPT prediction holds (issue 17, item 3)', () => {
  it('there is one per funnel family', () => {
    expect(funnels.sort()).toEqual(['entropic-funnel', 'entropic-threshold', 'grokking-threshold']);
  });

  it.each(funnels)(
    '%s: the measured MFPT interval holds the predicted MFPT',
    async (name) => {
      const tau = predict(resolveScenario(name))!.mfpt!;
      // 768 particles, six predicted MFPTs: about 0.25% still in the ravine at the end
      const s = resolveScenario(name, { particles: 768, steps: Math.ceil((6 * tau) / resolveScenario(name).dt) });
      const run = await runScenario(s, await openBackend('cpu'));
      const { summary } = await summarizeRun(s, run, predict(s));
      await run.sim.destroy();
      const [lo, hi] = summary.escape!.mfptCI95;
      expect(lo, `${name}: measured ${summary.escape!.mfpt} [${lo}, ${hi}], predicted ${tau}`).toBeLessThan(tau);
      expect(hi!, `${name}: measured ${summary.escape!.mfpt} [${lo}, ${hi}], predicted ${tau}`).toBeGreaterThan(tau);
    },
    300_000,
  );
});
