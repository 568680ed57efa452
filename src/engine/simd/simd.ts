import { moduleBytes, type WasmFunction } from './wasm-encoder.js';
import { F32, I32, V128, op } from './wasm-encoder.js';

/**
 * Float32 matrix-vector products in WebAssembly SIMD (f32x4), for model programs (particle-program.ts):
 * the inner loops over a particle's data that BLAS runs for a NumPy user. Built here from a few hundred
 * bytes of instructions (wasm-encoder.ts), so nothing is downloaded or compiled at install time.
 *
 * Memory is one WebAssembly memory of float32, sized at creation; addresses in this API are float indices. A matrix has a
 * multiple of 4 rows and of 4 columns and starts on a 16-byte boundary (padTo4: callers pad with zero rows
 * and columns). Each lane of a product accumulates in float32 in column order and the four lanes are added
 * at the end, so a sum differs from a float64 one by float32 rounding (relative ~1e-7 per term).
 */

/** Rows padded to a multiple of the SIMD width. */
export const padTo4 = (n: number): number => Math.ceil(n / 4) * 4;

// Both products take rows in groups of four (rows a multiple of 4): four independent accumulators, and each
// load of the shared vector serves four rows.

// Instruction runs the three functions share.
/** local `at` = local `base` + local `count` * 4 (the end of `count` floats). */
const endOf = (base: number, count: number, at: number) => [
  ...op.get(base),
  ...op.get(count),
  ...op.i32(2),
  ...op.shl,
  ...op.add,
  ...op.set(at),
];
/** local `ptr` += 16, and loop again while it is below local `end`. */
const nextChunk = (ptr: number, end: number) => [
  ...op.get(ptr),
  ...op.i32(16),
  ...op.add,
  ...op.tee(ptr),
  ...op.get(end),
  ...op.ltU,
  ...op.brIf(0),
];
/** locals `rows[0..2]` = rows 1-3 of the group that starts at local 0, `rowBytes` (local 4) apart. */
const groupRows = (rows: [number, number, number]) => [
  ...op.get(0),
  ...op.get(4),
  ...op.add,
  ...op.tee(rows[0]),
  ...op.get(4),
  ...op.add,
  ...op.tee(rows[1]),
  ...op.get(4),
  ...op.add,
  ...op.set(rows[2]),
];
/** local 0 = the row after the group's last (local `last`). */
const nextGroup = (last: number) => [...op.get(last), ...op.get(4), ...op.add, ...op.set(0)];

// gemv(x, w, out, rows, rowBytes): out[i] = sum_j x[i][j] w[j] (addresses in bytes).
const GEMV: WasmFunction = {
  name: 'gemv',
  params: [I32, I32, I32, I32, I32],
  locals: [
    [1, I32], // 5: j (bytes)
    [4, V128], // 6-9: accumulators of rows 0-3 of the group
    [1, V128], // 10: w[j..j+3]
    [1, I32], // 11: end of out
    [3, I32], // 12-14: rows 1-3 of the group
  ],
  body: [
    ...endOf(2, 3, 11),
    ...[...op.block, ...op.get(3), ...op.eqz, ...op.brIf(0)],
    ...op.loop,
    ...groupRows([12, 13, 14]),
    ...[6, 7, 8, 9].flatMap((a) => [...op.vZero, ...op.set(a)]),
    ...[...op.i32(0), ...op.set(5)],
    ...op.loop,
    ...[...op.get(1), ...op.get(5), ...op.add, ...op.vLoad, ...op.set(10)],
    ...[0, 12, 13, 14].flatMap((row, k) => [
      ...op.get(6 + k),
      ...op.get(row),
      ...op.get(5),
      ...op.add,
      ...op.vLoad,
      ...op.get(10),
      ...op.vMul,
      ...op.vAdd,
      ...op.set(6 + k),
    ]),
    ...nextChunk(5, 4),
    ...op.end,
    ...[0, 1, 2, 3].flatMap((k) => [
      ...op.get(2),
      ...op.get(6 + k),
      ...op.lane(0),
      ...op.get(6 + k),
      ...op.lane(1),
      ...op.fAdd,
      ...op.get(6 + k),
      ...op.lane(2),
      ...op.fAdd,
      ...op.get(6 + k),
      ...op.lane(3),
      ...op.fAdd,
      ...op.fStoreAt(4 * k),
    ]),
    ...nextGroup(14),
    ...nextChunk(2, 11),
    ...op.end,
    ...op.end,
  ],
};

