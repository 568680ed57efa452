import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/engine/backend.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { runScenario } from '../../src/observe/run-scenario.js';
import type { Threshold } from '../../src/landscape/families/funnel/predict.js';
import { predict } from '../../src/landscape/predict.js';
import { summarizeRun } from '../../src/report/summary.js';

const threshold = (name: string, T: number) =>
  (predict(resolveScenario(name, { temperature: T }))!.threshold as Threshold).dataSize!;

describe("Kozyrev's threshold data size: entropic (no energy) against energetic (issue 17, item 2)", () => {
  it('theory: the entropic threshold does not move with T; the energetic one (grokking-threshold) does', () => {
    const entropic = [0.3, 0.5, 0.8].map((T) => threshold('entropic-threshold', T));
    // A(s)/T is T-independent without a bias: an energy term left in the family would move it
    for (const n of entropic) expect(n).toBeCloseTo(entropic[0], 9);
    expect(entropic[0]).toBeGreaterThan(1);
    expect(entropic[0]).toBeLessThan(2);
    // with the bias the threshold falls as T rises (entropy weighs more): 4.8, 2.9, 1.8 at the shipped values
    const energetic = [0.3, 0.5, 0.8].map((T) => threshold('grokking-threshold', T));
    expect(energetic[0] - energetic[1]).toBeGreaterThan(1);
    expect(energetic[1] - energetic[2]).toBeGreaterThan(0.5);
  });

  it('simulation: at every T the equilibrium changes sides between the same two data sizes, as predicted', async () => {
    const n0 = Math.floor(threshold('entropic-threshold', 0.5)); // 1: memorizing wins; n0 + 1: generalizing
    for (const T of [0.4, 0.8]) {
      for (const [dataSize, winner] of [
        [n0, 'memorizing'],
        [n0 + 1, 'generalizing'],
      ] as const) {
        const tau = predict(resolveScenario('entropic-threshold', { temperature: T, dataSize }))!.mfpt!;
        // four predicted MFPTs: the equilibrium check (3 MFPTs, quarters agreeing) must pass
        const steps = Math.ceil((4 * tau) / 0.0005 / 300) * 300;
        const s = resolveScenario('entropic-threshold', { temperature: T, dataSize, particles: 512, steps });
        const run = await runScenario(s, await openBackend('cpu'));
        const { summary } = await summarizeRun(s, run, predict(s));
        await run.sim.destroy();
        const mean = summary.populations.mean;
        const predicted = summary.prediction!.populations!;
        expect(summary.populations.equilibrium.reached, JSON.stringify(summary.populations.equilibrium)).toBe(true);
        const loser = winner === 'memorizing' ? 'generalizing' : 'memorizing';
        expect(mean[winner], `T=${T} dataSize=${dataSize}`).toBeGreaterThan(mean[loser]);
        // the time mean of 512 particles over the second half: binomial SE of one snapshot (conservative),
        // 3 SE, plus 0.03 for what is left of the start after two MFPTs (e^-2 of the initial offset, damped)
        for (const r of ['memorizing', 'generalizing']) {
          const se = Math.sqrt((predicted[r] * (1 - predicted[r])) / 512);
          expect(Math.abs(mean[r] - predicted[r]), `${r} at T=${T} dataSize=${dataSize}`).toBeLessThan(3 * se + 0.03);
        }
      }
    }
  }, 600_000);
});
