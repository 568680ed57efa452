/**
 * The few pieces of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/) that
 * simd.ts needs: a module of functions over one exported memory, and the instructions they use.
 */

export const I32 = 0x7f;
export const V128 = 0x7b;
export const F32 = 0x7d;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};

const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => vector([...s].map((c) => [c.charCodeAt(0)]));
const SIMD = 0xfd;
const f32Bytes = (v: number): Uint8Array => new Uint8Array(Float32Array.of(v).buffer);
const i32Bytes = (v: number): Uint8Array => new Uint8Array(Int32Array.of(v).buffer);

/** Instructions, each as its bytes. Memory accesses: offset 0, natural alignment. */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)],
  add: [0x6a],
  shl: [0x74],
  ltU: [0x49],
  eqz: [0x45],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  fLoadAt: (offset: number) => [0x2a, 2, ...uleb(offset)],
  fStoreAt: (offset: number) => [0x38, 2, ...uleb(offset)],
  fAdd: [0x92],
  vLoad: [SIMD, 0x00, 4, 0],
  vStore: [SIMD, 0x0b, 4, 0],
  vZero: [SIMD, 0x0c, ...new Array<number>(16).fill(0)],
  splat: [SIMD, 0x13],
  lane: (l: number) => [SIMD, 0x1f, l],
  vAdd: [SIMD, ...uleb(0xe4)],
  vSub: [SIMD, ...uleb(0xe5)],
  vMul: [SIMD, ...uleb(0xe6)],
  vDiv: [SIMD, ...uleb(0xe7)],
  vMin: [SIMD, ...uleb(0xe8)],
  vMax: [SIMD, ...uleb(0xe9)],
  vNearest: [SIMD, ...uleb(0x6a)],
  /** f32x4 -> i32x4, truncating (saturating). */
  vTruncToInt: [SIMD, ...uleb(0xf8)],
  intAdd: [SIMD, ...uleb(0xae)],
  /** i32x4 shifted left by the i32 on top of the stack. */
  intShl: [SIMD, ...uleb(0xab)],
  /** The float32 value v in every lane. */
  vConst: (v: number) => [SIMD, 0x0c, ...new Array<number>(4).fill(0).flatMap(() => [...f32Bytes(v)])],
  /** The int32 value v in every lane. */
  vConstInt: (v: number) => [SIMD, 0x0c, ...new Array<number>(4).fill(0).flatMap(() => [...i32Bytes(v)])],
};

export interface WasmFunction {
  name: string;
  /** Parameter types; no results. */
  params: number[];
  /** Local declarations: [count, type]. */
  locals: [number, number][];
  /** Instructions, without the function's final `end`. */
  body: number[];
}

/** A module importing one memory as env.mem and exporting these functions under their names. */
export function moduleBytes(fns: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(fns.map((f) => [0x60, ...vector(f.params.map((t) => [t])), 0]))),
    ...section(2, vector([[...name('env'), ...name('mem'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vector(fns.map((_, i) => uleb(i)))),
    ...section(7, vector(fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(
      10,
      vector(
        fns.map((f) => {
          const body = [...vector(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.body, ...op.end];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
  ];
  return new Uint8Array(bytes);
}