// gemvt(x, s, out, rows, rowBytes): out[j] = sum_i s[i] x[i][j], out zeroed first.
const GEMVT: WasmFunction = {
  name: 'gemvt',
  params: [I32, I32, I32, I32, I32],
  locals: [
    [1, I32], // 5: j (bytes)
    [4, V128], // 6-9: s[i] of rows 0-3 of the group, in every lane
    [1, I32], // 10: end of s
    [3, I32], // 11-13: rows 1-3 of the group
  ],
  body: [
    ...[...op.i32(0), ...op.set(5)],
    ...[...op.block, ...op.get(4), ...op.eqz, ...op.brIf(0)],
    ...op.loop,
    ...[...op.get(2), ...op.get(5), ...op.add, ...op.vZero, ...op.vStore],
    ...nextChunk(5, 4),
    ...op.end,
    ...op.end,
    ...endOf(1, 3, 10),
    ...[...op.block, ...op.get(3), ...op.eqz, ...op.brIf(0), ...op.get(4), ...op.eqz, ...op.brIf(0)],
    ...op.loop,
    ...groupRows([11, 12, 13]),
    ...[0, 1, 2, 3].flatMap((k) => [...op.get(1), ...op.fLoadAt(4 * k), ...op.splat, ...op.set(6 + k)]),
    ...[...op.i32(0), ...op.set(5)],
    ...op.loop,
    ...[...op.get(2), ...op.get(5), ...op.add],
    ...[...op.get(2), ...op.get(5), ...op.add, ...op.vLoad],
    ...[0, 11, 12, 13].flatMap((row, k) => [
      ...op.get(6 + k),
      ...op.get(row),
      ...op.get(5),
      ...op.add,
      ...op.vLoad,
      ...op.vMul,
      ...op.vAdd,
    ]),
    ...op.vStore,
    ...nextChunk(5, 4),
    ...op.end,
    ...nextGroup(13),
    ...nextChunk(1, 10),
    ...op.end,
    ...op.end,
  ],
};

// logistic(in, out, count, b): out[i] = 1 / (1 + exp(in[i] + b)), count a multiple of 4. exp in float32
// as Cephes' expf (range reduction by ln 2 in two parts, a degree-5 minimax polynomial; about 1 ulp), the
// argument clamped to [-87.3, 88], where 2^k stays a normal float32: V8's Math.exp costs 20-30 ns a call,
// this about 1 ns, and the loss weights are float32 values in the kernels too.
const EXP_POLY = [1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
const LOGISTIC: WasmFunction = {
  name: 'logistic',
  params: [I32, I32, I32, F32],
  locals: [
    [1, I32], // 4: end of in
    [3, V128], // 5: v = the argument, 6: k = round(v / ln 2), 7: the polynomial
  ],
  body: [
    ...endOf(0, 2, 4),
    ...[...op.block, ...op.get(2), ...op.eqz, ...op.brIf(0)],
    ...op.loop,
    ...[...op.get(0), ...op.vLoad, ...op.get(3), ...op.splat, ...op.vAdd],
    ...[...op.vConst(-87.3), ...op.vMax, ...op.vConst(88), ...op.vMin, ...op.tee(5)],
    ...[...op.vConst(Math.LOG2E), ...op.vMul, ...op.vNearest, ...op.set(6)],
    ...[...op.get(5), ...op.get(6), ...op.vConst(0.693359375), ...op.vMul, ...op.vSub],
    ...[...op.get(6), ...op.vConst(-2.1219444e-4), ...op.vMul, ...op.vSub, ...op.set(5)],
    ...op.vConst(EXP_POLY[0]),
    ...EXP_POLY.slice(1).flatMap((c) => [...op.get(5), ...op.vMul, ...op.vConst(c), ...op.vAdd]),
    ...[...op.get(5), ...op.vMul, ...op.get(5), ...op.vMul, ...op.get(5), ...op.vAdd, ...op.vConst(1), ...op.vAdd],
    ...[...op.get(6), ...op.vTruncToInt, ...op.vConstInt(127), ...op.intAdd, ...op.i32(23), ...op.intShl, ...op.vMul],
    ...[
      ...op.set(7),
      ...op.get(1),
      ...op.vConst(1),
      ...op.vConst(1),
      ...op.get(7),
      ...op.vAdd,
      ...op.vDiv,
      ...op.vStore,
    ],
    ...[...op.get(1), ...op.i32(16), ...op.add, ...op.set(1)],
    ...nextChunk(0, 4),
    ...op.end,
    ...op.end,
  ],
};

const BYTES = moduleBytes([GEMV, GEMVT, LOGISTIC]);
let compiled: WebAssembly.Module | null = null;

/** Whether this runtime runs WebAssembly SIMD (Node 16.4 and later do). */
export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(BYTES);
}

