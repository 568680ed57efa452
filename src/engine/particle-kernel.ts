import { floatLiteral } from '../formula/emit.js';
import { coordName, type KernelModel } from './kernel-model.js';
import { drawsNoise, loads, prelude, reflectCode, sameShared, type StepConstants } from './kernel-source.js';
import { kernelRngSources, NORMAL_KERNEL_CODE } from './rng.js';

/**
 * The step and region kernels of a KernelModel as plain JavaScript that runs particle by particle: for each
 * particle, all K steps of a call in a row on local copies of its coordinates. GPU.js's cpu mode runs one
 * thread per (particle, coordinate) instead, reading every row once per step and recomputing the step's
 * random word in every coordinate's thread; here the coordinates stay in registers and the step word is
 * drawn once per step (then mixed with the slot as every backend does).
 *
 * The text is the kernels' own: the model's expressions, preludes and predicates with `state[i][p]` read
 * from the particle's current copy and `aux[a][p]` from this step's auxiliary values (rounded to float32, as
 * the kernels store them), the same literals and the same order of operations, so the results are the cpu
 * kernels' bit for bit (tested). The code is generated from grokscape's compiled models (never user text,
 * whose formulas reach here only as emitted AST), and built with `new Function` as GPU.js builds its own.
 */
export interface ParticleKernelSources {
  /** Body of (__state, __keys, __base, __k, __out, ztab, data, shared): every particle of the slice, k steps. */
  step: string;
  /** Body of (__state, __out, data, shared): the region index of every particle. */
  region: string;
}

/** Every `name[X][p]` (X may hold brackets itself) as `to[X]`. */
function particleIndexed(code: string, name: string, to: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const at = code.indexOf(`${name}[`, i);
    if (at < 0) return out + code.slice(i);
    const before = at > 0 ? code[at - 1] : ' ';
    let depth = 0;
    let end = at + name.length;
    for (; end < code.length; end++) {
      if (code[end] === '[') depth++;
      else if (code[end] === ']' && --depth === 0) break;
    }
    const index = code.slice(at + name.length + 1, end);
    if (/[\w$.]/.test(before) || code.slice(end + 1, end + 4) !== '[p]') {
      out += code.slice(i, at + name.length);
      i = at + name.length;
      continue;
    }
    out += `${code.slice(i, at)}${to}[${particleIndexed(index, name, to)}]`;
    i = end + 4;
  }
}

/**
 * `state[X][p]` and `aux[X][p]` as the particle's locals. The wrapper's own names start with __, which no
 * model code uses.
 */
function local(code: string): string {
  return particleIndexed(particleIndexed(code, 'state', '__st'), 'aux', '__aux').replaceAll(
    'this.constants.ztab',
    'ztab',
  );
}

const localLoads = (uses: Iterable<number>, indent: string) =>
  local(loads(uses))
    .split('\n')
    .filter(Boolean)
    .map((l) => indent + l.trim())
    .join('\n');

/** Statements that set xi from the slot word of coordinate `slot` (a number, or the loop's `r`). */
function noise(slot: number | 'r', indent: string): string {
  const word = slot === 0 ? 'const zw = __sw;' : `const zw = fmix24(__sw ^ ${slot});`;
  const guarded = slot === 'r' ? 'let zw = __sw;\nif (r > 0) { zw = fmix24(__sw ^ r); }' : word;
  return prelude(`${guarded}\n${local(NORMAL_KERNEL_CODE)}`, indent);
}

