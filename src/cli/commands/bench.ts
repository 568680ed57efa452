import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { availableBackends, BACKENDS, openBackend, type BackendName } from '../../engine/backend.js';
import { estimateBytes, FIXED_BYTES, MAX_CHUNK, modelBytes, Simulation } from '../../engine/simulation.js';
import { toKernelModel } from '../../landscape/kernel-model.js';
import { resolveScenario } from '../../landscape/resolve.js';
import { drive, type Reporter } from '../../observe/driver.js';
import { populationRecorder } from '../../observe/reporters.js';
import { listScenarios } from '../../scenario/load.js';
import { VERSION } from '../../version.js';
import { UsageError } from '../errors.js';
import { positiveInt } from '../options.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Case {
  name: string;
  file: string;
  /** `dir`: where the script lives when it ships with grokscape (bench/peers/) rather than in ../shared/peers. */
  peer: { script: string; args: (p: number, s: number) => string[]; dir?: string };
  /** Fixed particles x steps for a case whose particle-step costs O(N d) (a model family), instead of --particles/--steps. */
  size?: [number, number];
  /** Parameters set over the scenario file's (as --set does). */
  set?: Record<string, number>;
}

const CASES: Case[] = [
  {
    name: 'double-well (1D)',
    file: path.join(ROOT, 'bench/double-well-peer.yaml'),
    peer: { script: 'numpy_double_well.py', args: (p, s) => [String(p), String(s), 'f32'] },
  },
  {
    name: 'funnel (1 + 16 coordinates)',
    file: path.join(ROOT, 'bench/funnel-peer.yaml'),
    peer: { script: 'numpy_funnel.py', args: (p, s) => [String(p), String(s), '16'] },
  },
  {
    name: 'first-order (8 coordinates)',
    file: path.join(ROOT, 'scenarios/first-order.yaml'),
    peer: {
      script: 'numpy_first_order.py',
      args: (p, s) => [String(p), String(s), '8', 'f32'],
      dir: path.join(ROOT, 'bench/peers'),
    },
  },
  {
    name: 'linear-separability (d = 50, N = 100)',
    file: path.join(ROOT, 'bench/linear-separability-peer.yaml'),
    peer: {
      script: 'numpy_linear_separability.py',
      args: (p, s) => [String(p), String(s), '50', '100', 'f32'],
      dir: path.join(ROOT, 'bench/peers'),
    },
    size: [4096, 20],
  },
  {
    name: 'linear-separability, twice the data (d = 50, N = 200)',
    file: path.join(ROOT, 'bench/linear-separability-peer.yaml'),
    set: { lambda: 0.25 },
    peer: {
      script: 'numpy_linear_separability.py',
      args: (p, s) => [String(p), String(s), '50', '200', 'f32'],
      dir: path.join(ROOT, 'bench/peers'),
    },
    size: [2048, 20],
  },
  {
    name: 'lazy-rich (D = 40, P = 120, N = 2)',
    file: path.join(ROOT, 'bench/lazy-rich-peer.yaml'),
    peer: {
      script: 'numpy_lazy_rich.py',
      args: (p, s) => [String(p), String(s), '40', '120', '2', 'f32'],
      dir: path.join(ROOT, 'bench/peers'),
    },
    size: [1024, 20],
  },
  {
    name: 'lazy-rich, twice the data (D = 40, P = 240, N = 2)',
    file: path.join(ROOT, 'bench/lazy-rich-peer.yaml'),
    set: { P: 240 },
    peer: {
      script: 'numpy_lazy_rich.py',
      args: (p, s) => [String(p), String(s), '40', '240', '2', 'f32'],
      dir: path.join(ROOT, 'bench/peers'),
    },
    size: [1024, 20],
  },
  {
    name: 'parallelogram (10 coordinates)',
    file: path.join(ROOT, 'bench/parallelogram-peer.yaml'),
    peer: {
      script: 'numpy_parallelogram.py',
      args: (p, s) => [String(p), String(s), 'f32'],
      dir: path.join(ROOT, 'bench/peers'),
    },
  },
];