type Product = (x: number, v: number, out: number, rows: number, rowBytes: number) => void;
type Logistic = (input: number, out: number, count: number, b: number) => void;

/** The float32 memory limit of one instance (WebAssembly's 32-bit addresses: 4 GiB). */
export const MAX_FLOATS = 2 ** 30 - 2 ** 14;

/**
 * Offsets of consecutive arrays of `sizes` floats, each on a 16-byte boundary, and the floats they span:
 * how a program lays out its scratch before the memory exists.
 */
export function carve(sizes: number[]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const n of sizes) {
    offsets.push(total);
    total = padTo4(total + n);
  }
  return { offsets, total };
}

/**
 * One instance over a memory of fixed size: it never grows, because growing detaches the old buffer, and
 * one detached buffer makes V8 check every typed-array access in the process from then on (25% slower
 * loops, measured).
 */
export class Simd {
  private readonly gemvFn: Product;
  private readonly gemvtFn: Product;
  private readonly logisticFn: Logistic;
  /** The whole memory as float32 (zeroed at the start). */
  readonly f32: Float32Array;

  constructor(floats: number) {
    if (!(floats <= MAX_FLOATS))
      throw new RangeError(`${floats} floats is more than one WebAssembly memory holds (${MAX_FLOATS})`);
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((floats * 4) / 65536)) });
    compiled ??= new WebAssembly.Module(BYTES);
    const instance = new WebAssembly.Instance(compiled, { env: { mem: memory } });
    const e = instance.exports as { gemv: Product; gemvt: Product; logistic: Logistic };
    this.gemvFn = e.gemv;
    this.gemvtFn = e.gemvt;
    this.logisticFn = e.logistic;
    this.f32 = new Float32Array(memory.buffer);
  }

  /** out[i] = sum_j x[i][j] w[j] for `rows` rows of `cols` floats at float index x (both multiples of 4). */
  gemv(x: number, w: number, out: number, rows: number, cols: number): void {
    this.gemvFn(x * 4, w * 4, out * 4, rows, cols * 4);
  }

  /** out[j] = sum_i s[i] x[i][j] (rows and cols multiples of 4). */
  gemvt(x: number, s: number, out: number, rows: number, cols: number): void {
    this.gemvtFn(x * 4, s * 4, out * 4, rows, cols * 4);
  }

  /** out[i] = 1 / (1 + exp(input[i] + b)) in float32 (about 1 ulp) for `count` values, a multiple of 4. */
  logistic(input: number, out: number, count: number, b: number): void {
    this.logisticFn(input * 4, out * 4, count, b);
  }
}
