import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import {
  compileEvaluator,
  derivative,
  emitKernelJs,
  evaluate,
  FormulaError,
  parseFormula,
  simplify,
  type FormulaScope,
} from '../../src/formula/index.js';

const scope: FormulaScope = {
  coordinates: ['x', 's', 'y1', 'y2', 'y3'],
  parameters: { a: 0.7, k: 2 },
  vectors: { y: ['y1', 'y2', 'y3'] },
};
const value = (t: string) => parseFormula(t, scope, 'value');
const env = (x: number[]) => ({ a: 0.7, k: 2, x: x[0], s: x[1], y1: x[2], y2: x[3], y3: x[4] });

describe('parsing', () => {
  it.each([
    ['-x^2', -4],
    ['2^3^2', 512],
    ['2^-1', 0.5],
    ['1 - 2 - 3', -4],
    ['8 / 4 / 2', 1],
    ['a*x + k', 0.7 * 2 + 2],
    ['sum(y^2)', 1 + 4 + 9],
    ['sum(k*y)', 12],
    ['sigmoid(0) + max(x, 3) + min(x, 3)', 0.5 + 3 + 2],
    ['.5e1 + 2.', 7],
  ])('%s = %d', (text, expected) => {
    expect(evaluate(value(text), env([2, 0, 1, 2, 3]))).toBeCloseTo(expected, 12);
  });

  it('parses predicates with and/or/not and comparisons', () => {
    const p = parseFormula('x < 0 or not (s >= 1 and y1 != 2)', scope, 'predicate');
    expect(evaluate(p, env([1, 2, 3, 0, 0]))).toBe(0);
    expect(evaluate(p, env([1, 0, 3, 0, 0]))).toBe(1);
    expect(evaluate(p, env([-1, 2, 3, 0, 0]))).toBe(1);
  });

  const refused: [string, RegExp, 'value' | 'predicate'][] = [
    ['constructor', /unknown identifier 'constructor'.*column 1/, 'value'],
    ['x + __proto__', /'__proto__'.*column 5/, 'value'],
    ['process.exit(1)', /'\.' at column 8/, 'value'],
    ['x.constructor', /'\.' at column 2/, 'value'],
    ['this', /'this'.*column 1/, 'value'],
    ['`${x}`', /'`' at column 1/, 'value'],
    ['x // comment', /'\/\/' at column 3/, 'value'],
    ['x /* c */', /'\/\*' at column 3/, 'value'],
    ['x; y1', /';' at column 2/, 'value'],
    ['"str"', /'"' at column 1/, 'value'],
    ['z + 1', /unknown identifier 'z'.*column 1/, 'value'],
    ['exp(x, s)', /exp\(\) takes 1 argument, got 2/, 'value'],
    ['max(x)', /max\(\) takes 2 arguments, got 1/, 'value'],
    ['1e999', /not finite/, 'value'],
    ['(x + 1', /expected '\)'/, 'value'],
    ['x < 0', /expected a number-valued formula/, 'value'],
    ['x + 1', /expected a condition/, 'predicate'],
    ['y^2', /'y' is a vector block: use it inside sum/, 'value'],
    ['sum(x)', /sum\(\) must range over a vector block/, 'value'],
    ['x && s', /'&&' at column 3: use and/, 'predicate'],
    ['x = 1', /'=' at column 3/, 'predicate'],
    ['x[0]', /'\[' at column 2/, 'value'],
    ['x < 1 < 2', /do not chain/, 'predicate'],
    ['(x < 1) + 2', /needs a number/, 'value'],
    ['x and s', /needs a comparison/, 'predicate'],
    ['foo(x)', /unknown function 'foo'/, 'value'],
    ['x é', /'U\+00E9' at column 3/, 'value'],
  ];
  it.each(refused)('refuses %s with the token and its column', (text, pattern, mode) => {
    let err: unknown;
    try {
      parseFormula(text, scope, mode);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormulaError);
    const msg = (err as Error).message;
    expect(msg).toMatch(pattern);
    expect(msg).not.toContain('\n');
  });

  it('refuses deep nesting and very long formulas with a message, not a stack overflow', () => {
    expect(() => value(`${'('.repeat(3000)}x${')'.repeat(3000)}`)).toThrow(/deeper than/);
    expect(() => value(`${'-'.repeat(5000)}x`)).toThrow(/deeper than/);
    expect(() => value(`${'2^'.repeat(3000)}x`)).toThrow(/deeper than/);
    expect(() => value(`${'x+'.repeat(6000)}x`)).toThrow(/limit is 10000/);
  });

  it('does not resolve Object.prototype names', () => {
    for (const n of ['toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'])
      expect(() => value(n)).toThrow(FormulaError);
  });
});

