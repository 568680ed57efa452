import { ARITY, FUNCTIONS, isBoolean, type CmpOp, type Expr, type FnName } from './ast.js';
import { FormulaError } from './errors.js';
import { tokenize, type Token } from './tokenize.js';

export interface FormulaScope {
  coordinates: string[];
  /** Parameter names (values are not needed to parse). */
  parameters: Record<string, number> | string[];
  /** Vector blocks: block name -> element coordinate names (y -> y1..y16). */
  vectors: Record<string, string[]>;
  /**
   * Named quantities: an identifier that stands for an already parsed formula (a built-in family's order
   * parameters, such as the parallelogram family's `rqi`). Values only; they read coordinates and parameters.
   */
  definitions?: Record<string, Expr>;
}

export const MAX_DEPTH = 200;
const KEYWORDS = new Set(['and', 'or', 'not', 'sum', 'ind']);
const CMP = new Set(['<', '<=', '>', '>=', '==', '!=']);

/** "x, y1..y16" rather than seventeen names. */
function describeNames(scope: FormulaScope): string {
  const inBlock = new Set(Object.values(scope.vectors).flat());
  const coords = scope.coordinates.filter((c) => !inBlock.has(c));
  for (const [b, names] of Object.entries(scope.vectors)) coords.push(`${names[0]}..${names.at(-1)} (block ${b})`);
  const params = Array.isArray(scope.parameters) ? scope.parameters : Object.keys(scope.parameters);
  const list = (xs: string[]) => (xs.length > 8 ? `${xs.slice(0, 8).join(', ')}, ...` : xs.join(', ') || 'none');
  const defs = Object.keys(scope.definitions ?? {});
  return `coordinates ${list(coords)}; parameters ${list(params)}${defs.length ? `; quantities ${list(defs)}` : ''}; functions ${FUNCTIONS.join(', ')}, sum, ind`;
}

class Parser {
  private i = 0;
  private depth = 0;
  private readonly coords: Set<string>;
  private readonly params: Set<string>;
  private readonly vectors: Map<string, string[]>;
  /** Inside sum(): the block it ranges over, once seen. */
  private sumBlock: { name: string | null } | null = null;

  constructor(
    private readonly tokens: Token[],
    private readonly scope: FormulaScope,
  ) {
    this.coords = new Set(scope.coordinates);
    this.params = new Set(Array.isArray(scope.parameters) ? scope.parameters : Object.keys(scope.parameters));
    this.vectors = new Map(Object.entries(scope.vectors));
  }

  private get tok(): Token {
    return this.tokens[this.i];
  }

  private fail(message: string, t: Token = this.tok): never {
    throw new FormulaError(`${message} at column ${t.pos}`, t.pos, t.text);
  }

  private isOp(text: string): boolean {
    return this.tok.type === 'op' && this.tok.text === text;
  }

  private isWord(text: string): boolean {
    return this.tok.type === 'id' && this.tok.text === text;
  }

