import { collectIdentifiers, emitKernelJs, type Expr } from '../formula/index.js';
import { coordName, type KernelModel } from '../engine/kernel-model.js';
import { floatLiteral } from '../formula/index.js';
import type { FormulaScenario, Scenario } from './scenario.js';

/**
 * The kernel model of a scenario for `particles` particles: a model family's own (its data depend on the
 * particle count), or a formula's, compiled here.
 */
export function toKernelModel(s: Scenario, particles = s.particles): KernelModel {
  return s.kind === 'model' ? s.kernelModel(particles) : formulaKernelModel(s);
}

/** Compiles a scenario's gradient and regions into kernel expressions; parameters are inlined as literals. */
function formulaKernelModel(s: FormulaScenario): KernelModel {
  const index = new Map(s.layout.coordinates.map((c, i) => [c, i]));
  const names = {
    coord: (name: string) => coordName(index.get(name)!),
    param: (name: string) => floatLiteral(s.parameters[name]),
  };
  const compile = (e: Expr) => ({
    expression: emitKernelJs(e, names),
    uses: [...collectIdentifiers(e).coords].map((c) => index.get(c)!),
  });
  const regions = s.regions.map((r) => {
    const c = compile(r.expr);
    return { name: r.name, predicate: c.expression, uses: c.uses };
  });
  return {
    dimensions: s.layout.coordinates.length,
    gradient: s.gradient.map(compile),
    bounds: s.bounds,
    regions,
    target: s.escape ? s.regions.findIndex((r) => r.name === s.escape!.to) : null,
  };
}
