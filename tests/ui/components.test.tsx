import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { histogram, histogramLines, INK_COLORS, regionMark, resample } from '../../src/ui/charts.js';
import { WatchScreen } from '../../src/ui/components/WatchScreen.js';
import type { WatchSnapshot } from '../../src/ui/snapshot.js';

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

function snapshot(over: Partial<WatchSnapshot> = {}): WatchSnapshot {
  return {
    scenario: 'entropic-funnel',
    backend: 'cpu',
    particles: 4096,
    temperature: 0.5,
    knob: { name: 'dataSize', value: 4 },
    paused: false,
    time: 12.5,
    step: 6250,
    particleStepsPerSecond: 2.5e7,
    regions: ['memorizing', 'generalizing', 'other'],
    history: [
      [1, 0, 0],
      [0.8, 0.1, 0.1],
      [0.6, 0.3, 0.1],
    ],
    current: [0.6, 0.3, 0.1],
    predicted: { memorizing: 0.2, generalizing: 0.7, other: 0.1 },
    observable: {
      label: 's',
      lo: -1,
      hi: 1,
      values: Float32Array.from({ length: 1000 }, (_, i) => -1 + (2 * i) / 1000),
    },
    escape: {
      from: 'memorizing',
      to: 'generalizing',
      events: 1234,
      atRisk: 4096,
      rate: 0.0321,
      rateCI95: [0.0303, 0.0339],
      mfpt: 31.2,
      predictedMfpt: 30.1,
    },
    message: '',
    ...over,
  };
}

