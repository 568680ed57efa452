import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError, tmpdir } from '../helpers/cli.js';

/** A minimal summary.json as `run` writes it, with given escape counts. */
function summary(o: {
  scenario?: string;
  temperature: number;
  events: number;
  exposure: number;
  dataSize?: number;
  mfpt?: number;
}) {
  return {
    ...(o.mfpt !== undefined ? { prediction: { mfpt: o.mfpt, method: 'a closed form' } } : {}),
    schemaVersion: 1,
    scenario: o.scenario ?? 'double-well',
    parameters: { barrier: 1, ...(o.dataSize !== undefined ? { dataSize: o.dataSize } : {}) },
    temperature: o.temperature,
    dt: 0.001,
    escape: {
      from: 'memorizing',
      to: 'generalizing',
      events: o.events,
      exposure: o.exposure,
      rate: o.events / o.exposure,
      rateCI95: [0, (o.events + 3.7) / o.exposure],
    },
  };
}

function runsDir(list: Parameters<typeof summary>[0][]): string {
  const dir = tmpdir();
  list.forEach((s, i) => {
    fs.mkdirSync(path.join(dir, `run${i}`));
    fs.writeFileSync(path.join(dir, `run${i}`, 'summary.json'), JSON.stringify(summary(s)));
  });
  return dir;
}

describe('grokscape fit', () => {
  it('recovers an Arrhenius barrier from exact expected counts', () => {
    // k(T) = T exp(1 - 1/T) (Eyring with dH = 1, dS = 1): counts set to their expected values at large exposure.
    const temps = [0.2, 0.25, 0.3, 0.4];
    // The predicted MFPTs are its exact 1/k: the same fits to the counts they expect return dH = dS = 1 exactly
    // and Ea = dH + mean T over the points' weights (here between the smallest and largest T).
    const rate = (T: number) => T * Math.exp(1 - 1 / T);
    const dir = runsDir(
      temps.map((T) => ({ temperature: T, exposure: 1e7, events: Math.round(1e7 * rate(T)), mfpt: 1 / rate(T) })),
    );
    const r = cli(['fit', dir, '--json']);
    expect(r.code).toBe(0);
    const fit = JSON.parse(r.stdout);
    const predicted = fit.groups[0].predicted;
    expect(predicted.deltaH).toBeCloseTo(1, 8);
    expect(predicted.deltaS).toBeCloseTo(1, 8);
    expect(predicted.activationEnergy).toBeGreaterThan(1.2);
    expect(predicted.activationEnergy).toBeLessThan(1.4);
    expect(predicted.method).toBe('a closed form');
    expect(cli(['fit', dir]).stdout).toMatch(/predicted .*: dH = 1, dS = 1, Ea = 1\.\d+ \(theory: a closed form\)/);
    const e = fit.groups[0].eyring;
    expect(e.deltaH).toBeCloseTo(1, 2);
    expect(e.deltaS).toBeCloseTo(1, 2);
    expect(e.deltaHCI95[0]).toBeLessThan(1);
    expect(e.deltaHCI95[1]).toBeGreaterThan(1);
    expect(fit.convention).toMatch(/nu0|ν0/);
    // what made it: this grokscape and command, and each input run
    expect(fit.schemaVersion).toBe(1);
    expect(fit.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(fit.command).toEqual(expect.arrayContaining(['fit', '--json']));
    expect(fit.inputs.map((i: { source: string }) => path.basename(i.source))).toEqual([
      'run0',
      'run1',
      'run2',
      'run3',
    ]);
    const out = path.join(tmpdir(), 'fit.json');
    expect(cli(['fit', dir, '--out', out]).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).groups).toEqual(fit.groups);
  });

  it('fits ln tau against another parameter with --against', () => {
    const dir = runsDir(
      [2, 4, 6].map((n) => ({
        temperature: 0.5,
        dataSize: n,
        exposure: 1e6,
        events: Math.round(1e6 * Math.exp(-3 + 0.5 * n)),
      })),
    );
    const r = cli(['fit', dir, '--against', 'dataSize', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).groups[0].logTime.slope).toBeCloseTo(-0.5, 2);
  });

  it('reports a run with no escapes as an upper bound', () => {
    const dir = runsDir([
      { temperature: 0.1, events: 0, exposure: 1000 },
      { temperature: 0.2, events: 50, exposure: 1000 },
      { temperature: 0.3, events: 400, exposure: 1000 },
    ]);
    const r = cli(['fit', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/T=0\.1: rate < [0-9.e-]+ \(no escapes; 95% upper bound\)/);
    expect(r.stdout).toContain('predicted: none (a run of this group has no predicted MFPT)');
  });

  it.each([
    ['a directory without runs', () => [tmpdir()], /no runs here/],
    [
      'runs of different scenarios',
      () => [
        runsDir([{ temperature: 0.1, events: 5, exposure: 10 }]),
        runsDir([{ scenario: 'other', temperature: 0.2, events: 5, exposure: 10 }]),
      ],
      /different scenarios cannot be fitted together: double-well, other/,
    ],
    [
      'fewer than two temperatures',
      () => [
        runsDir([
          { temperature: 0.1, events: 5, exposure: 10 },
          { temperature: 0.1, events: 6, exposure: 10 },
        ]),
      ],
      /two or more temperatures/,
    ],
    [
      'zero escapes everywhere',
      () => [
        runsDir([
          { temperature: 0.1, events: 0, exposure: 10 },
          { temperature: 0.2, events: 0, exposure: 10 },
        ]),
      ],
      // Names the real reason (no rate to fit, only upper bounds): catches the case being refused for another
      // reason or failing with a NaN fit, which any message (the former /./) let through.
      /all event counts are zero; no rate can be fitted \(only upper bounds\)/,
    ],
    [
      'the same runs read twice (they would narrow the intervals)',
      () => {
        const dir = runsDir([
          { temperature: 0.1, events: 5, exposure: 10 },
          { temperature: 0.2, events: 6, exposure: 10 },
        ]);
        return [dir, path.join(dir, 'run1')];
      },
      /run1: the same run as .*run1 \(double-well, .*\): read twice it would count one sample as two/,
    ],
  ])('refuses %s with one line and exit code 2', (_, dirs, pattern) => {
    const r = cli(['fit', ...dirs()]);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(pattern);
  });
});
