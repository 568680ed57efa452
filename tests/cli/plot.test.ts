import fs from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError, tmpdir } from '../helpers/cli.js';
import { cutOffText, legendLabels, textBoxes } from '../plot/svg-text.js';

describe('grokscape plot', () => {
  it('writes well-formed SVG and PNG of the stated size for a temperature x data-size scan', () => {
    const out = path.join(tmpdir(), 'scan');
    const scan = cli([
      'scan',
      'grokking-threshold',
      '--grid',
      'temperature=0.4,0.6',
      '--grid',
      'dataSize=1:3:1',
      '--set',
      'particles=128',
      '--set',
      'steps=3000',
      '--backend',
      'cpu',
      '--quiet',
      '--out',
      out,
    ]);
    expect(scan.code).toBe(0);
    const r = cli(['plot', out]);
    expect(r.code).toBe(0);
    const files = fs.readdirSync(path.join(out, 'plots')).sort();
    expect(files).toEqual(
      ['eyring', 'heatmap-populations-mean-generalizing', 'logtau-vs-dataSize', 'survival']
        .flatMap((n) => [`${n}.png`, `${n}.svg`])
        .sort(),
    );
    // stdout names every PNG with its size: asserting the list keeps the checks below from passing over zero
    // matches (a changed stdout format, or a plot written but not reported, would otherwise go unseen).
    const reported = [...r.stdout.matchAll(/^(.*\.png) \((\d+)x(\d+)\)$/gm)];
    expect(reported.map((m) => path.basename(m[1])).sort()).toEqual(files.filter((f) => f.endsWith('.png')));
    for (const m of reported) {
      const png = fs.readFileSync(m[1]);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(Number(m[2])); // IHDR width
      expect(png.readUInt32BE(20)).toBe(Number(m[3])); // IHDR height
      const svg = fs.readFileSync(m[1].replace(/\.png$/, '.svg'), 'utf8');
      expect(XMLValidator.validate(svg)).toBe(true);
      expect(svg).toMatch(/<svg/);
      // nothing cut off: every text box inside the canvas, none shortened with "…"
      expect({ svg: m[1], cut: cutOffText(svg) }).toEqual({ svg: m[1], cut: [] });
    }
    const eyring = fs.readFileSync(path.join(out, 'plots', 'eyring.svg'), 'utf8');
    expect(eyring).toContain('Eyring plot');
    expect(eyring).toContain('1/T (inverse temperature');
    expect(eyring).toContain('ln(k/T)');
    expect(eyring).toContain('ΔH‡ = ');
    expect(legendLabels(eyring)).toContain('predicted (theory)');
    const logTau = fs.readFileSync(path.join(out, 'plots', 'logtau-vs-dataSize.svg'), 'utf8');
    expect(legendLabels(logTau)).toContainEqual(
      expect.stringMatching(/^temperature=0\.4: ln τ = \S+ \+ b·dataSize, b = /),
    );
    const survival = legendLabels(fs.readFileSync(path.join(out, 'plots', 'survival.svg'), 'utf8'));
    expect(survival).toContain('dataSize=1, temperature=0.4');
    expect(new Set(survival).size).toBe(survival.length);
    // the heatmap is a phase diagram, or says on stderr (one line) and in its title why not
    const heat = textBoxes(
      fs.readFileSync(path.join(out, 'plots', 'heatmap-populations-mean-generalizing.svg'), 'utf8'),
    );
    const title = heat.boxes
      .filter((b) => b.role.startsWith('title'))
      .map((b) => b.text)
      .join(' ');
    if (/: phase diagram of the generalizing fraction/.test(title)) expect(r.stderr).toBe('');
    else {
      expect(title).toContain('not a phase diagram: ');
      expect(r.stderr).toMatch(
        /^grokscape: note: heatmap of populations\.mean\.generalizing: not a phase diagram: [^\n]*\n$/,
      );
    }
  });

  it('refuses a directory without runs', () => {
    const r = cli(['plot', tmpdir()]);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toMatch(/no runs here/);
  });
});