/**
 * A run of 10^8 particle-steps of the double well with populations recorded 20 times; the resident set is
 * sampled at each recording. Flat memory means the last samples are no higher than those after warm-up.
 */
async function memoryOverLongRun(backendName: BackendName): Promise<{ particleSteps: number; residentMiB: number[] }> {
  const particles = 16384;
  const steps = Math.ceil(1e8 / particles);
  const s = resolveScenario(CASES[0].file, { particles });
  const sim = Simulation.create(toKernelModel(s), await openBackend(backendName), {
    particles,
    dt: s.dt,
    temperature: s.temperature,
    seed: s.seed,
    initial: s.initial(particles),
    chunk: 1000,
  });
  const residentMiB: number[] = [];
  const every = Math.ceil(steps / 20);
  await drive(sim, {
    steps,
    reporters: [
      populationRecorder(
        s.regions.map((r) => r.name),
        every,
      ),
      { every, report: () => void residentMiB.push(process.memoryUsage().rss / 2 ** 20) },
    ],
  });
  await sim.destroy();
  return { particleSteps: particles * sim.step, residentMiB };
}

/** The bench's reporter: the wall time from a drive's step 0 to its last step. */
function stopwatch(): Reporter & { seconds: () => number } {
  let t0 = 0;
  let t1 = 0;
  return {
    report({ step, steps }) {
      if (step === 0) t0 = performance.now();
      if (step === steps) t1 = performance.now();
    },
    seconds: () => (t1 - t0) / 1000,
  };
}

/** Measures particle-steps per second of one scenario on one backend (after warm-up calls). */
export async function measure(
  file: string,
  backendName: BackendName,
  particles: number,
  steps: number,
  set: Record<string, number> = {},
): Promise<number> {
  const s = resolveScenario(file, { ...set, particles });
  const backend = await openBackend(backendName);
  const sim = Simulation.create(toKernelModel(s), backend, {
    particles,
    dt: s.dt,
    temperature: s.temperature,
    seed: s.seed,
    initial: s.initial(particles),
    chunk: Math.min(steps, MAX_CHUNK),
  });
  // Warm-up: compiles the pipeline, and calls of the same size for at least half a second, so that the
  // JavaScript engine has optimized the step code (a fresh worker pool starts cold) before the timed call.
  const warm = performance.now();
  do await drive(sim, { steps: Math.min(steps, MAX_CHUNK), reporters: [] });
  while (performance.now() - warm < 500);
  const timer = stopwatch();
  await drive(sim, { steps, reporters: [timer] });
  sim.destroy();
  return (particles * steps) / timer.seconds();
}

/** The highest of `n` measured rates: this machine's noise only ever slows a run down. */
async function bestOf(n: number, rate: () => Promise<number>): Promise<number> {
  let top = 0;
  for (let k = 0; k < n; k++) top = Math.max(top, await rate());
  return top;
}

/** The Python that runs the peers (NumPy, and JAX where it imports): GROKSCAPE_PYTHON, else python3. */
const PYTHON = process.env.GROKSCAPE_PYTHON ?? 'python3';

/** OpenBLAS settings some machines export that slow a current NumPy (issue 20): the peers run without them. */
const BLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

/** The environment the peers run in: this one without BLAS_OVERRIDES ('fair'), or as it is ('machine'). */
function peerEnv(settings: 'fair' | 'machine'): NodeJS.ProcessEnv {
  if (settings === 'machine') return process.env;
  const env = { ...process.env };
  for (const k of BLAS_OVERRIDES) delete env[k];
  return env;
}

interface PeerResult {
  rate: number | null;
  note: string;
}

function runPeer(script: string, args: string[], env: NodeJS.ProcessEnv): PeerResult {
  const r = spawnSync(PYTHON, [script, ...args], { encoding: 'utf8', timeout: 600_000, env });
  if (r.error || r.status !== 0)
    return { rate: null, note: `peer skipped: ${(r.error?.message ?? r.stderr).split('\n').filter(Boolean).at(-1)}` };
  const m = /([0-9.]+) M particle-steps\/s/.exec(r.stdout);
  return m
    ? { rate: Number(m[1]) * 1e6, note: r.stdout.trim() }
    : { rate: null, note: `peer output not understood: ${r.stdout.trim()}` };
}

