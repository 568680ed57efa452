import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { predict } from '../../src/landscape/predict.js';
import { writeScenario } from '../helpers/cli.js';

describe('predict', () => {
  it('Eyring-Kramers for a 2D formula equals the closed form', () => {
    // U = (x^2-1)^2 + k y^2 + x y^2 / 2: well (-1, 0) with Hessian diag(8, 2k - 1), saddle (0, 0) with diag(-4, 2k)
    const file = writeScenario(`name: dw2
description: 2D double well
dimensions: [x, y]
parameters: { k: 3 }
potential: "(x^2 - 1)^2 + k*y^2 + 0.5*x*y^2"
temperature: 0.15
dt: 0.001
steps: 1000
particles: 256
seed: 1
start: { x: -0.8, y: 0.2 }
regions:
  memorizing: "x < 0"
  generalizing: "x > 0.8"
escape: { from: memorizing, to: generalizing }
`);
    const p = predict(resolveScenario(file))!;
    const T = 0.15;
    const exact = ((2 * Math.PI) / 4) * Math.sqrt((4 * 6) / (8 * 5)) * Math.exp(1 / T);
    expect(p.kramers!.time / exact).toBeCloseTo(1, 6);
    expect(p.kramers!.barrier).toBeCloseTo(1, 9);
  });

  it('says so where no saddle exists', () => {
    const file = writeScenario(`name: bowl
description: a single well
dimensions: [x, y]
potential: "x^2 + y^2"
temperature: 0.5
dt: 0.001
steps: 10
particles: 4
seed: 1
start: { x: -1, y: 0 }
regions:
  memorizing: "x < 0"
  generalizing: "x > 0.8"
escape: { from: memorizing, to: generalizing }
`);
    const p = predict(resolveScenario(file))!;
    expect(p.kramers).toBeNull();
    expect(p.notes.join(' ')).toMatch(/no index-1 saddle|does not apply/);
  });
});
