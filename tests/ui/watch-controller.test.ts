import { describe, expect, it } from 'vitest';
import type { WatchSnapshot } from '../../src/ui/snapshot.js';
import { WatchController } from '../../src/ui/watch-controller.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watch controller', () => {
  it('says paused only once the loop holds, and the step shown then no longer moves', async () => {
    const c = await WatchController.start({ scenario: 'double-well', overrides: { particles: 4096 }, backend: 'cpu' });
    let last: WatchSnapshot = c.snapshot();
    const seen: WatchSnapshot[] = [];
    c.subscribe((s) => {
      last = s;
      seen.push(s);
    });
    const loop = c.loop();
    while (last.step === 0) await sleep(20);
    c.togglePause();
    while (!last.paused) await sleep(10);
    const pausedAt = last.step;
    await sleep(400);
    // every snapshot from the first PAUSED one on shows the same step, in flight calls included
    const firstPaused = seen.findIndex((s) => s.paused);
    expect(seen.slice(firstPaused).every((s) => s.step === pausedAt)).toBe(true);
    c.togglePause();
    while (last.step === pausedAt) await sleep(20);
    expect(last.paused).toBe(false);
    c.quit();
    await loop;
  }, 60_000);
});