function numpyPeer(c: Case, particles: number, steps: number, env: 'fair' | 'machine'): PeerResult {
  const dir = c.peer.dir ?? process.env.GROKSCAPE_PEERS ?? path.join(ROOT, '../shared/peers');
  const script = path.join(dir, c.peer.script);
  if (!fs.existsSync(script))
    return { rate: null, note: `peer ${c.peer.script} not found in ${dir} (set GROKSCAPE_PEERS)` };
  return runPeer(script, c.peer.args(particles, steps), peerEnv(env));
}

/** The JAX twin of a case's NumPy peer: bench/peers/jax_<name>.py, same arguments (check_jax_peers.py checks them). */
function jaxPeer(c: Case, particles: number, steps: number): PeerResult {
  const script = path.join(ROOT, 'bench/peers', c.peer.script.replace(/^numpy_/, 'jax_'));
  if (!fs.existsSync(script)) return { rate: null, note: `no JAX peer ${path.basename(script)}` };
  return runPeer(script, c.peer.args(particles, steps), peerEnv('fair'));
}

/** One line on what the peers run with: JAX or why not, NumPy's BLAS kernel and threads (threadpoolctl). */
function peerSetup(): { jax: boolean; lines: string[] } {
  const py = (code: string, env: NodeJS.ProcessEnv) =>
    spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 120_000, env });
  const jax = py('import jax; print(jax.__version__)', peerEnv('fair'));
  const blas = (env: NodeJS.ProcessEnv) => {
    const r = py(
      'import numpy, threadpoolctl\nfor i in threadpoolctl.threadpool_info():\n  if i["user_api"] == "blas": print(f"{i[\'internal_api\']} {i.get(\'architecture\')} {i[\'num_threads\']} threads")',
      env,
    );
    return r.status === 0 && r.stdout.trim()
      ? r.stdout.trim().split('\n')[0]
      : 'unknown (threadpoolctl does not import)';
  };
  const overridden = BLAS_OVERRIDES.filter((k) => process.env[k] !== undefined);
  const lines = [
    `peers: ${PYTHON} (GROKSCAPE_PYTHON); NumPy BLAS ${blas(peerEnv('fair'))}${overridden.length ? ` without ${overridden.join(', ')}; ${blas(process.env)} with them (both rates below, ratios against the first)` : ''}`,
    jax.status === 0
      ? `JAX peers: jax ${jax.stdout.trim()}`
      : `JAX peers: skipped (jax does not import in ${PYTHON}; set GROKSCAPE_PYTHON to a Python that has it)`,
  ];
  return { jax: jax.status === 0, lines };
}

