import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toKernelModel } from '../../src/landscape/kernel-model.js';
import { resolveScenario } from '../../src/landscape/resolve.js';
import type { FormulaScenario } from '../../src/landscape/scenario.js';
import { runnableBackends } from '../helpers/backends.js';
import { worstOneStepError } from '../helpers/host-step.js';

const funnel = () => resolveScenario('bench/funnel-peer.yaml') as FormulaScenario;

/** max() differentiates into selects whose condition, exp(x) >= exp(y), both entries share. */
function maxExp(): FormulaScenario {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grokscape-shared-')), 'max-exp.yaml');
  fs.writeFileSync(
    file,
    [
      'name: max-exp',
      'description: costly terms under a select',
      'dimensions: [x, y]',
      'potential: "max(exp(x), exp(y)) + x^2 + y^2"',
      'temperature: 0.5',
      'dt: 0.001',
      'steps: 10',
      'particles: 16',
      'seed: 1',
      'start: { x: -1 }',
      'regions:',
      '  left: "x < 0"',
    ].join('\n'),
  );
  return resolveScenario(file) as FormulaScenario;
}

describe('costly terms shared by gradient entries', () => {
  it('the 16-mode funnel reads kappa(s) from one auxiliary value, and its transverse entries share one branch', () => {
    const m = toKernelModel(funnel());
    expect(m.aux?.width).toBe(1);
    expect(m.aux?.uses).toEqual([0]);
    expect(m.aux?.body).toContain('Math.exp');
    for (let j = 1; j <= 16; j++) {
      const g = m.gradient[j];
      expect(g.shared).toBe(true);
      expect(g.expression).toBe('(aux[0][p] * (2.0 * self))');
      expect(g.uses).toEqual([]); // s is no longer read: kappa(s) comes from the auxiliary stage
    }
    // The sigmoid in dU/ds is shared with no other entry once kappa is hoisted: it stays inline.
    expect(m.gradient[0].shared).toBeUndefined();
    expect(m.gradient[0].expression).not.toContain('aux');
    expect(m.gradient[0].expression).toContain('Math.exp');
  });

  it('hoists the operands of a shared condition, never the condition (auxiliary values are floats)', () => {
    const m = toKernelModel(maxExp());
    expect(m.aux?.width).toBe(2);
    expect(m.aux?.body).not.toMatch(/[<>]=?/);
    expect(m.gradient[0].expression).toContain('(aux[0][p] >= aux[1][p])');
  });

  it('a polynomial landscape keeps the plain kernels', () => {
    const m = toKernelModel(resolveScenario('double-well'));
    expect(m.aux).toBeUndefined();
    expect(m.gradient[0].shared).toBeUndefined();
  });

  const cases = runnableBackends.flatMap((mode) => [
    { mode, name: 'funnel', make: funnel },
    { mode, name: 'max-exp', make: maxExp },
  ]);
  it.each(cases)(
    'one step of the compiled $name equals the float64 host step x - dt grad U + sqrt(2 T dt) xi on $mode',
    async ({ mode, make }) => {
      const s = make();
      const P = 3000;
      const D = s.layout.coordinates.length;
      const initial = Array.from({ length: D }, (_, i) =>
        Float32Array.from({ length: P }, (_, p) => Math.fround(Math.sin(1 + 7 * p + 13 * i) * (i === 0 ? 1 : 0.3))),
      );
      const { worst, kernelMode } = await worstOneStepError(s, mode, initial, 11);
      expect(kernelMode).toBe(mode);
      // float32 state (|x| <= 1: spacing 6e-8) and float32 arithmetic in the kernel: a few roundings of ~1e-7.
      expect(worst).toBeLessThan(1e-6);
    },
  );
});