  private expect(text: string): void {
    if (!this.isOp(text)) this.fail(`expected '${text}' but found '${this.tok.text}'`);
    this.i++;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`formula nests deeper than ${MAX_DEPTH} levels`);
  }

  private numeric(e: Expr, t: Token, what: string): Expr {
    if (isBoolean(e)) this.fail(`${what} needs a number, not a comparison or logic,`, t);
    return e;
  }

  private logical(e: Expr, t: Token, what: string): Expr {
    if (!isBoolean(e)) this.fail(`${what} needs a comparison or logic, not a number,`, t);
    return e;
  }

  parseTop(mode: 'value' | 'predicate'): Expr {
    const start = this.tok;
    const e = this.or();
    if (this.tok.type !== 'end') this.fail(`unexpected '${this.tok.text}'`);
    if (mode === 'value' && isBoolean(e))
      this.fail('expected a number-valued formula but found a comparison or logic', start);
    if (mode === 'predicate' && !isBoolean(e))
      this.fail(
        'expected a condition (a comparison such as x < 0, joined by and/or) but found a number-valued formula',
        start,
      );
    return e;
  }

  private or(): Expr {
    this.enter();
    let left = this.and();
    while (this.isWord('or')) {
      const t = this.tok;
      this.i++;
      const right = this.and();
      left = { kind: 'logic', op: 'or', left: this.logical(left, t, "'or'"), right: this.logical(right, t, "'or'") };
    }
    this.depth--;
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord('and')) {
      const t = this.tok;
      this.i++;
      const right = this.not();
      left = { kind: 'logic', op: 'and', left: this.logical(left, t, "'and'"), right: this.logical(right, t, "'and'") };
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord('not')) {
      const t = this.tok;
      this.i++;
      this.enter();
      const arg = this.not();
      this.depth--;
      return { kind: 'not', arg: this.logical(arg, t, "'not'") };
    }
    return this.cmp();
  }

  private cmp(): Expr {
    const left = this.add();
    if (this.tok.type === 'op' && CMP.has(this.tok.text)) {
      const t = this.tok;
      this.i++;
      const right = this.add();
      if (this.tok.type === 'op' && CMP.has(this.tok.text))
        this.fail(`comparisons do not chain: use 'and' for '${this.tok.text}'`);
      const op = t.text as CmpOp;
      return { kind: 'cmp', op, left: this.numeric(left, t, `'${op}'`), right: this.numeric(right, t, `'${op}'`) };
    }
    return left;
  }

  /** A left-associative level of arithmetic operators over the next-tighter level. */
  private leftAssociative(ops: readonly ('+' | '-' | '*' | '/')[], next: () => Expr): Expr {
    let left = next();
    while (ops.some((op) => this.isOp(op))) {
      const t = this.tok;
      this.i++;
      const right = next();
      const op = t.text as '+' | '-' | '*' | '/';
      left = { kind: 'bin', op, left: this.numeric(left, t, `'${op}'`), right: this.numeric(right, t, `'${op}'`) };
    }
    return left;
  }

  private add(): Expr {
    return this.leftAssociative(['+', '-'], () => this.mul());
  }

  private mul(): Expr {
    return this.leftAssociative(['*', '/'], () => this.unary());
  }

  private unary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.tok;
      this.i++;
      this.enter();
      const arg = this.numeric(this.unary(), t, 'unary minus');
      this.depth--;
      return t.text === '-' ? { kind: 'neg', arg } : arg;
    }
    return this.pow();
  }

  private pow(): Expr {
    const base = this.primary();
    if (this.isOp('^')) {
      const t = this.tok;
      this.i++;
      this.enter();
      const exponent = this.unary();
      this.depth--;
      return { kind: 'bin', op: '^', left: this.numeric(base, t, "'^'"), right: this.numeric(exponent, t, "'^'") };
    }
    return base;
  }

  private primary(): Expr {
    const t = this.tok;
    if (t.type === 'num') {
      this.i++;
      return { kind: 'num', value: t.value };
    }
    if (this.isOp('(')) {
      this.i++;
      this.enter();
      const e = this.or();
      this.depth--;
      this.expect(')');
      return e;
    }
    if (t.type === 'id') {
      this.i++;
      if (this.isOp('(')) return this.call(t);
      return this.identifier(t);
    }
    if (t.type === 'end') this.fail('the formula ends too early: expected a number, a name or (');
    if (t.text === '*' && this.tokens[this.i - 1]?.text === '*')
      return this.fail("unexpected '*' (powers are written ^, e.g. x^2)");
    return this.fail(`unexpected '${t.text}'`);
  }

  private identifier(t: Token): Expr {
    const name = t.text;
    if (KEYWORDS.has(name)) this.fail(`'${name}' cannot be used as a value`, t);
    if (this.sumBlock && this.vectors.has(name)) {
      if (this.sumBlock.name !== null && this.sumBlock.name !== name) {
        this.fail(
          `sum() ranges over one block, but '${name}' is a second one (the first was '${this.sumBlock.name}')`,
          t,
        );
      }
      this.sumBlock.name = name;
      return { kind: 'coord', name: `\u0000${name}` }; // placeholder, expanded by sum()
    }
    if (this.coords.has(name)) return { kind: 'coord', name };
    if (this.params.has(name)) return { kind: 'param', name };
    if (this.scope.definitions && Object.hasOwn(this.scope.definitions, name)) return this.scope.definitions[name];
    if (this.vectors.has(name)) this.fail(`'${name}' is a vector block: use it inside sum(), e.g. sum(${name}^2)`, t);
    return this.fail(`unknown identifier '${name}' (allowed: ${describeNames(this.scope)})`, t);
  }

  private call(t: Token): Expr {
    const name = t.text;
    if (name === 'sum') return this.sum(t);
    if (name === 'ind') return this.indicator(t);
    if (!(FUNCTIONS as readonly string[]).includes(name)) {
      this.fail(`unknown function '${name}' (functions: ${FUNCTIONS.join(', ')}, sum, ind)`, t);
    }
    const fn = name as FnName;
    this.expect('(');
    this.enter();
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.numeric(this.or(), t, `${fn}()`));
        if (!this.isOp(',')) break;
        this.i++;
      }
    }
    this.depth--;
    this.expect(')');
    if (args.length !== ARITY[fn])
      this.fail(`${fn}() takes ${ARITY[fn]} argument${ARITY[fn] > 1 ? 's' : ''}, got ${args.length},`, t);
    return { kind: 'call', fn, args };
  }

  /**
   * ind(condition): 1 where the condition holds, else 0, so that conditions can be counted (a fraction of
   * satisfied constraints, e.g. RQI). A select node: its derivative is 0 almost everywhere.
   */
  private indicator(t: Token): Expr {
    this.expect('(');
    this.enter();
    const cond = this.logical(this.or(), t, 'ind()');
    this.depth--;
    this.expect(')');
    return { kind: 'if', cond, then: { kind: 'num', value: 1 }, else: { kind: 'num', value: 0 } };
  }

  private sum(t: Token): Expr {
    if (this.sumBlock) this.fail('sum() cannot be nested', t);
    this.expect('(');
    this.sumBlock = { name: null };
    this.enter();
    const body = this.numeric(this.or(), t, 'sum()');
    this.depth--;
    const block = this.sumBlock.name;
    this.sumBlock = null;
    this.expect(')');
    if (block === null)
      this.fail(`sum() must range over a vector block (blocks: ${[...this.vectors.keys()].join(', ') || 'none'})`, t);
    const terms = this.vectors.get(block)!.map((c) => substitute(body, `\u0000${block}`, c));
    return balancedSum(terms);
  }
}

