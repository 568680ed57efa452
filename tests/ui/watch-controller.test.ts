import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

describe('watch segments: a change of conditions starts a new run', () => {
  it('counts only particles in the source region at the change, and saves each segment with its own conditions', async () => {
    const saveRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscape-watch-'));
    // hot enough that many particles cross within a few thousand steps
    const c = await WatchController.start({
      scenario: 'double-well',
      overrides: { particles: 2048, temperature: 0.6, dt: 0.002 },
      backend: 'cpu',
      saveRoot,
    });
    let last: WatchSnapshot = c.snapshot();
    c.subscribe((s) => {
      last = s;
    });
    const loop = c.loop();
    while (last.current[1] === undefined || last.current[1] < 0.25) await sleep(20); // a quarter past the barrier
    const crossed = last.escape!.events;
    expect(crossed).toBeGreaterThan(0);
    c.changeTemperature(true);
    while (!/new segment/.test(last.message)) await sleep(20);
    // the 0.2.0 bug: every particle already in the target counted as an escape at step 0 of the new statistics
    expect(last.escape!.events).toBeLessThan(0.05 * 2048);
    while (last.step < 3500) await sleep(20); // three recordings (double-well records every 1000 steps)
    c.save();
    while (!/saved/.test(last.message)) await sleep(20);
    c.quit();
    await loop;

    const [dir] = fs.readdirSync(saveRoot).map((d) => path.join(saveRoot, d));
    const segments = fs.readdirSync(dir).sort();
    expect(segments).toEqual(['segment-1-start', 'segment-2-T=0.75']);
    const read = (seg: string, f: string) => fs.readFileSync(path.join(dir, seg, f), 'utf8');
    const s1 = JSON.parse(read(segments[0], 'summary.json'));
    const s2 = JSON.parse(read(segments[1], 'summary.json'));
    expect([s1.temperature, s2.temperature]).toEqual([0.6, 0.75]);
    for (const [seg, s] of [
      [segments[0], s1],
      [segments[1], s2],
    ] as const) {
      expect(s.elapsedSeconds).toBeGreaterThan(0);
      expect(s.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // every particle at risk either escaped or is censored
      expect(s.escape.events + s.escape.censored).toBeLessThanOrEqual(2048);
      const escapes = read(seg, 'escapes.csv').trim().split('\n');
      expect(escapes.length - 1).toBe(s.escape.events);
    }
    // segment 1 counted every particle; segment 2 only those still in the left well at the change
    expect(s1.escape.events + s1.escape.censored).toBe(2048);
    const atRisk2 = s2.escape.events + s2.escape.censored;
    expect(atRisk2).toBeLessThan(2048 * 0.8);
    expect(atRisk2).toBeGreaterThan(0);
    // each summary says where it stands in the session: segment 2 is no fresh run from the scenario's start
    expect(s1.segment).toEqual({
      index: 1,
      cause: 'start',
      firstEngineStep: 0,
      particlesAtRisk: 2048,
      reproducibleByRun: true,
    });
    expect(s2.segment).toMatchObject({ index: 2, cause: 'T=0.75', particlesAtRisk: atRisk2, reproducibleByRun: false });
    expect(s2.segment.firstEngineStep).toBe(s1.stepsDone);
    expect(s2.start).toEqual({ drawnBy: 'segment 1: its particles where it ended' });
    expect(s1.start).toEqual({ point: { x: -1 }, spread: 0 });
    // no escape at the segment's first step: those particles were already past the barrier, and not at risk
    expect(
      read(segments[1], 'escapes.csv')
        .split('\n')
        .slice(1)
        .filter((l) => /^\d+,0,/.test(l)),
    ).toEqual([]);
    // recordings at the scenario's interval (the last one may be the save's partial interval)
    const steps = read(segments[1], 'populations.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    const gaps = steps.slice(1, -1).map((v, i) => v - steps[i]);
    expect(new Set(gaps)).toEqual(new Set([s2.recordEvery]));
  }, 120_000);
});
