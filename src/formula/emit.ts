import { children, type Expr } from './ast.js';

export interface EmitNames {
  coord: (name: string) => string;
  param: (name: string) => string;
  /** Code that stands for a whole subtree instead of its own (e.g. a value computed once elsewhere). */
  replace?: (e: Expr) => string | undefined;
}

/** Whether `x ^ exponent` is emitted as a product of factors rather than Math.pow. */
export function isSmallIntegerPower(exponent: Expr): boolean {
  return (
    exponent.kind === 'num' && Number.isInteger(exponent.value) && Math.abs(exponent.value) <= 4 && exponent.value !== 0
  );
}

/** A float literal GPU.js types as a float: always with '.' or an exponent; negatives parenthesized. */
export function floatLiteral(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`kernel constant must be finite, got ${v}`);
  const s = String(Math.abs(v));
  const body = /[.eE]/.test(s) ? s : `${s}.0`;
  return v < 0 || Object.is(v, -0) ? `(-${body})` : body;
}

const MATH: Record<string, string> = {
  exp: 'Math.exp',
  log: 'Math.log',
  sqrt: 'Math.sqrt',
  sin: 'Math.sin',
  cos: 'Math.cos',
  tanh: 'Math.tanh',
  abs: 'Math.abs',
  min: 'Math.min',
  max: 'Math.max',
};

/**
 * A fully parenthesized JavaScript expression in the subset GPU.js compiles (to JS, WebAssembly or WGSL).
 * Only names from `names` and fixed operator/function spellings appear: no user text reaches the output.
 */
export function emitKernelJs(e: Expr, names: EmitNames): string {
  const go = (n: Expr): string => {
    const replaced = names.replace?.(n);
    if (replaced !== undefined) return replaced;
    switch (n.kind) {
      case 'num':
        return floatLiteral(n.value);
      case 'coord':
        return names.coord(n.name);
      case 'param':
        return names.param(n.name);
      case 'neg':
        return `(-${go(n.arg)})`;
      case 'not':
        return `(!${go(n.arg)})`;
      case 'bin': {
        if (n.op === '^') {
          const r = n.right;
          if (r.kind === 'num' && isSmallIntegerPower(r)) {
            const base = go(n.left);
            const prod = `(${Array.from({ length: Math.abs(r.value) }, () => base).join(' * ')})`;
            return r.value > 0 ? prod : `(1.0 / ${prod})`;
          }
          return `Math.pow(${go(n.left)}, ${go(r)})`;
        }
        return `(${go(n.left)} ${n.op} ${go(n.right)})`;
      }
      case 'cmp':
        return `(${go(n.left)} ${n.op === '==' ? '===' : n.op === '!=' ? '!==' : n.op} ${go(n.right)})`;
      case 'logic':
        return `(${go(n.left)} ${n.op === 'and' ? '&&' : '||'} ${go(n.right)})`;
      case 'call':
        if (n.fn === 'sigmoid') return `(1.0 / (1.0 + Math.exp(-${go(n.args[0])})))`;
        return `${MATH[n.fn]}(${n.args.map(go).join(', ')})`;
      case 'if':
        return `(${go(n.cond)} ? ${go(n.then)} : ${go(n.else)})`;
    }
  };
  return go(e);
}

/** The coordinates and parameters an expression reads, leaving out the subtrees `skip` selects. */
export function collectIdentifiers(e: Expr, skip?: (n: Expr) => boolean): { coords: Set<string>; params: Set<string> } {
  const coords = new Set<string>();
  const params = new Set<string>();
  const walk = (n: Expr): void => {
    if (skip?.(n)) return;
    if (n.kind === 'coord') coords.add(n.name);
    else if (n.kind === 'param') params.add(n.name);
    else children(n).forEach(walk);
  };
  walk(e);
  return { coords, params };
}
