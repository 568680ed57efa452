import { coordName, type KernelModel } from './kernel-model.js';
import { floatLiteral } from '../formula/emit.js';
import { NORMAL_KERNEL_CODE } from './rng.js';

/**
 * Sources of the two kernels, generated from a KernelModel and the integrator's constants.
 *
 * step kernel: output [P, D + 1]. Thread (p, r) advances coordinate r of particle p by one
 * Euler-Maruyama (SGLD) step, x <- x - dt grad U(x) + sqrt(2 T dt) xi, reading the previous state;
 * row D tracks first passage: it holds the pass index s at which the particle was first seen in the
 * target region during this call, or -1. A pipeline unrolls K passes into one dispatch.
 *
 * region kernel: output [P]: index of the first region whose predicate holds, or regions.length.
 *
 * aux kernel (models that declare an auxiliary stage): output [P, A], run before every step; the step and
 * region kernels read it as aux[a][p]. Models with constant data get `data` (per-particle, flat) and/or
 * `shared` as trailing arguments of every kernel. A formula landscape has none of these, and its kernels
 * are exactly the two above.
 */

export interface StepConstants {
  dt: number;
  temperature: number;
}

/**
 * Statements that set `xi` to coordinate `coord`'s standard normal at this step: the particle's word at slot
 * `coord` (rng.ts: word, with keys[0][p] its key and keys[1][p] its stream key) through the inverse CDF.
 * `coord` is a number (a coordinate's own branch) or the kernel expression `r` (a shared branch).
 */
function noiseCode(coord: number | 'r'): string {
  const step = 'fmix24(fmix24(keys[0][p] ^ (base + s)) ^ keys[1][p])';
  const word =
    coord === 'r'
      ? `    let zw = ${step};
    if (r > 0) { zw = fmix24(zw ^ r); }`
      : `    const zw = ${coord === 0 ? step : `fmix24(${step} ^ ${coord})`};`;
  return `
${word}
${prelude(NORMAL_KERNEL_CODE, '    ')}`;
}

export function loads(uses: Iterable<number>): string {
  return [...new Set(uses)]
    .sort((a, b) => a - b)
    .map((i) => `    const ${coordName(i)} = state[${i}][p];`)
    .join('\n');
}

/** Trailing kernel parameters for a model's data, in the order the executors pass them. */
export function dataParams(model: KernelModel): string[] {
  const out: string[] = [];
  if (model.data?.perParticle) out.push('data');
  if (model.data?.shared) out.push('shared');
  return out;
}

const params = (names: string[]): string => names.map((n) => `, ${n}`).join('');

export function prelude(code: string | undefined, indent: string): string {
  return code
    ? `${code
        .split('\n')
        .map((l) => indent + l)
        .join('\n')}\n`
    : '';
}

/** Reflection of the new value v at a coordinate's walls (none for an unbounded coordinate). */
export function reflectCode(walls: [number, number] | null): string {
  return walls
    ? `
    if (v < ${floatLiteral(walls[0])}) { v = ${floatLiteral(2 * walls[0])} - v; }
    if (v > ${floatLiteral(walls[1])}) { v = ${floatLiteral(2 * walls[1])} - v; }
    v = Math.min(Math.max(v, ${floatLiteral(walls[0])}), ${floatLiteral(walls[1])});`
    : '';
}

function coordinateBranch(model: KernelModel, r: number, c: StepConstants): string {
  const g = model.gradient[r];
  // Plain gradient descent (temperature 0, allowed only for model families that declare it) and a model's
  // noiseless bookkeeping coordinates draw no noise.
  const amp = g.noiseless ? 0 : Math.sqrt(2 * c.temperature * c.dt);
  const noise = amp === 0 ? '' : noiseCode(r);
  const kick = amp === 0 ? '' : ` + ${floatLiteral(amp)} * xi`;
  const reflect = reflectCode(model.bounds[r]);
  return `  if (r === ${r}) {
${loads([r, ...g.uses])}${noise}
${prelude(g.prelude, '    ')}    let v = ${coordName(r)} - ${floatLiteral(c.dt)} * (${g.expression})${kick};${reflect}
    return v;
  }`;
}

