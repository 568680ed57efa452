import { collectIdentifiers, emitKernelJs, type Expr } from '../formula/index.js';
import { coordName, type KernelModel } from '../engine/kernel-model.js';
import { floatLiteral } from '../formula/index.js';
import type { FormulaScenario, Scenario } from './scenario.js';
import { findSharedTerms } from './shared-terms.js';

/**
 * The kernel model of a scenario for `particles` particles: a model family's own (its data depend on the
 * particle count), or a formula's, compiled here.
 */
export function toKernelModel(s: Scenario, particles = s.particles): KernelModel {
  return s.kind === 'model' ? s.kernelModel(particles) : formulaKernelModel(s);
}

/**
 * Compiles a scenario's gradient and regions into kernel expressions; parameters are inlined as literals.
 * Costly terms shared by several gradient entries become an auxiliary stage (shared-terms.ts).
 */
function formulaKernelModel(s: FormulaScenario): KernelModel {
  const index = new Map(s.layout.coordinates.map((c, i) => [c, i]));
  const names = {
    coord: (name: string) => coordName(index.get(name)!),
    param: (name: string) => floatLiteral(s.parameters[name]),
  };
  // The coordinates an expression reads, not counting those inside subtrees `skip` marks (hoisted terms).
  const usesOf = (e: Expr, skip?: (n: Expr) => boolean) =>
    [...collectIdentifiers(e, skip).coords].map((c) => index.get(c)!);
  const compile = (e: Expr) => ({ expression: emitKernelJs(e, names), uses: usesOf(e) });
  const regions = s.regions.map((r) => {
    const c = compile(r.expr);
    return { name: r.name, predicate: c.expression, uses: c.uses };
  });
  const texts = new Map<Expr, string>();
  const key = (e: Expr) => texts.get(e) ?? texts.set(e, emitKernelJs(e, names)).get(e)!;
  const shared = findSharedTerms(s.gradient, key);
  const hoisted = (e: Expr) => shared.index.has(e);
  const replace = (e: Expr) => (hoisted(e) ? `aux[${shared.index.get(e)}][p]` : undefined);
  const gradient = s.gradient.map((g, i) => {
    const own = s.layout.coordinates[i];
    const uses = usesOf(g, hoisted);
    return {
      expression: emitKernelJs(g, { ...names, replace }),
      uses,
      // The same text with the own coordinate read as `self` (kernel-source.ts: one branch for a run of them).
      selfForm: {
        expression: emitKernelJs(g, {
          coord: (c) => (c === own ? 'self' : names.coord(c)),
          param: names.param,
          replace,
        }),
        uses: uses.filter((u) => u !== i),
      },
    };
  });
  const model: KernelModel = {
    dimensions: s.layout.coordinates.length,
    gradient: gradient.map((g, i) => {
      const same = (j: number) =>
        j >= 0 &&
        j < gradient.length &&
        gradient[j].selfForm.expression === g.selfForm.expression &&
        String(gradient[j].selfForm.uses) === String(g.selfForm.uses);
      return same(i - 1) || same(i + 1) ? { ...g.selfForm, shared: true } : { expression: g.expression, uses: g.uses };
    }),
    bounds: s.bounds,
    regions,
    target: s.escape ? s.regions.findIndex((r) => r.name === s.escape!.to) : null,
  };
  if (shared.terms.length > 0) {
    model.aux = {
      width: shared.terms.length,
      body: [...shared.terms.map((t, a) => `if (a === ${a}) { return ${key(t)}; }`), 'return 0.0;'].join('\n'),
      uses: [...new Set(shared.terms.flatMap((t) => usesOf(t)))],
    };
  }
  return model;
}
