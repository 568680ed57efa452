import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WatchSnapshot } from '../../src/ui/snapshot.js';
import { histogramRange, WatchController } from '../../src/ui/watch-controller.js';

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
    // every snapshot from the first PAUSED one on shows the same step, in flight calls included, and no speed
    const firstPaused = seen.findIndex((s) => s.paused);
    expect(seen.slice(firstPaused).every((s) => s.step === pausedAt)).toBe(true);
    expect(seen.slice(firstPaused).every((s) => s.particleStepsPerSecond === 0)).toBe(true);
    c.togglePause();
    while (last.step === pausedAt) await sleep(20);
    expect(last.paused).toBe(false);
    c.quit();
    await loop;
  }, 60_000);
});

describe('the histogram range of an observable without walls', () => {
  it('widens at once, keeps its bins while the values fill half of it, and narrows when they gather', () => {
    const start = histogramRange([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], [0, 10]);
    expect(start).toEqual([-1, 11]);
    // a value outside: only that side moves
    expect(histogramRange(start, [2, 13])).toEqual([-1, 14.1]);
    // values over more than half the span: the same bins
    expect(histogramRange([-1, 11], [1, 8])).toEqual([-1, 11]);
    // gathered into less than half: the values' span and a tenth each side
    expect(histogramRange([-1, 11], [4, 6])).toEqual([3.8, 6.2]);
    // one value, or none finite
    expect(histogramRange([-1, 11], [5, 5])).toEqual([4.5, 5.5]);
    expect(histogramRange([-1, 11], [Number.NaN])).toEqual([-1, 11]);
  });
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

/** A double-well watch on cpu saving under a fresh directory, its loop started and 100 steps past. */
async function watchingDoubleWell(particles: number) {
  const saveRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscape-watch-'));
  const c = await WatchController.start({
    scenario: 'double-well',
    overrides: { particles },
    backend: 'cpu',
    saveRoot,
  });
  let last: WatchSnapshot = c.snapshot();
  c.subscribe((s) => {
    last = s;
  });
  const loop = c.loop();
  while (last.step < 100) await sleep(10);
  return { c, loop, latest: () => last, saveRoot };
}

describe('watch: changes that run no step, saves in the same second, a diverging segment', () => {
  it('a change that runs no step takes no segment number, and two saves never share a directory', async () => {
    const { c, loop, latest, saveRoot } = await watchingDoubleWell(512);
    c.togglePause();
    while (!latest().paused) await sleep(10);
    // three changes while paused: only the last one's segment runs
    c.changeTemperature(true);
    c.changeTemperature(true);
    c.changeTemperature(false);
    await sleep(200);
    c.togglePause();
    while (latest().paused || latest().step < 100) await sleep(10);
    c.save();
    c.save();
    await sleep(300);
    c.quit();
    await loop;
    const saves = fs.readdirSync(saveRoot);
    expect(saves.length).toBe(2);
    for (const save of saves) {
      const segments = fs.readdirSync(path.join(saveRoot, save)).sort();
      expect(segments).toEqual(['segment-1-start', 'segment-2-T=0.313']); // 0.25 x 1.25 x 1.25 / 1.25
      const second = JSON.parse(fs.readFileSync(path.join(saveRoot, save, segments[1], 'summary.json'), 'utf8'));
      expect(second.segment.index).toBe(2);
      expect(second.start.drawnBy).toMatch(/^segment 1:/);
    }
  }, 60_000);

  it('a segment that diverges ends the session with the segments before it saved, and says where', async () => {
    const { c, loop, saveRoot } = await watchingDoubleWell(256);
    for (let k = 0; k < 70; k++) c.changeTemperature(true); // 0.25 x 1.25^70: far past what dt = 0.001 takes
    await expect(loop).rejects.toThrow(
      /diverged (after \d+ of its steps|in its first kernel call) at dt=0\.001: the \d+ segment\(s\) before it are saved in /,
    );
    // the segments that ran before it, each as `run` writes it (one segment: its files in the directory itself)
    const [save] = fs.readdirSync(saveRoot);
    const entries = fs.readdirSync(path.join(saveRoot, save));
    const first = entries.includes('summary.json') ? '' : 'segment-1-start';
    const summary = JSON.parse(fs.readFileSync(path.join(saveRoot, save, first, 'summary.json'), 'utf8'));
    expect(summary.segment.index).toBe(1);
    expect(summary.escape.events).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