/**
 * One branch for the coordinates lo..hi whose gradient entries are `shared` (identical text reading the
 * thread's coordinate index as `r` and its value as `self`) and whose walls are equal: the kernel's code
 * then grows with the number of distinct entries, not with D (a d-weight model has one branch for w).
 */
function sharedBranch(model: KernelModel, lo: number, hi: number, c: StepConstants): string {
  const g = model.gradient[lo];
  const amp = g.noiseless ? 0 : Math.sqrt(2 * c.temperature * c.dt);
  // The same draws as coordinateBranch: slot r.
  const noise = amp === 0 ? '' : noiseCode('r');
  const kick = amp === 0 ? '' : ` + ${floatLiteral(amp)} * xi`;
  const reflect = reflectCode(model.bounds[lo]);
  return `  if (r >= ${lo} && r <= ${hi}) {
    const self = state[r][p];
${loads(g.uses)}${noise}
${prelude(g.prelude, '    ')}    let v = self - ${floatLiteral(c.dt)} * (${g.expression})${kick};${reflect}
    return v;
  }`;
}

export const sameShared = (model: KernelModel, a: number, b: number): boolean => {
  const x = model.gradient[a];
  const y = model.gradient[b];
  const wa = model.bounds[a];
  const wb = model.bounds[b];
  return (
    !!x.shared &&
    !!y.shared &&
    !!x.noiseless === !!y.noiseless &&
    x.expression === y.expression &&
    x.prelude === y.prelude &&
    String(x.uses) === String(y.uses) &&
    String(wa) === String(wb)
  );
};

/** Whether the step kernel draws noise (and so reads the normal table): some coordinate is kicked at T > 0. */
export function drawsNoise(model: KernelModel, c: StepConstants): boolean {
  return c.temperature > 0 && model.gradient.some((g) => !g.noiseless);
}

export function stepKernelSource(model: KernelModel, c: StepConstants): string {
  const d = model.dimensions;
  const branches: string[] = [];
  for (let r = 0; r < d; r++) {
    if (!model.gradient[r].shared) {
      branches.push(coordinateBranch(model, r, c));
      continue;
    }
    let hi = r;
    while (hi + 1 < d && sameShared(model, r, hi + 1)) hi++;
    branches.push(sharedBranch(model, r, hi, c));
    r = hi;
  }
  const target = model.target === null ? null : model.regions[model.target];
  const passage = target
    ? `${loads(target.uses)}
${prelude(target.prelude, '  ')}  if (${target.predicate}) { return s; }
  return -1.0;`
    : '  return -1.0;';
  const extra = [...(model.aux ? ['aux'] : []), ...dataParams(model)];
  return `function sgldStep(state, keys, base, s${params(extra)}) {
  const p = this.thread.x;
  const r = this.thread.y;
${branches.join('\n')}
  const prev = state[${d}][p];
  if (prev >= 0.0) { return prev; }
${passage}
}`;
}

export function regionKernelSource(model: KernelModel): string {
  const uses = model.regions.flatMap((reg) => reg.uses);
  const tests = model.regions.map((reg, i) => `  if (${reg.predicate}) { return ${i}.0; }`).join('\n');
  const extra = [...(model.aux ? ['aux'] : []), ...dataParams(model)];
  const preludes = model.regions.map((reg) => prelude(reg.prelude, '  ')).join('');
  return `function regionOf(state${params(extra)}) {
  const p = this.thread.x;
${loads(uses).replaceAll('    ', '  ')}
${preludes}${tests}
  return ${model.regions.length}.0;
}`;
}

/** The auxiliary stage's kernel, or null for a model without one. Thread (p, a): value a of particle p. */
export function auxKernelSource(model: KernelModel): string | null {
  if (!model.aux) return null;
  return `function auxOf(state${params(dataParams(model))}) {
  const p = this.thread.x;
  const a = this.thread.y;
${loads(model.aux.uses).replaceAll('    ', '  ')}
${prelude(model.aux.body, '  ')}}`;
}