describe('watch screen', () => {
  it('shows populations with predictions, histogram, escapes, backend and speed', () => {
    const { lastFrame } = render(<WatchScreen s={snapshot()} columns={80} rows={24} />);
    const f = stripAnsi(lastFrame() ?? '');
    expect(f).toContain('entropic-funnel');
    expect(f).toContain('cpu');
    expect(f).toContain('4096 particles');
    expect(f).toContain('T=0.5');
    expect(f).toContain('dataSize 4');
    expect(f).toContain('25 M steps/s');
    expect(f).toContain('memorizing 60.0%');
    expect(f).toContain('(eq 20.0%)');
    expect(f).toContain('generalizing 30.0%');
    expect(f).toContain('histogram of s');
    expect(f).toContain('1234/4096');
    expect(f).toContain('rate 0.0321 [0.0303, 0.0339]');
    expect(f).toContain('MFPT 31.2');
    expect(f).toContain('predicted MFPT 30.1');
    expect(f).toContain('q quit');
    expect(f).toContain('d/D data size');
  });

  it('keeps the whole rate interval at 80 columns, with long region names and small rates', () => {
    const escape = {
      from: 'memorizing',
      to: 'generalizing',
      events: 58,
      atRisk: 1048576,
      rate: 0.000451,
      rateCI95: [0.000342, 0.000583] as [number, number],
      mfpt: 2220,
      predictedMfpt: 2310,
    };
    const { lastFrame } = render(<WatchScreen s={snapshot({ particles: 1048576, escape })} columns={80} rows={24} />);
    const f = stripAnsi(lastFrame() ?? '');
    expect(f).toContain('rate 0.000451 [0.000342, 0.000583] (95%)');
    expect(f).toContain('58/1048576 · MFPT 2220');
  });

  it('fits in 80 x 24', () => {
    const { lastFrame } = render(<WatchScreen s={snapshot()} columns={80} rows={24} />);
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines.length).toBeLessThan(24); // shorter than the terminal: Ink then redraws in place
    for (const l of lines) expect(stripAnsi(l).length).toBeLessThanOrEqual(80);
  });

  it.each([
    [80, 24],
    [60, 17],
    [60, 16],
  ])('shows a message longer than a line whole on two lines where it fits (%i x %i)', (columns, rows) => {
    const message = `save failed: ${'x'.repeat(columns + 20)} end`;
    const frame = stripAnsi(
      render(<WatchScreen s={snapshot({ message })} columns={columns} rows={rows} />).lastFrame() ?? '',
    );
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThan(rows);
    for (const l of lines) expect(l.length).toBeLessThan(columns);
    // before: cut at the terminal's width, and its end (usually the fix) lost
    expect(frame.includes(' end')).toBe(rows > 16);
    expect(frame).toContain('escapes');
  });

  it.each([
    [40, 10],
    [59, 30],
    [120, 15],
    [60, 16],
  ])('fits in %i x %i, the charts only where they fit', (columns, rows) => {
    const frame = render(<WatchScreen s={snapshot()} columns={columns} rows={rows} />).lastFrame() ?? '';
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThan(rows);
    for (const l of lines) expect(stripAnsi(l).length).toBeLessThan(columns);
    const small = columns < 60 || rows < 16;
    expect(frame.includes(`${columns}x${rows}: the charts need 60x16`)).toBe(small);
    expect(frame).toContain('escapes');
  });

  it('without colour, tells the regions apart by a mark each, in the chart and the legend, and writes no colour codes', () => {
    const frame = render(<WatchScreen s={snapshot()} columns={80} rows={24} color={false} />).lastFrame() ?? '';
    expect(frame).not.toMatch(/\x1b\[/); // NO_COLOR: no escape codes at all, the chart's included
    expect(frame).toContain('* memorizing 60.0%');
    expect(frame).toContain('o generalizing 30.0%');
    expect(frame).toContain('. other 10.0%');
    const chart = frame.split('\n').filter((l) => l.includes(' ┤'));
    // the first sample of each series: memorizing at 1 (top row), generalizing and other at 0 (bottom row)
    expect(chart[0]).toMatch(/1\.00 ┤\*/);
    expect(chart.at(-1)).toMatch(/0\.00 ┤[o.]/);
    expect(chart.join('')).toContain('o');
  });

  it('with many long-named regions the legend gives way (eq first), not the chart, and everything fits', () => {
    const regions = [...Array.from({ length: 8 }, (_, i) => `region_number_${i}_of_eight`), 'other'];
    const row = regions.map(() => 1 / regions.length);
    const s = snapshot({
      regions,
      history: [row, row, row],
      current: row,
      predicted: Object.fromEntries(regions.map((r) => [r, 1 / regions.length])),
    });
    const frame = render(<WatchScreen s={s} columns={80} rows={24} color={false} />).lastFrame() ?? '';
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThan(24);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    // before: the legend (with its eq values) took 9 of the panel's lines and left the chart 6
    expect(lines.filter((l) => l.includes(' ┤')).length).toBeGreaterThanOrEqual(8);
    // names cut to fit, their shared prefix first, so that each stays told apart
    for (let i = 0; i < 8; i++) expect(frame).toContain(`…${i}_of_eight 11.1%`);
    expect(frame).toContain('. other 11.1%');
    expect(frame).not.toContain('(eq');
  });

  it('tells twelve regions apart, by mark and by colour', () => {
    const names = Array.from({ length: 12 }, (_, i) => `r${i}`);
    expect(new Set(names.map(regionMark)).size).toBe(12);
    expect(new Set(INK_COLORS).size).toBe(12);
    expect(regionMark('other', 0)).toBe('.');
  });

  it('with colour, draws coloured lines and squares', () => {
    const frame = render(<WatchScreen s={snapshot()} columns={80} rows={24} color={true} />).lastFrame() ?? '';
    expect(stripAnsi(frame)).toContain('■ memorizing 60.0%');
    expect(stripAnsi(frame)).not.toContain('* memorizing');
  });

  it('uses more rows on a bigger terminal', () => {
    const small = render(<WatchScreen s={snapshot()} columns={80} rows={24} />).lastFrame() ?? '';
    const big = render(<WatchScreen s={snapshot()} columns={160} rows={50} />).lastFrame() ?? '';
    expect(big.split('\n').length).toBeGreaterThan(small.split('\n').length);
    expect(big.split('\n').length).toBeLessThanOrEqual(50);
  });

  it('says paused, shows the message, reports no escapes as a bound, hides d/D without a data size', () => {
    const s = snapshot({
      paused: true,
      knob: null,
      message: 'saved to runs/x',
      escape: {
        from: 'memorizing',
        to: 'generalizing',
        events: 0,
        atRisk: 4096,
        rate: 0,
        rateCI95: [0, 0.0012],
        mfpt: null,
        predictedMfpt: null,
      },
    });
    const f = stripAnsi(render(<WatchScreen s={s} columns={80} rows={24} />).lastFrame() ?? '');
    expect(f).toContain('PAUSED');
    expect(f).toContain('saved to runs/x');
    expect(f).toContain('rate < 0.0012 (95% bound)');
    expect(f).not.toContain('d/D');
  });
});

describe('chart helpers', () => {
  it('histogram counts every finite value once and clamps the ends', () => {
    const c = histogram([-5, 0, 0.1, 0.5, 0.99, 5, Number.NaN], 0, 1, 4);
    expect(c).toEqual([3, 0, 1, 2]);
  });

  it('histogram bars scale to the largest bin', () => {
    const lines = histogramLines({ lo: 0, hi: 1, counts: [10, 5, 0] }, 36);
    expect(lines).toHaveLength(3);
    expect(lines[0].split('█').length - 1).toBe(20);
    expect(lines[1].split('█').length - 1).toBe(10);
    expect(lines[2]).not.toContain('█');
  });

  it('resample keeps both ends', () => {
    const r = resample([...Array(100).keys()], 10);
    expect(r).toHaveLength(10);
    expect(r[0]).toBe(0);
    expect(r[9]).toBe(99);
  });
});
