import type { Expr } from './ast.js';
import { children, num } from './ast.js';
import { evaluate } from './evaluate.js';

const isNum = (e: Expr): e is { kind: 'num'; value: number } => e.kind === 'num';
/** Whether e is the constant v (not a type guard: false says nothing about e's kind). */
const isValue = (e: Expr, v: number): boolean => e.kind === 'num' && e.value === v;
const hasVariables = (e: Expr): boolean => e.kind === 'coord' || e.kind === 'param' || children(e).some(hasVariables);

/**
 * Algebraic clean-up that never changes a value where the expression is defined: constant folding (when
 * the result is finite), x+0, x*1, x*0 with x finite-by-construction only for constants, x^1, x^0 -> 1,
 * --x, 0/x -> 0 kept only for constant x. Parameters stay symbolic (they are inlined at compile time).
 */
export function simplify(e: Expr): Expr {
  switch (e.kind) {
    case 'num':
    case 'coord':
    case 'param':
      return e;
    case 'neg': {
      const a = simplify(e.arg);
      if (isNum(a)) return num(-a.value);
      if (a.kind === 'neg') return a.arg;
      return { kind: 'neg', arg: a };
    }
    case 'not':
      return { kind: 'not', arg: simplify(e.arg) };
    case 'call': {
      const args = e.args.map(simplify);
      const out: Expr = { kind: 'call', fn: e.fn, args };
      if (args.every((a) => !hasVariables(a))) {
        const v = evaluate(out, {});
        if (Number.isFinite(v)) return num(v);
      }
      return out;
    }
    case 'cmp':
    case 'logic':
      return { ...e, left: simplify(e.left), right: simplify(e.right) } as Expr;
    case 'if': {
      const cond = simplify(e.cond);
      const then = simplify(e.then);
      const other = simplify(e.else);
      if (!hasVariables(cond)) return evaluate(cond, {}) !== 0 ? then : other;
      // the derivative of ind(c) is if(c, 0, 0): equal constant branches make the select a constant
      if (isNum(then) && isNum(other) && then.value === other.value) return then;
      return { kind: 'if', cond, then, else: other };
    }
    case 'bin': {
      const l = simplify(e.left);
      const r = simplify(e.right);
      if (isNum(l) && isNum(r)) {
        const v = evaluate({ kind: 'bin', op: e.op, left: l, right: r }, {});
        if (Number.isFinite(v)) return num(v);
      }
      switch (e.op) {
        case '+':
          if (isValue(l, 0)) return r;
          if (isValue(r, 0)) return l;
          if (r.kind === 'neg') return simplify({ kind: 'bin', op: '-', left: l, right: r.arg });
          break;
        case '-':
          if (isValue(r, 0)) return l;
          if (isValue(l, 0)) return simplify({ kind: 'neg', arg: r });
          if (r.kind === 'neg') return simplify({ kind: 'bin', op: '+', left: l, right: r.arg });
          break;
        case '*':
          // x * 0 -> 0 only drops x when x cannot be infinite or NaN; derivatives multiply by 0 constantly, and a
          // term whose factor is exactly 0 contributes 0 wherever the expression is defined.
          if (isValue(l, 0) || isValue(r, 0)) return num(0);
          if (isValue(l, 1)) return r;
          if (isValue(r, 1)) return l;
          if (isValue(l, -1)) return simplify({ kind: 'neg', arg: r });
          if (isValue(r, -1)) return simplify({ kind: 'neg', arg: l });
          if (l.kind === 'neg' && r.kind === 'neg')
            return simplify({ kind: 'bin', op: '*', left: l.arg, right: r.arg });
          if (isNum(r) && !isNum(l)) return simplify({ kind: 'bin', op: '*', left: r, right: l }); // constants first
          if (isNum(l) && r.kind === 'bin' && r.op === '*' && isNum(r.left)) {
            return simplify({ kind: 'bin', op: '*', left: num(l.value * r.left.value), right: r.right });
          }
          break;
        case '/':
          if (isValue(r, 1)) return l;
          if (isValue(l, 0) && isNum(r) && r.value !== 0) return num(0);
          if (isNum(r) && r.value !== 0 && l.kind === 'bin' && l.op === '*' && isNum(l.left)) {
            return simplify({ kind: 'bin', op: '*', left: num(l.left.value / r.value), right: l.right });
          }
          break;
        case '^':
          if (isValue(r, 1)) return l;
          if (isValue(r, 0)) return num(1);
          break;
      }
      return { kind: 'bin', op: e.op, left: l, right: r };
    }
  }
}
