import { describe, expect, it } from 'vitest';
import { kaplanMeier } from '../../src/analysis/kaplan-meier.js';

describe('kaplanMeier', () => {
  it('equals the product-limit estimate worked by hand', () => {
    // 8 particles: escapes at 1, 3, 3, 6; censored at 2, 4, 6, 8.
    // t=1: 8 at risk, 1 event -> 7/8. Censored at 2 leaves 6 at risk at t=3: 2 events -> 7/8 * 4/6 = 7/12.
    // Censored at 4 leaves 3 at risk at t=6 (the event at 6, the censored at 6, the censored at 8):
    // 1 event -> 7/12 * 2/3 = 7/18.
    const km = kaplanMeier([6, 3, 1, 3], [8, 2, 6, 4]);
    expect(km.time).toEqual([1, 3, 6]);
    expect(km.atRisk).toEqual([8, 6, 3]);
    expect(km.events).toEqual([1, 2, 1]);
    // Whole arrays compared (a loop over km.survival would pass over a short or empty one unseen).
    const s = [7 / 8, 7 / 12, 7 / 18];
    expect(km.survival).toEqual(s.map((v) => expect.closeTo(v, 15)));
    // Greenwood: S^2 * sum d/(n(n-d)), terms 1/56, 2/24, 1/6.
    const g = [1 / 56, 1 / 56 + 1 / 12, 1 / 56 + 1 / 12 + 1 / 6];
    expect(km.se).toEqual(s.map((v, i) => expect.closeTo(v * Math.sqrt(g[i]), 15)));
  });

  it('grouped censoring equals the listed form; no censoring gives the empirical survival', () => {
    const ev = [0.3, 0.1, 0.7, 0.7, 0.2];
    const a = kaplanMeier(ev, { count: 3, time: 1 });
    const b = kaplanMeier(ev, [1, 1, 1]);
    expect(a).toEqual(b);
    expect(a.survival.map((x) => x * 8)).toEqual([7, 6, 5, 3].map((x) => expect.closeTo(x, 12)));
    const c = kaplanMeier([2, 1], []);
    expect(c.survival).toEqual([0.5, 0]);
    expect(c.se).toEqual([Math.sqrt(0.25 / 2), 0]);
  });
});
