import { describe, expect, it } from 'vitest';
import {
  derivative,
  emitKernelJs,
  evaluate,
  FormulaError,
  parseFormula,
  type FormulaScope,
} from '../../src/formula/index.js';

const scope: FormulaScope = { coordinates: ['x', 'y'], parameters: { d: 0.5 }, vectors: {} };

describe('ind(condition): counting satisfied conditions', () => {
  it('is 1 where the condition holds and 0 elsewhere, so sums count', () => {
    const e = parseFormula('ind(x < 0) + ind(abs(y) <= d) + ind(x > 0 and y > 0)', scope, 'value');
    expect(evaluate(e, { x: -1, y: 0.2, d: 0.5 })).toBe(2);
    expect(evaluate(e, { x: 1, y: 1, d: 0.5 })).toBe(1);
    expect(evaluate(e, { x: 1, y: -1, d: 0.5 })).toBe(0);
  });

  it('makes fractions usable in region predicates', () => {
    const p = parseFormula('(ind(x < 0) + ind(y < 0))/2 > 0.75', scope, 'predicate');
    expect(evaluate(p, { x: -1, y: -1, d: 0 })).toBe(1);
    expect(evaluate(p, { x: -1, y: 1, d: 0 })).toBe(0);
  });

  it('has derivative 0 (almost everywhere), simplified to the constant', () => {
    const e = parseFormula('x^2 + 3*ind(x < 0)', scope, 'value');
    expect(derivative(e, 'x')).toEqual(derivative(parseFormula('x^2', scope, 'value'), 'x'));
  });

  it('compiles to a select on 1.0 and 0.0', () => {
    const js = emitKernelJs(parseFormula('ind(x < 0)', scope, 'value'), { coord: (c) => `c_${c}`, param: () => '0.5' });
    expect(js).toBe('((c_x < 0.0) ? 1.0 : 0.0)');
  });

  it('refuses a number where the condition belongs, naming the column', () => {
    expect(() => parseFormula('1 + ind(x)', scope, 'value')).toThrow(FormulaError);
    expect(() => parseFormula('1 + ind(x)', scope, 'value')).toThrow(
      /ind\(\) needs a comparison or logic, not a number, at column 5/,
    );
    expect(() => parseFormula('ind', scope, 'value')).toThrow(/'ind' cannot be used as a value/);
    expect(() => parseFormula('ind(x < 0, y < 0)', scope, 'value')).toThrow(/expected '\)'/);
  });
});

describe('named quantities (definitions)', () => {
  const q = parseFormula('ind(x < 0) + ind(y < 0)', scope, 'value');
  const withDefs: FormulaScope = { ...scope, definitions: { negatives: q } };

  it('stand for their formula in regions and values', () => {
    const p = parseFormula('negatives >= 2', withDefs, 'predicate');
    expect(evaluate(p, { x: -1, y: -2, d: 0 })).toBe(1);
    expect(evaluate(p, { x: -1, y: 2, d: 0 })).toBe(0);
  });

  it('are unknown identifiers where not defined, and listed in the refusal where they are', () => {
    expect(() => parseFormula('negatives > 1', scope, 'predicate')).toThrow(/unknown identifier 'negatives'/);
    expect(() => parseFormula('nope > 1', withDefs, 'predicate')).toThrow(/quantities negatives/);
  });

  it('do not shadow coordinates or parameters', () => {
    const shadow: FormulaScope = { ...scope, definitions: { x: q } };
    expect(evaluate(parseFormula('x', shadow, 'value'), { x: 3, y: 0, d: 0 })).toBe(3);
  });
});
