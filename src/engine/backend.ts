import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import gpujs from 'gpu.js';

const { GPU } = gpujs;
export type Gpu = InstanceType<typeof GPU>;

export const BACKENDS = ['webgpu', 'webasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendRequest = BackendName | 'auto';

/**
 * What a simulation's kernels mostly do: pointwise arithmetic on each particle's own coordinates (formula
 * landscapes: the generator and the gradient expression dominate), or loops over constant data (model
 * families: each particle-step sums over its data points). The fastest CPU backend differs between them.
 */
export type KernelWorkload = 'pointwise' | 'data-loops';

/**
 * Order in which `auto` tries the backends, measured fastest first (BENCHMARKS.md). Pointwise: GPU.js's cpu
 * kernels (V8-compiled JavaScript with native int32 bit operations) outrun its WebAssembly kernels, whose
 * float32 locals turn every bit operation of the generator into conversions (double well 65.5 M vs 10.4 M
 * particle-steps/s). Data loops: WebAssembly's compiled loops over the data rows outrun the cpu kernels'
 * JavaScript (linear-separability 62 k vs 29 k, lazy-rich 30 k vs 10 k particle-steps/s).
 */
export const AUTO_ORDER: Record<KernelWorkload, readonly BackendName[]> = {
  pointwise: ['webgpu', 'cpu', 'webasm'],
  'data-loops': ['webgpu', 'webasm', 'cpu'],
};

export class BackendError extends Error {}

export interface Backend {
  name: BackendName;
  gpu: Gpu;
  /** One line: which backend runs and why the others were not taken. */
  note: string;
}

interface Probe {
  ok: boolean;
  reason: string;
}

let webgpuProbe: Promise<Probe> | undefined;

/**
 * Dawn prints its Vulkan-loader complaints straight to the process's stderr, so the adapter question is
 * asked first in a child process (its stderr captured); only where an adapter answers is Dawn loaded here.
 */
const CHILD_PROBE = `
try {
  const { create } = await import('webgpu');
  const adapter = await create([]).requestAdapter();
  console.log(adapter ? 'ok' : 'Dawn found no GPU adapter');
} catch (e) { console.log('the optional webgpu package did not load (' + String(e && e.message || e).split('\\n')[0].slice(0, 160) + ')'); }
process.exit(0);`;

function probeWebGpu(): Promise<Probe> {
  webgpuProbe ??= (async (): Promise<Probe> => {
    if (process.env.GROKSCAPE_NO_WEBGPU === '1') return { ok: false, reason: 'disabled by GROKSCAPE_NO_WEBGPU=1' };
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD_PROBE], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      encoding: 'utf8',
      timeout: 30_000,
    });
    const answer = (child.stdout ?? '').trim().split('\n').at(-1) ?? '';
    if (answer !== 'ok') return { ok: false, reason: answer || `the webgpu probe failed (${child.error?.message ?? `exit ${child.status}`})` };
    try {
      const mod = (await import('webgpu')) as unknown as { create: (flags: string[]) => { requestAdapter: () => Promise<unknown> }; globals: object };
      const gpu = mod.create([]);
      if (!(await gpu.requestAdapter())) return { ok: false, reason: 'Dawn found no GPU adapter' };
      Object.assign(globalThis, mod.globals);
      Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
      return { ok: true, reason: 'Dawn found a GPU adapter' };
    } catch (e) {
      return { ok: false, reason: `Dawn failed to start (${firstLine(e)})` };
    }
  })();
  return webgpuProbe;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 160);
}

async function probe(name: BackendName): Promise<Probe> {
  switch (name) {
    case 'webgpu':
      return probeWebGpu();
    case 'webasm':
      return GPU.isWebAssemblySupported
        ? { ok: true, reason: 'WebAssembly available' }
        : { ok: false, reason: 'this Node has no WebAssembly support' };
    case 'cpu':
      return { ok: true, reason: 'always available' };
  }
}

/** The backends that can run here, each with the reason it can or cannot. */
export async function availableBackends(): Promise<{ name: BackendName; ok: boolean; reason: string }[]> {
  const out = [];
  for (const name of BACKENDS) out.push({ name, ...(await probe(name)) });
  return out;
}

/** Opens the requested backend, or with `auto` the first available in the order measured fastest for `workload`. */
export async function openBackend(request: BackendRequest, workload: KernelWorkload = 'pointwise'): Promise<Backend> {
  if (request !== 'auto' && !(BACKENDS as readonly string[]).includes(request)) {
    const avail = (await availableBackends()).filter((b) => b.ok).map((b) => b.name);
    throw new BackendError(`unknown backend '${request}': use auto or one of ${avail.join(', ')} (available here)`);
  }
  if (request !== 'auto') {
    const p = await probe(request);
    if (!p.ok) {
      const avail = (await availableBackends()).filter((b) => b.ok).map((b) => b.name);
      throw new BackendError(`backend '${request}' is not available: ${p.reason}; available: auto, ${avail.join(', ')}`);
    }
    return { name: request, gpu: new GPU({ mode: request }), note: `backend ${request} (requested)` };
  }
  const skipped: string[] = [];
  const order = AUTO_ORDER[workload];
  for (const name of order) {
    const p = await probe(name);
    if (p.ok) {
      const rest = order.slice(order.indexOf(name) + 1).map((n) => `${n}: ranked below ${name} for ${workload} kernels (BENCHMARKS.md)`);
      const why = [...skipped, ...rest].join('; ');
      return { name, gpu: new GPU({ mode: name }), note: `backend ${name} (auto${why ? `; ${why}` : ''})` };
    }
    skipped.push(`${name}: ${p.reason}`);
  }
  throw new BackendError('no backend available');
}
