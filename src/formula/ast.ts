/** The formula language's syntax tree. Every node is plain data; nothing here executes. */
export const FUNCTIONS = ['exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'abs', 'min', 'max', 'sigmoid'] as const;
export type FnName = (typeof FUNCTIONS)[number];
export const ARITY: Record<FnName, number> = {
  exp: 1,
  log: 1,
  sqrt: 1,
  sin: 1,
  cos: 1,
  tanh: 1,
  abs: 1,
  sigmoid: 1,
  min: 2,
  max: 2,
};

export type BinOp = '+' | '-' | '*' | '/' | '^';
export type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'coord'; name: string }
  | { kind: 'param'; name: string }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'bin'; op: BinOp; left: Expr; right: Expr }
  | { kind: 'call'; fn: FnName; args: Expr[] }
  | { kind: 'cmp'; op: CmpOp; left: Expr; right: Expr }
  | { kind: 'logic'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; arg: Expr }
  /** A select, produced only by differentiation (min, max, abs): cond ? then : else. */
  | { kind: 'if'; cond: Expr; then: Expr; else: Expr };

export const num = (value: number): Expr => ({ kind: 'num', value });

/** A node's operands, in order: the one listing read-only walks over the tree share. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'num':
    case 'coord':
    case 'param':
      return [];
    case 'neg':
    case 'not':
      return [e.arg];
    case 'bin':
    case 'cmp':
    case 'logic':
      return [e.left, e.right];
    case 'call':
      return e.args;
    case 'if':
      return [e.cond, e.then, e.else];
  }
}
export const isBoolean = (e: Expr): boolean => e.kind === 'cmp' || e.kind === 'logic' || e.kind === 'not';