function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Every shipped scenario at its own parameters on each backend (a particle-steps rate, no peer: the peers
 * are the cases' models), and the bytes per particle the engine holds for it (estimateBytes: state copies,
 * keys, first passages, the model's data and auxiliary buffers, without the fixed 64 MiB).
 */
async function shippedScenarios(
  names: BackendName[],
  repeat: number,
  log: (line: string) => void,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const rows: string[][] = [];
  for (const { name, file } of listScenarios()) {
    const s = resolveScenario(file);
    // A model with data loops costs O(data) per particle-step: fewer particles and steps.
    const loops = toKernelModel(s, 1).data !== undefined;
    const particles = Math.min(s.particles, loops ? 1024 : 16384);
    const steps = loops ? 20 : 100;
    const model = toKernelModel(s, particles);
    const bytes = (estimateBytes(particles, model.dimensions, modelBytes(model, particles)) - FIXED_BYTES) / particles;
    const rates: number[] = [];
    for (const b of names) {
      const rate = await bestOf(repeat, () => measure(file, b, particles, steps));
      rates.push(rate);
      out.push({ scenario: name, backend: b, particles, steps, particleStepsPerSecond: rate, bytesPerParticle: bytes });
    }
    rows.push([
      name,
      String(model.dimensions),
      `${particles} x ${steps}`,
      ...rates.map((r) => (r / 1e6).toPrecision(3)),
      bytes.toFixed(0),
    ]);
  }
  log(`\nshipped scenarios, M particle-steps/s (best of ${repeat}), and the engine's bytes per particle:`);
  log(markdownTable(['scenario', 'coordinates', 'particles x steps', ...names, 'bytes / particle'], rows));
  return out;
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('measure particle-steps per second on each backend beside the NumPy and JAX peers')
    .addOption(new Option('--backend <names>', 'comma-separated backends (default: every available one)'))
    .option('--particles <n>', 'particles for the double well (the funnel uses a quarter)', positiveInt, 65536)
    .option('--steps <n>', 'steps per measurement for the double well (the funnel uses a fifth)', positiveInt, 1000)
    .option('--case <text>', 'only the cases whose name contains this text (e.g. first-order)')
    .option(
      '--memory',
      'also report the peak resident memory of 1,000,000 particles x 17 coordinates, and the resident memory along a run of 10^8 particle-steps',
    )
    .option('--repeat <n>', 'measure every case (and peer) n times and keep the best', positiveInt, 1)
    .option(
      '--scenarios',
      'also measure every shipped scenario on each backend, with the memory the engine holds per particle',
    )
    .option('--json', 'print the results as JSON')
    .action(
      async (o: {
        backend?: string;
        case?: string;
        particles: number;
        steps: number;
        memory?: boolean;
        json?: boolean;
        repeat: number;
        scenarios?: boolean;
      }) => {
        const avail = await availableBackends();
        const names = o.backend
          ? (o.backend.split(',') as BackendName[])
          : avail.filter((b) => b.ok).map((b) => b.name);
        // Refused before the peers run: a bad name would otherwise fail only after minutes of NumPy timing.
        for (const n of names) {
          const a = avail.find((b) => b.name === n);
          if (!a)
            throw new UsageError(
              `--backend ${n}: unknown backend; use a comma-separated list of ${BACKENDS.join(', ')}`,
            );
          if (!a.ok) throw new UsageError(`--backend ${n}: not available here (${a.reason})`);
        }
        if (o.case !== undefined && !CASES.some((c) => c.name.includes(o.case!)))
          throw new UsageError(
            `--case ${o.case}: no case name contains it (cases: ${CASES.map((c) => c.name).join(', ')})`,
          );
        const results: Record<string, unknown>[] = [];
        const log = (line: string) => process.stderr.write(`${line}\n`);
        log(
          `grokscape ${VERSION} bench on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
        );
        for (const b of avail.filter((x) => !x.ok)) log(`  ${b.name}: skipped (${b.reason})`);
        const setup = peerSetup();
        for (const line of setup.lines) log(line);
        const machineEnvDiffers = BLAS_OVERRIDES.some((k) => process.env[k] !== undefined);
        const best = <T>(n: number, run: () => T, rate: (t: T) => number | null): T => {
          let top = run();
          for (let k = 1; k < n; k++) {
            const next = run();
            if ((rate(next) ?? -1) > (rate(top) ?? -1)) top = next;
          }
          return top;
        };
        const table: string[][] = [];
        for (const [i, c] of CASES.entries()) {
          if (o.case !== undefined && !c.name.includes(o.case)) continue;
          const particles = c.size?.[0] ?? (i === 0 ? o.particles : Math.max(1, Math.round(o.particles / 4)));
          const steps = c.size?.[1] ?? (i === 0 ? o.steps : Math.max(1, Math.round(o.steps / 5)));
          const peerRate = (r: PeerResult) => r.rate;
          const peer = best(o.repeat, () => numpyPeer(c, particles, steps, 'fair'), peerRate);
          const machinePeer = machineEnvDiffers
            ? best(o.repeat, () => numpyPeer(c, particles, steps, 'machine'), peerRate)
            : null;
          const jax = setup.jax ? best(o.repeat, () => jaxPeer(c, particles, steps), peerRate) : null;
          const show = (r: PeerResult) => (r.rate ? `${(r.rate / 1e6).toPrecision(3)} M/s` : r.note);
          log(
            `${c.name}: ${particles} particles x ${steps} steps; NumPy peer: ${show(peer)}${machinePeer ? ` (${show(machinePeer)} with the machine's BLAS settings)` : ''}${jax ? `; JAX peer: ${show(jax)}` : ''}`,
          );
          const rates: number[] = [];
          for (const name of names) {
            const rate = await bestOf(o.repeat, () => measure(c.file, name, particles, steps, c.set));
            rates.push(rate);
            const ratio = peer.rate ? rate / peer.rate : null;
            const ratioJax = jax?.rate ? rate / jax.rate : null;
            const ratios = [ratio && `${ratio.toFixed(2)}x NumPy`, ratioJax && `${ratioJax.toFixed(2)}x JAX`].filter(
              Boolean,
            );
            log(
              `  ${name.padEnd(7)} ${(rate / 1e6).toPrecision(3).padStart(8)} M particle-steps/s${ratios.length ? `  (${ratios.join(', ')})` : ''}`,
            );
            results.push({
              case: c.name,
              backend: name,
              particles,
              steps,
              repeat: o.repeat,
              particleStepsPerSecond: rate,
              numpy: peer.rate,
              numpyMachineBlas: machinePeer?.rate ?? null,
              jax: jax?.rate ?? null,
              ratio,
              ratioJax,
            });
          }
          const top = Math.max(...rates);
          const m = (r: number | null | undefined) => (r ? `${(r / 1e6).toPrecision(3)}` : '-');
          const x = (r: number | null | undefined) => (r ? `${(top / r).toFixed(2)}x` : '-');
          table.push([
            c.name,
            `${particles} x ${steps}`,
            ...rates.map(m),
            m(peer.rate),
            ...(machineEnvDiffers ? [m(machinePeer?.rate)] : []),
            m(jax?.rate),
            x(peer.rate),
            x(jax?.rate),
          ]);
        }
        if (table.length > 0) {
          log(`\nM particle-steps/s, best of ${o.repeat} run${o.repeat > 1 ? 's' : ''} each (peers too):`);
          log(
            markdownTable(
              [
                'case',
                'particles x steps',
                ...names,
                'NumPy',
                ...(machineEnvDiffers ? ['NumPy, machine BLAS'] : []),
                'JAX',
                'best / NumPy',
                'best / JAX',
              ],
              table,
            ),
          );
        }
        if (o.scenarios) results.push(...(await shippedScenarios(names, o.repeat, log)));
        let memory: Record<string, unknown> | null = null;
        if (o.memory) {
          // 1,000,000 particles of the funnel twin (1 + 16 coordinates), two steps; peak resident set of the whole process
          const particles = 1_000_000;
          const backend = o.backend ? names[0] : (await openBackend('auto')).name;
          const rate = await measure(CASES[1].file, backend, particles, 2);
          const peakMiB = process.resourceUsage().maxRSS / 1024;
          log(
            `memory: ${particles} particles x 17 coordinates on ${backend}: peak resident ${peakMiB.toFixed(0)} MiB (${(rate / 1e6).toFixed(2)} M particle-steps/s)`,
          );
          const long = await memoryOverLongRun(backend);
          const mib = long.residentMiB.map((m) => m.toFixed(0));
          log(
            `memory over a long run: ${long.particleSteps.toExponential(2)} particle-steps of the double well on ${backend}: resident MiB at 20 recordings ${mib.join(' ')}`,
          );
          memory = { particles, coordinates: 17, backend, peakResidentMiB: peakMiB, longRun: long };
        }
        if (o.json) process.stdout.write(`${JSON.stringify({ version: VERSION, results, memory }, null, 2)}\n`);
      },
    );
}
