import { collectIdentifiers, emitKernelJs, type Expr } from '../formula/index.js';
import { coordName, type KernelModel } from '../engine/kernel-model.js';
import { floatLiteral } from '../formula/index.js';
import type { Scenario } from './scenario.js';

/** Compiles a scenario's gradient and regions into kernel expressions; parameters are inlined as literals. */
export function toKernelModel(s: Scenario): KernelModel {
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
