import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What Dawn says of the adapter it would hand GPU.js (GPUAdapterInfo, plus isFallbackAdapter). */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  fallback: boolean;
}

export interface WebGpuProbe {
  ok: boolean;
  reason: string;
  adapter?: AdapterInfo;
}

/**
 * A software rasterizer (Mesa's llvmpipe/lavapipe, SwiftShader, WARP) runs WGSL on the CPU through LLVM:
 * good for testing the WebGPU kernels, 3-8x slower than the cpu backend for every workload measured
 * (BENCHMARKS.md), so `auto` never takes one.
 */
export function isSoftwareAdapter(a: AdapterInfo): boolean {
  return (
    a.fallback ||
    a.architecture === 'software' ||
    /llvmpipe|lavapipe|softpipe|swiftshader|warp/i.test(`${a.device} ${a.description}`)
  );
}

/** One phrase naming the adapter, e.g. "mesa llvmpipe: Mesa 25.0.7 (LLVM 15.0.6), software". */
export function describeAdapter(a: AdapterInfo): string {
  const name = a.description || a.device || 'unnamed adapter';
  const kind = isSoftwareAdapter(a) ? 'software' : a.architecture || 'hardware';
  return `${a.vendor ? `${a.vendor} ` : ''}${name}, ${kind}`;
}

/** Lines Dawn printed while it enumerated adapters: shown only with GROKSCAPE_DEBUG=1. */
function debugLog(lines: string): void {
  if (process.env.GROKSCAPE_DEBUG !== '1') return;
  for (const line of lines.split('\n').filter((l) => l.trim()))
    process.stderr.write(`grokscape debug: dawn: ${line}\n`);
}

/**
 * Runs `work` with file descriptor 2 pointed at a temporary file, then puts it back and sends what was
 * written there to the debug log (GROKSCAPE_DEBUG=1). Dawn writes its adapter warnings ("... artificially
 * reduced ...") from C++ straight to fd 2, past Node's process.stderr, when an instance first enumerates its
 * adapters. Node has no dup2, but closing fd 2 and opening a file takes the lowest free descriptor, which is
 * 2 again; the original is reopened through /proc/self/fd. Linux only; a socket cannot be reopened that way
 * (Node's own child_process pipes): there, or if any step fails, `work` runs with stderr untouched.
 */
export async function withQuietStderr<T>(work: () => Promise<T>): Promise<T> {
  let saved = -1;
  let temp = '';
  try {
    if (process.platform !== 'linux') throw new Error('not linux');
    // a closed fd 0 or 1 would take the file's number instead of 2
    fs.fstatSync(0);
    fs.fstatSync(1);
    saved = fs.openSync('/proc/self/fd/2', 'a');
    temp = path.join(os.tmpdir(), `grokscape-dawn-${process.pid}-${Date.now()}.log`);
  } catch {
    if (saved >= 0) fs.closeSync(saved);
    return await work();
  }
  fs.closeSync(2);
  fs.openSync(temp, 'w+');
  try {
    return await work();
  } finally {
    fs.closeSync(2);
    fs.openSync(`/proc/self/fd/${saved}`, 'a');
    fs.closeSync(saved);
    let captured = '';
    try {
      captured = fs.readFileSync(temp, 'utf8');
    } catch {
      // nothing captured
    }
    fs.rmSync(temp, { force: true });
    debugLog(captured);
  }
}

/**
 * The adapter question is asked first in a child process (its stderr captured, so Dawn's Vulkan-loader
 * complaints stay there, and a driver that crashes takes only the child down); it answers with the adapter's
 * info as JSON on its last line.
 */
const CHILD_PROBE = `
try {
  const { create } = await import('webgpu');
  const a = await create([]).requestAdapter();
  if (!a) console.log(JSON.stringify({ ok: false, reason: 'Dawn found no GPU adapter (no Vulkan driver: see README, "WebGPU")' }));
  else {
    const i = a.info ?? {};
    console.log(JSON.stringify({ ok: true, adapter: { vendor: i.vendor ?? '', architecture: i.architecture ?? '', device: i.device ?? '', description: i.description ?? '', fallback: Boolean(i.isFallbackAdapter ?? a.isFallbackAdapter) } }));
  }
} catch (e) {
  console.log(JSON.stringify({ ok: false, reason: 'the optional webgpu package did not load (' + String((e && e.message) || e).split('\\n')[0].slice(0, 160) + ')' }));
}
process.exit(0);`;

let probed: Promise<WebGpuProbe> | undefined;
let loaded: Promise<void> | undefined;

/** Whether Dawn has an adapter here, and which; asked once per process, in a child process. */
export function probeWebGpu(): Promise<WebGpuProbe> {
  probed ??= (async (): Promise<WebGpuProbe> => {
    if (process.env.GROKSCAPE_NO_WEBGPU === '1') return { ok: false, reason: 'disabled by GROKSCAPE_NO_WEBGPU=1' };
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD_PROBE], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      encoding: 'utf8',
      timeout: 30_000,
    });
    debugLog(child.stderr ?? '');
    const last = (child.stdout ?? '').trim().split('\n').at(-1) ?? '';
    try {
      return JSON.parse(last) as WebGpuProbe;
    } catch {
      return {
        ok: false,
        reason: `the webgpu probe failed (${child.error?.message ?? `exit ${child.status ?? child.signal}`})`,
      };
    }
  })();
  return probed;
}

/**
 * Loads Dawn into this process and installs `navigator.gpu` for GPU.js; once per process. Throws with the
 * reason when the probe found no adapter or Dawn fails to start here.
 */
export function loadWebGpu(): Promise<void> {
  loaded ??= (async () => {
    const p = await probeWebGpu();
    if (!p.ok) throw new Error(p.reason);
    type Dawn = { create: (flags: string[]) => { requestAdapter: () => Promise<unknown> }; globals: object };
    let adapter: unknown;
    let gpu: ReturnType<Dawn['create']>;
    try {
      const mod = (await import('webgpu')) as unknown as Dawn;
      gpu = mod.create([]);
      // GPU.js asks this instance for its adapter again later; Dawn enumerates (and warns) only the first time.
      adapter = await withQuietStderr(() => gpu.requestAdapter());
      Object.assign(globalThis, mod.globals);
    } catch (e) {
      throw new Error(`Dawn failed to start (${firstLine(e)})`);
    }
    if (!adapter) throw new Error('Dawn found no GPU adapter in this process');
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  })();
  return loaded;
}

export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 200);
}