/** Formulas covering every function, powers and chains; the derivative is checked against central differences. */
const FORMULAS = [
  'x^4/4 - x^2/2 + a*x',
  'exp(-x^2) * sin(3*s) + cos(x*s)',
  'log(1 + x^2) + sqrt(1 + s^2)',
  'tanh(a*x) * sigmoid(s - x)',
  'x^s',
  '(x^2 + 1)^(s/2)',
  'abs(x - 0.3) + min(x, s) + max(x^2, s)',
  '0.5*exp(log(k) + sigmoid(-s/0.05)*log(4))*sum(y^2)',
  'sum(exp(-y^2)) / (1 + x^2)',
  'k*((x/a)^2 - 1)^2 + -x^3',
  '1/(x^2 + 1) - 2^(-s)',
];

describe('symbolic derivatives', () => {
  const rng = seedrandom('derivatives');
  const point = () => [0.3 + rng() * 1.2, -1 + 2 * rng(), -1 + 2 * rng(), -1 + 2 * rng(), -1 + 2 * rng()];
  it.each(FORMULAS)('match central differences: %s', (text) => {
    const e = value(text);
    const coords = scope.coordinates;
    for (let trial = 0; trial < 40; trial++) {
      const x = point();
      coords.forEach((c, i) => {
        const h = 1e-5 * Math.max(1, Math.abs(x[i]));
        const xp = [...x];
        const xm = [...x];
        xp[i] += h;
        xm[i] -= h;
        const fd = (evaluate(e, env(xp)) - evaluate(e, env(xm))) / (2 * h);
        const exact = evaluate(derivative(e, c), env(x));
        // central differences: truncation O(h^2 f''') and rounding O(eps f / h) ~ 1e-10 relative
        expect(Math.abs(exact - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      });
    }
  });

  it('simplify preserves values', () => {
    for (const text of FORMULAS) {
      const e = value(text);
      for (let t = 0; t < 20; t++) {
        const x = point();
        const before = evaluate(e, env(x));
        expect(evaluate(simplify(e), env(x))).toBeCloseTo(before, 10);
      }
    }
  });

  it('derivatives come out simplified', () => {
    const d = derivative(value('x^4/4 - x^2/2 + a*x'), 'x');
    expect(emitKernelJs(d, { coord: (n) => n, param: (n) => n })).toBe('(((x * x * x) - x) + a)');
    expect(derivative(value('s^2'), 'x')).toEqual({ kind: 'num', value: 0 });
  });
});

describe('code generation', () => {
  const rng = seedrandom('emit');
  it.each(FORMULAS)('the emitted kernel expression computes the same value: %s', (text) => {
    const e = value(text);
    const js = emitKernelJs(e, { coord: (n) => `v.${n}`, param: (n) => `v.${n}` });
    // Tests may compile generated code; src/ never does.
    const f = new Function('v', `return ${js};`) as (v: Record<string, number>) => number;
    const compiled = compileEvaluator(e, scope.coordinates, { a: 0.7, k: 2 });
    for (let t = 0; t < 20; t++) {
      const x = [0.3 + rng(), -1 + 2 * rng(), rng(), rng(), rng()];
      const want = evaluate(e, env(x));
      expect(f(env(x))).toBeCloseTo(want, 10);
      expect(compiled(x)).toBeCloseTo(want, 12);
    }
  });

  it('emits floats GPU.js types as floats', () => {
    const js = emitKernelJs(value('2*x - 3'), { coord: (n) => n, param: (n) => n });
    expect(js).toBe('((2.0 * x) - 3.0)');
  });
});

describe('property: random input is accepted or refused with one line, never anything else', () => {
  const alphabet = [
    'x',
    's',
    'y',
    'y1',
    'a',
    'k',
    '1',
    '2.5',
    '1e3',
    '+',
    '-',
    '*',
    '/',
    '^',
    '(',
    ')',
    ',',
    '<',
    '>=',
    '==',
    ' and ',
    ' or ',
    'not ',
    'exp',
    'sum',
    'max',
    '.',
    '"',
    '`',
    '[',
    ']',
    ';',
    '$',
    '{',
    '}',
    'constructor',
    '__proto__',
    'process',
    'this',
    '//',
    'é',
    '∑',
    '\u0000',
    '\n',
    ' ',
  ];
  it('2,000 seeded random strings', () => {
    const rng = seedrandom('fuzz-formula');
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const n = 1 + Math.floor(rng() * 12);
      const text = Array.from({ length: n }, () => alphabet[Math.floor(rng() * alphabet.length)]).join('');
      for (const mode of ['value', 'predicate'] as const) {
        try {
          const e = parseFormula(text, scope, mode);
          accepted++;
          expect(e).toBeTypeOf('object');
        } catch (err) {
          expect(err).toBeInstanceOf(FormulaError);
          expect((err as Error).message).not.toContain('\n');
        }
      }
    }
    expect(accepted).toBeGreaterThan(10); // the generator does produce valid formulas too
  });
});
