import { children, isBoolean, isSmallIntegerPower, type Expr } from '../formula/index.js';

/**
 * Costly subexpressions that several gradient entries share, to be computed once per particle-step in the
 * kernels' auxiliary stage instead of once per coordinate thread. A 16-mode funnel's 16 transverse entries
 * all contain `kappa(s)`, whose sigmoid is an exponential: hoisted, a particle-step computes 2 exponentials
 * instead of 18 (BENCHMARKS.md). Calls of transcendental functions count as costly, and so does arithmetic
 * of at least LARGE_ARITHMETIC operations: a few operations are cheaper to recompute than an extra kernel
 * pass and a float32 round trip, but the parallelogram family's quadratic form E^T A E (55 products) and its
 * normalizer Z, which every one of its ten gradient entries contains, are not (BENCHMARKS.md, issue 20).
 */
export interface SharedTerms {
  /** The hoisted subexpressions; auxiliary value a is terms[a]. */
  terms: Expr[];
  /** The aux index of a node of the gradient trees that is replaced by its term, by node identity. */
  index: Map<Expr, number>;
}

const COSTLY_CALLS = new Set(['exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid']);

/**
 * Arithmetic operations (as emitted: x^3 is two products) from which a polynomial subexpression alone is
 * worth an auxiliary value. Large enough that the shipped landscapes' short polynomials stay inline.
 */
export const LARGE_ARITHMETIC = 16;

/**
 * Finds the largest costly subexpressions (by their emitted text `key`) that appear in at least two gradient
 * entries and read a coordinate. A term used by fewer than two entries once larger terms are taken (all its
 * other occurrences lie inside them) is dropped and the walk repeated, so every hoisted term saves work.
 */
export function findSharedTerms(gradient: Expr[], key: (e: Expr) => string): SharedTerms {
  const costly = new Map<Expr, boolean>();
  const readsCoord = new Map<Expr, boolean>();
  const operations = new Map<Expr, number>();
  const classify = (n: Expr): void => {
    const cs = children(n);
    cs.forEach(classify);
    const own =
      n.kind === 'bin' && n.op === '^' && isSmallIntegerPower(n.right)
        ? Math.abs((n.right as { value: number }).value) - 1
        : n.kind === 'bin' || n.kind === 'neg'
          ? 1
          : 0;
    operations.set(
      n,
      cs.reduce((sum, c) => sum + operations.get(c)!, own),
    );
    costly.set(
      n,
      (n.kind === 'call' && COSTLY_CALLS.has(n.fn)) ||
        (n.kind === 'bin' && n.op === '^' && !isSmallIntegerPower(n.right)) ||
        operations.get(n)! >= LARGE_ARITHMETIC ||
        cs.some((c) => costly.get(c)),
    );
    readsCoord.set(n, n.kind === 'coord' || cs.some((c) => readsCoord.get(c)));
  };
  gradient.forEach(classify);
  const mayContain = (n: Expr) => costly.get(n)! && readsCoord.get(n)!;
  // Auxiliary values are floats: a condition (exp(x) > exp(y) under a select) stays inline, its operands may go.
  const candidate = (n: Expr) => mayContain(n) && n.kind !== 'coord' && !isBoolean(n);

  // In how many entries each costly text occurs.
  const entriesOf = new Map<string, number>();
  gradient.forEach((g) => {
    const seen = new Set<string>();
    const walk = (n: Expr): void => {
      if (!mayContain(n)) return;
      if (candidate(n)) seen.add(key(n));
      children(n).forEach(walk);
    };
    walk(g);
    for (const k of seen) entriesOf.set(k, (entriesOf.get(k) ?? 0) + 1);
  });

  const dropped = new Set<string>();
  for (;;) {
    const uses = new Map<string, { entries: Set<number>; nodes: Expr[] }>();
    gradient.forEach((g, i) => {
      const walk = (n: Expr): void => {
        if (!mayContain(n)) return;
        const k = key(n);
        if (candidate(n) && (entriesOf.get(k) ?? 0) >= 2 && !dropped.has(k)) {
          const u = uses.get(k) ?? { entries: new Set<number>(), nodes: [] };
          u.entries.add(i);
          u.nodes.push(n);
          uses.set(k, u);
          return;
        }
        children(n).forEach(walk);
      };
      walk(g);
    });
    const lonely = [...uses].filter(([, u]) => u.entries.size < 2).map(([k]) => k);
    if (lonely.length === 0) {
      const terms: Expr[] = [];
      const index = new Map<Expr, number>();
      for (const u of uses.values()) {
        for (const n of u.nodes) index.set(n, terms.length);
        terms.push(u.nodes[0]);
      }
      return { terms, index };
    }
    lonely.forEach((k) => {
      dropped.add(k);
    });
  }
}
