import { children, num, type Expr } from './ast.js';
import { simplify } from './simplify.js';

const bin = (op: '+' | '-' | '*' | '/' | '^', left: Expr, right: Expr): Expr => ({ kind: 'bin', op, left, right });
const call = (fn: 'exp' | 'log' | 'sqrt' | 'sin' | 'cos' | 'tanh' | 'abs' | 'sigmoid', arg: Expr): Expr => ({
  kind: 'call',
  fn,
  args: [arg],
});
const neg = (arg: Expr): Expr => ({ kind: 'neg', arg });

function dependsOn(e: Expr, c: string): boolean {
  return e.kind === 'coord' ? e.name === c : children(e).some((a) => dependsOn(a, c));
}

function d(e: Expr, c: string): Expr {
  if (!dependsOn(e, c)) return num(0);
  switch (e.kind) {
    case 'num':
    case 'param':
      return num(0);
    case 'coord':
      return num(e.name === c ? 1 : 0);
    case 'neg':
      return neg(d(e.arg, c));
    case 'bin': {
      const { left: u, right: v } = e;
      switch (e.op) {
        case '+':
          return bin('+', d(u, c), d(v, c));
        case '-':
          return bin('-', d(u, c), d(v, c));
        case '*':
          return bin('+', bin('*', d(u, c), v), bin('*', u, d(v, c)));
        case '/':
          if (!dependsOn(v, c)) return bin('/', d(u, c), v);
          return bin('/', bin('-', bin('*', d(u, c), v), bin('*', u, d(v, c))), bin('^', v, num(2)));
        case '^':
          if (!dependsOn(v, c)) {
            // power rule: v u^(v-1) u'
            return bin('*', bin('*', v, bin('^', u, bin('-', v, num(1)))), d(u, c));
          }
          // u^v = exp(v ln u): (u^v) (v' ln u + v u'/u)
          return bin('*', e, bin('+', bin('*', d(v, c), call('log', u)), bin('/', bin('*', v, d(u, c)), u)));
      }
      break;
    }
    case 'call': {
      const [u, v] = e.args;
      const du = d(u, c);
      switch (e.fn) {
        case 'exp':
          return bin('*', e, du);
        case 'log':
          return bin('/', du, u);
        case 'sqrt':
          return bin('/', du, bin('*', num(2), e));
        case 'sin':
          return bin('*', call('cos', u), du);
        case 'cos':
          return neg(bin('*', call('sin', u), du));
        case 'tanh':
          return bin('*', bin('-', num(1), bin('^', e, num(2))), du);
        case 'sigmoid':
          return bin('*', bin('*', e, bin('-', num(1), e)), du);
        case 'abs':
          // sign(u) u', with sign(0) taken as 0
          return {
            kind: 'if',
            cond: { kind: 'cmp', op: '>', left: u, right: num(0) },
            then: du,
            else: { kind: 'if', cond: { kind: 'cmp', op: '<', left: u, right: num(0) }, then: neg(du), else: num(0) },
          };
        case 'min':
          return { kind: 'if', cond: { kind: 'cmp', op: '<=', left: u, right: v }, then: du, else: d(v, c) };
        case 'max':
          return { kind: 'if', cond: { kind: 'cmp', op: '>=', left: u, right: v }, then: du, else: d(v, c) };
      }
      break;
    }
    case 'if':
      return { kind: 'if', cond: e.cond, then: d(e.then, c), else: d(e.else, c) };
    case 'cmp':
    case 'logic':
    case 'not':
      throw new Error('conditions have no derivative');
  }
  throw new Error(`cannot differentiate ${e.kind}`);
}

/** Exact symbolic derivative d e / d coord, simplified. */
export function derivative(e: Expr, coord: string): Expr {
  return simplify(d(e, coord));
}

export function gradient(e: Expr, coords: string[]): Expr[] {
  return coords.map((c) => derivative(e, c));
}
