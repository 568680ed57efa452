import type gpujs from 'gpu.js';
import { describeAdapter, firstLine, isSoftwareAdapter, loadWebGpu, probeWebGpu, type AdapterInfo } from './webgpu.js';

type GpuClass = (typeof gpujs)['GPU'];
export type Gpu = InstanceType<GpuClass>;

let gpuClass: GpuClass | undefined;
/** GPU.js, loaded on first use: it costs a few tenths of a second at start-up, which --help and predict never need. */
async function loadGpuJs(): Promise<GpuClass> {
  gpuClass ??= (await import('gpu.js')).default.GPU;
  return gpuClass;
}

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
 * Order in which `auto` tries the backends, measured fastest first (BENCHMARKS.md). Pointwise: the cpu
 * backend's particle-by-particle JavaScript (native int32 bit operations) outruns GPU.js's WebAssembly
 * kernels, whose float32 locals turn every bit operation of the generator into conversions (double well
 * 80 M vs 9 M particle-steps/s). Data loops: the webasm backend's particle programs (SIMD products) outrun
 * the cpu backend's scalar loops (linear-separability 0.34 M vs 0.02 M, lazy-rich 0.11 M vs 0.006 M).
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
  /** The adapter when on webgpu (recorded with the results). */
  adapter?: AdapterInfo;
  /**
   * Under `auto`: the next backend in the order, for when this one fails to compile or run the kernels.
   * Opening it is cheap (cpu and webasm need no probe).
   */
  fallback?: () => Backend;
}

interface Probe {
  ok: boolean;
  reason: string;
  adapter?: AdapterInfo;
}

async function probe(name: BackendName): Promise<Probe> {
  switch (name) {
    case 'webgpu':
      return probeWebGpu();
    case 'webasm':
      return (await loadGpuJs()).isWebAssemblySupported
        ? { ok: true, reason: 'WebAssembly available' }
        : { ok: false, reason: 'this Node has no WebAssembly support' };
    case 'cpu':
      return { ok: true, reason: 'always available' };
  }
}

/** The backends that can run here, each with the reason it can or cannot (webgpu: with its adapter). */
export async function availableBackends(): Promise<
  { name: BackendName; ok: boolean; reason: string; adapter?: AdapterInfo }[]
> {
  const out = [];
  for (const name of BACKENDS) out.push({ name, ...(await probe(name)) });
  return out;
}

/** Why `auto` passes over an available backend, or null if it takes it. */
function autoDeclines(name: BackendName, p: Probe): string | null {
  if (name === 'webgpu' && p.adapter && isSoftwareAdapter(p.adapter)) {
    return `adapter ${describeAdapter(p.adapter)}: a software rasterizer, slower than cpu for every workload (BENCHMARKS.md); use --backend webgpu to test on it`;
  }
  return null;
}

async function open(name: BackendName, note: string, p: Probe): Promise<Backend> {
  if (name === 'webgpu') {
    try {
      await loadWebGpu();
    } catch (e) {
      throw new BackendError(`backend 'webgpu' could not start: ${firstLine(e)}; try --backend auto or cpu`);
    }
  }
  const GPU = await loadGpuJs();
  return { name, gpu: new GPU({ mode: name }), note, ...(p.adapter ? { adapter: p.adapter } : {}) };
}

const adapterNote = (p: Probe) => (p.adapter ? `, adapter ${describeAdapter(p.adapter)}` : '');

/**
 * Opens the requested backend, or with `auto` the first available in the order measured fastest for
 * `workload`, passing over a software WebGPU adapter; under `auto` the backend carries its fallback.
 */
export async function openBackend(request: BackendRequest, workload: KernelWorkload = 'pointwise'): Promise<Backend> {
  if (request !== 'auto' && !(BACKENDS as readonly string[]).includes(request)) {
    const avail = (await availableBackends()).filter((b) => b.ok).map((b) => b.name);
    throw new BackendError(`unknown backend '${request}': use auto or one of ${avail.join(', ')} (available here)`);
  }
  if (request !== 'auto') {
    const p = await probe(request);
    if (!p.ok) {
      const avail = (await availableBackends()).filter((b) => b.ok).map((b) => b.name);
      throw new BackendError(
        `backend '${request}' is not available: ${p.reason}; available: auto, ${avail.join(', ')}`,
      );
    }
    return open(request, `backend ${request} (requested${adapterNote(p)})`, p);
  }
  const order = AUTO_ORDER[workload];
  const skipped: string[] = [];
  const usable: { name: BackendName; p: Probe }[] = [];
  for (const name of order) {
    const p = await probe(name);
    const declined = p.ok ? autoDeclines(name, p) : p.reason;
    if (declined) skipped.push(`${name}: ${declined}`);
    else usable.push({ name, p });
  }
  for (let i = 0; i < usable.length; i++) {
    const { name, p } = usable[i];
    const rest = usable.slice(i + 1);
    const ranked = rest.map((u) => `${u.name}: ranked below ${name} for ${workload} kernels (BENCHMARKS.md)`);
    const why = [...skipped, ...ranked].join('; ');
    try {
      const backend = await open(name, `backend ${name} (auto${adapterNote(p)}${why ? `; ${why}` : ''})`, p);
      return withFallbacks(backend, rest, workload);
    } catch (e) {
      skipped.push(`${name}: ${firstLine(e)}`);
    }
  }
  throw new BackendError(`no backend available (${skipped.join('; ')})`);
}

/** Chains each backend to the next usable one (cpu and webasm only: they open without a probe). */
function withFallbacks(backend: Backend, rest: { name: BackendName; p: Probe }[], workload: KernelWorkload): Backend {
  const next = rest.find((u) => u.name !== 'webgpu');
  if (!next) return backend;
  const after = rest.slice(rest.indexOf(next) + 1);
  backend.fallback = () =>
    withFallbacks(
      {
        name: next.name,
        gpu: new gpuClass!({ mode: next.name }),
        note: `backend ${next.name} (auto fallback for ${workload} kernels)`,
      },
      after,
      workload,
    );
  return backend;
}