function branches(model: KernelModel, c: StepConstants): string {
  const out: string[] = [];
  for (let r = 0; r < model.dimensions; r++) {
    const g = model.gradient[r];
    const amp = g.noiseless ? 0 : Math.sqrt(2 * c.temperature * c.dt);
    const kick = amp === 0 ? '' : ` + ${floatLiteral(amp)} * xi`;
    const reflect = local(reflectCode(model.bounds[r]))
      .split('\n')
      .filter(Boolean)
      .map((l) => `      ${l.trim()}`)
      .join('\n');
    if (!g.shared) {
      out.push(`    {
${localLoads([r, ...g.uses], '      ')}
${amp === 0 ? '' : noise(r, '      ')}${prelude(local(g.prelude ?? ''), '      ')}      let v = ${coordName(r)} - ${floatLiteral(c.dt)} * (${local(g.expression)})${kick};
${reflect}
      __nx[${r}] = Math.fround(v);
    }`);
      continue;
    }
    let hi = r;
    while (hi + 1 < model.dimensions && sameShared(model, r, hi + 1)) hi++;
    out.push(`    for (let r = ${r}; r <= ${hi}; r++) {
      const self = __st[r];
${localLoads(g.uses, '      ')}
${amp === 0 ? '' : noise('r', '      ')}${prelude(local(g.prelude ?? ''), '      ')}      let v = self - ${floatLiteral(c.dt)} * (${local(g.expression)})${kick};
${reflect}
      __nx[r] = Math.fround(v);
    }`);
    r = hi;
  }
  return out.join('\n');
}

/** Helper functions (the generator's cpu fmix24, the model's own) and the auxiliary stage as a function of a. */
function helpers(model: KernelModel): string {
  const fns = [...kernelRngSources('cpu'), ...(model.functions ?? [])].join('\n');
  if (!model.aux) return fns;
  return `${fns}
function auxOf(a, p) {
${localLoads(model.aux.uses, '  ')}
${prelude(local(model.aux.body), '  ')}}`;
}

export function particleKernelSources(model: KernelModel, c: StepConstants): ParticleKernelSources {
  const D = model.dimensions;
  const A = model.aux?.width ?? 0;
  const target = model.target === null ? null : model.regions[model.target];
  const setup = `const __P = __state[0].length;
const __st = new Float64Array(${D});
const __nx = new Float64Array(${D});
const __aux = new Float64Array(${Math.max(A, 1)});
${helpers(model)}`;
  const auxStep = A > 0 ? `    for (let a = 0; a < ${A}; a++) { __aux[a] = Math.fround(auxOf(a, p)); }\n` : '';
  const passage = target
    ? `    if (__passage < 0.0) {
${localLoads(target.uses, '      ')}
${prelude(local(target.prelude ?? ''), '      ')}      if (${local(target.predicate)}) { __passage = __s; }
    }\n`
    : '';
  // The new coordinates become the current ones (unrolled for a few: a call to set costs more than D = 1's step).
  const copy =
    D <= 16
      ? Array.from({ length: D }, (_, i) => `    __st[${i}] = __nx[${i}];`).join('\n')
      : `    for (let i = 0; i < ${D}; i++) { __st[i] = __nx[i]; }`;
  const word = drawsNoise(model, c) ? '    const __sw = fmix24(fmix24(__key0 ^ (__base + __s)) ^ __key1);\n' : '';
  const step = `${setup}
for (let p = 0; p < __P; p++) {
  for (let i = 0; i < ${D}; i++) { __st[i] = __state[i][p]; }
  let __passage = __state[${D}][p];
  const __key0 = __keys[0][p];
  const __key1 = __keys[1][p];
  for (let __s = 0; __s < __k; __s++) {
${auxStep}${passage}${word}${branches(model, c)}
${copy}
  }
  for (let i = 0; i < ${D}; i++) { __out[i][p] = __st[i]; }
  __out[${D}][p] = __passage;
}`;
  const tests = model.regions
    .map(
      (reg, i) => `  {
${localLoads(reg.uses, '    ')}
${prelude(local(reg.prelude ?? ''), '    ')}    if (${local(reg.predicate)}) { __out[p] = ${i}; continue; }
  }`,
    )
    .join('\n');
  const region = `${setup}
for (let p = 0; p < __P; p++) {
  for (let i = 0; i < ${D}; i++) { __st[i] = __state[i][p]; }
${A > 0 ? `  for (let a = 0; a < ${A}; a++) { __aux[a] = Math.fround(auxOf(a, p)); }\n` : ''}${tests}
  __out[p] = ${model.regions.length};
}`;
  return { step, region };
}