/** a + b + ... as a balanced tree, so long sums do not make deep recursion. */
export function balancedSum(terms: Expr[]): Expr {
  if (terms.length === 1) return terms[0];
  const mid = terms.length >> 1;
  return { kind: 'bin', op: '+', left: balancedSum(terms.slice(0, mid)), right: balancedSum(terms.slice(mid)) };
}

function substitute(e: Expr, placeholder: string, name: string): Expr {
  switch (e.kind) {
    case 'num':
    case 'param':
      return e;
    case 'coord':
      return e.name === placeholder ? { kind: 'coord', name } : e;
    case 'neg':
    case 'not':
      return { ...e, arg: substitute(e.arg, placeholder, name) };
    case 'bin':
    case 'cmp':
    case 'logic':
      return {
        ...e,
        left: substitute(e.left, placeholder, name),
        right: substitute(e.right, placeholder, name),
      } as Expr;
    case 'call':
      return { ...e, args: e.args.map((a) => substitute(a, placeholder, name)) };
    case 'if':
      return {
        kind: 'if',
        cond: substitute(e.cond, placeholder, name),
        then: substitute(e.then, placeholder, name),
        else: substitute(e.else, placeholder, name),
      };
  }
}

/**
 * Parses a formula of the whitelisted language. `value` formulas are numbers (potentials, observables);
 * `predicate` formulas are conditions (regions). Throws FormulaError (one line, token and column).
 */
export function parseFormula(text: string, scope: FormulaScope, mode: 'value' | 'predicate'): Expr {
  if (typeof text !== 'string') throw new FormulaError(`a formula must be a string, got ${typeof text}`, 1, '');
  return new Parser(tokenize(text), scope).parseTop(mode);
}
