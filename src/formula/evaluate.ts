import type { Expr } from './ast.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const FN: Record<string, (...a: number[]) => number> = {
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  abs: Math.abs,
  min: Math.min,
  max: Math.max,
  sigmoid,
};

const b = (v: boolean) => (v ? 1 : 0);

function binary(op: string, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '^':
      return x ** y;
    case '<':
      return b(x < y);
    case '<=':
      return b(x <= y);
    case '>':
      return b(x > y);
    case '>=':
      return b(x >= y);
    case '==':
      return b(x === y);
    case '!=':
      return b(x !== y);
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

/** Evaluates in float64; coordinates and parameters come from `env`; booleans are 1 and 0. */
export function evaluate(e: Expr, env: Record<string, number>): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'coord':
    case 'param': {
      if (!Object.hasOwn(env, e.name)) throw new Error(`no value for '${e.name}'`);
      return env[e.name];
    }
    case 'neg':
      return -evaluate(e.arg, env);
    case 'not':
      return b(evaluate(e.arg, env) === 0);
    case 'bin':
    case 'cmp':
      return binary(e.op, evaluate(e.left, env), evaluate(e.right, env));
    case 'logic':
      return e.op === 'and'
        ? b(evaluate(e.left, env) !== 0 && evaluate(e.right, env) !== 0)
        : b(evaluate(e.left, env) !== 0 || evaluate(e.right, env) !== 0);
    case 'call':
      return FN[e.fn](...e.args.map((a) => evaluate(a, env)));
    case 'if':
      return evaluate(e.cond, env) !== 0 ? evaluate(e.then, env) : evaluate(e.else, env);
  }
}

type Compiled = (x: ArrayLike<number>) => number;

/**
 * Compiles to a tree of closures (no eval, no new Function): x holds the coordinates in `coords` order,
 * parameters are fixed now. Fast enough for quadrature and per-particle observables on the host.
 */
export function compileEvaluator(e: Expr, coords: string[], params: Record<string, number>): Compiled {
  const index = new Map(coords.map((c, i) => [c, i]));
  const go = (n: Expr): Compiled => {
    switch (n.kind) {
      case 'num': {
        const v = n.value;
        return () => v;
      }
      case 'coord': {
        const i = index.get(n.name);
        if (i === undefined) throw new Error(`unknown coordinate '${n.name}'`);
        return (x) => x[i];
      }
      case 'param': {
        if (!Object.hasOwn(params, n.name)) throw new Error(`no value for parameter '${n.name}'`);
        const v = params[n.name];
        return () => v;
      }
      case 'neg': {
        const a = go(n.arg);
        return (x) => -a(x);
      }
      case 'not': {
        const a = go(n.arg);
        return (x) => b(a(x) === 0);
      }
      case 'bin':
      case 'cmp': {
        const l = go(n.left);
        const r = go(n.right);
        const op = n.op;
        switch (op) {
          case '+':
            return (x) => l(x) + r(x);
          case '-':
            return (x) => l(x) - r(x);
          case '*':
            return (x) => l(x) * r(x);
          case '/':
            return (x) => l(x) / r(x);
          default:
            return (x) => binary(op, l(x), r(x));
        }
      }
      case 'logic': {
        const l = go(n.left);
        const r = go(n.right);
        return n.op === 'and' ? (x) => b(l(x) !== 0 && r(x) !== 0) : (x) => b(l(x) !== 0 || r(x) !== 0);
      }
      case 'call': {
        const f = FN[n.fn];
        const args = n.args.map(go);
        if (args.length === 1) {
          const a = args[0];
          return (x) => f(a(x));
        }
        const [a0, a1] = args;
        return (x) => f(a0(x), a1(x));
      }
      case 'if': {
        const c = go(n.cond);
        const t = go(n.then);
        const f = go(n.else);
        return (x) => (c(x) !== 0 ? t(x) : f(x));
      }
    }
  };
  return go(e);
}
