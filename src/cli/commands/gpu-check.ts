import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { openBackend, type Backend } from '../../engine/backend.js';
import { MAX_CHUNK } from '../../engine/simulation.js';
import {
  kernelRngSources,
  keyFromSeed,
  NORMAL_KERNEL_CODE,
  NORMAL_TABLE,
  normal24,
  particleKey,
  STEP_SPLIT,
  streamKey,
  word,
} from '../../engine/rng.js';
import { describeAdapter, isSoftwareAdapter } from '../../engine/webgpu.js';
import { resolveScenario } from '../../landscape/resolve.js';
import { runScenario } from '../../observe/run-scenario.js';
import { VERSION } from '../../version.js';
import { positiveInt } from '../options.js';
import { measure } from './bench.js';

// In the travelling bundle (scripts/bundle-gpu.mjs) each module's import.meta.url is its place in the same
// layout under dist-gpu/, so this resolves to the bundle's folder there and to the repository here.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOUBLE_WELL = path.join(ROOT, 'scenarios/double-well.yaml');
const CASES = [
  { name: 'double-well', file: path.join(ROOT, 'bench/double-well-peer.yaml') },
  { name: 'funnel', file: path.join(ROOT, 'bench/funnel-peer.yaml') },
] as const;
const PEER = 'jax_double_well.py';
/**
 * A particle-step's cost relative to the double well's, for guessing a measurement's time before any rate of
 * that model is known: the funnel draws 17 normals per particle-step (23x slower on a software adapter).
 */
const RELATIVE_COST = { 'double-well': 1, funnel: 30 } as const;

interface Plan {
  sizes: number[];
  /** Steps per measurement for each case (the funnel's particle-step costs 17 normals, the double well's one). */
  steps: Record<(typeof CASES)[number]['name'], number>;
  /** The agreement run: particles x steps of scenarios/double-well.yaml on webgpu and on cpu. */
  agreement: { particles: number; steps: number };
}

// Sized on a guess (not yet measured on one) of a few G particle-steps/s on a data-centre GPU: the budget
// skips what a slower device would not finish in time. --quick: half a minute on a 2-core software adapter.
const FULL: Plan = {
  sizes: [65536, 262144, 1048576],
  steps: { 'double-well': 8192, funnel: 4096 },
  agreement: { particles: 4096, steps: 20000 },
};
const QUICK: Plan = {
  sizes: [16384, 65536],
  steps: { 'double-well': 512, funnel: 16 },
  agreement: { particles: 4096, steps: 10000 },
};

/** Particles x steps of generator output compared, at the first steps and at the last of a step block. */
const RNG_PARTICLES = 4096;
const RNG_STEPS = 256;

interface Check {
  name: string;
  pass: boolean;
  detail: string;
  seconds: number;
  /** The agreement run's particle-steps per second on webgpu: the first guess of how long a measurement takes. */
  webgpuParticleStepsPerSecond?: number;
}

interface Rate {
  case: string;
  particles: number;
  steps: number;
  particleStepsPerSecond: number | null;
  seconds: number;
  note?: string;
}

interface PeerRate {
  particles: number;
  steps: number;
  particleStepsPerSecond: number | null;
  /** webgpu's double-well rate over the peer's at the same particles. */
  ratio: number | null;
  seconds: number;
  note: string;
}

const since = (t0: number) => (performance.now() - t0) / 1000;
const mps = (rate: number) => `${(rate / 1e6).toPrecision(4)} M particle-steps/s`;
const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);

/**
 * Kernels that draw, on `backend`, what the step kernel draws for coordinate `slot` at steps base + thread.y
 * (the word of kernel-source.ts's noiseCode, then its normal), with the backend's own generator functions.
 */
function drawer(backend: Backend, particles: number, steps: number) {
  const { gpu } = backend;
  for (const src of kernelRngSources(backend.name)) gpu.addFunction(src as never);
  const settings = { output: [particles, steps], precision: 'single', constants: { ztab: NORMAL_TABLE } };
  type Kernel = ((keys: Float32Array[], base: number) => unknown) & {
    kernel?: { constructor: { mode?: string } };
    destroy: () => void;
  };
  const kernels = [0, 1].map((slot) => {
    const step = 'fmix24(fmix24(keys[0][p] ^ (base + this.thread.y)) ^ keys[1][p])';
    const zw = `const zw = ${slot === 0 ? step : `fmix24(${step} ^ ${slot})`};`;
    const head = `function (keys, base) {\n  const p = this.thread.x;\n  ${zw}\n`;
    // createKernel takes source strings at run time; the typings only list functions
    return {
      words: gpu.createKernel(`${head}  return zw;\n}` as never, settings as never) as unknown as Kernel,
      normals: gpu.createKernel(
        `${head}${NORMAL_KERNEL_CODE}\n  return xi;\n}` as never,
        settings as never,
      ) as unknown as Kernel,
    };
  });
  return {
    async draw(keys: Float32Array[], base: number, slot: number) {
      const k = kernels[slot];
      const words = Array.from((await k.words(keys, base)) as Float32Array[]);
      const normals = Array.from((await k.normals(keys, base)) as Float32Array[]);
      return { words, normals, mode: k.words.kernel?.constructor.mode ?? 'unknown' };
    },
    destroy() {
      for (const k of kernels) {
        k.words.destroy();
        k.normals.destroy();
      }
    },
  };
}

/** webgpu's words equal cpu's and the host reference's bit for bit; its normals the reference's to float32 rounding. */
async function rngCheck(): Promise<Check> {
  const t0 = performance.now();
  const key = keyFromSeed(1);
  const onGpu = drawer(await openBackend('webgpu'), RNG_PARTICLES, RNG_STEPS);
  const onCpu = drawer(await openBackend('cpu'), RNG_PARTICLES, RNG_STEPS);
  const pkeys = Float32Array.from({ length: RNG_PARTICLES }, (_, p) => particleKey(key, p, 0));
  const keys = [pkeys, pkeys.map(streamKey)];
  let words = 0;
  let wordMismatches = 0;
  let normalsIdentical = 0;
  let worstNormal = 0;
  const modes = new Set<string>();
  // base 0: the first draws of a run; STEP_SPLIT - RNG_STEPS: the largest step counters a kernel sees
  for (const base of [0, STEP_SPLIT - RNG_STEPS]) {
    for (const slot of [0, 1]) {
      const gpu = await onGpu.draw(keys, base, slot);
      const cpu = await onCpu.draw(keys, base, slot);
      modes.add(gpu.mode);
      for (let s = 0; s < RNG_STEPS; s++) {
        for (let p = 0; p < RNG_PARTICLES; p++) {
          const w = word(pkeys[p], base + s, slot);
          words++;
          if (gpu.words[s][p] !== w || cpu.words[s][p] !== w) wordMismatches++;
          const z = gpu.normals[s][p];
          if (z === cpu.normals[s][p]) normalsIdentical++;
          worstNormal = Math.max(worstNormal, Math.abs(z - normal24(w)) / (1 + Math.abs(z)));
        }
      }
    }
  }
  onGpu.destroy();
  onCpu.destroy();
  // float32 epsilon is 1.2e-7; the tail formula's log and rational add a few roundings (tests/engine/rng.test.ts)
  const pass = wordMismatches === 0 && worstNormal < 1e-6 && [...modes].every((m) => m === 'webgpu');
  const detail =
    `${words} words (${RNG_PARTICLES} particles x ${RNG_STEPS} steps x slots 0, 1 from step 0 and from ${STEP_SPLIT - RNG_STEPS}): ` +
    `${wordMismatches} differ from cpu or the host reference; normals: ${normalsIdentical} of ${words} bit-identical to cpu, ` +
    `worst relative difference from the host reference ${worstNormal.toExponential(2)} (bound 1e-6); kernel mode ${[...modes].join(', ')}`;
  return { name: 'generator words and noise', pass, detail, seconds: since(t0) };
}

/** Escapes of one double-well run, with the final positions. */
async function doubleWell(backend: Backend, particles: number, steps: number) {
  const s = resolveScenario(DOUBLE_WELL, { particles, steps });
  const run = await runScenario(s, backend);
  let escaped = 0;
  for (const f of run.sim.firstPassage) if (f >= 0) escaped++;
  const x = Float32Array.from(run.sim.row(0));
  const mode = run.sim.kernelMode;
  await run.sim.destroy();
  return { escaped, x, mode, seconds: run.elapsedSeconds };
}

/** The escape counts of a short double-well run on webgpu and on cpu agree within max(3, 1% of particles). */
async function agreementCheck(plan: Plan): Promise<Check> {
  const t0 = performance.now();
  const { particles, steps } = plan.agreement;
  const gpu = await doubleWell(await openBackend('webgpu'), particles, steps);
  const cpu = await doubleWell(await openBackend('cpu'), particles, steps);
  let same = 0;
  let worst = 0;
  for (let p = 0; p < particles; p++) {
    if (gpu.x[p] === cpu.x[p]) same++;
    worst = Math.max(worst, Math.abs(gpu.x[p] - cpu.x[p]));
  }
  // the kernels are float-exact across backends in practice; a few particles may still part ways where a
  // compiler contracts a multiply-add, and a particle near the boundary then escapes on one backend only
  const tolerance = Math.max(3, Math.floor(particles / 100));
  const diff = Math.abs(gpu.escaped - cpu.escaped);
  const pass = diff <= tolerance && gpu.mode === 'webgpu';
  const detail =
    `scenarios/double-well.yaml, ${particles} particles x ${steps} steps: escapes webgpu ${gpu.escaped}, cpu ${cpu.escaped} ` +
    `(|diff| ${diff}, tolerance ${tolerance}); final x identical for ${same} of ${particles}, largest difference ${worst.toExponential(2)}; ` +
    `webgpu ${gpu.seconds.toFixed(1)} s (kernel mode ${gpu.mode}), cpu ${cpu.seconds.toFixed(1)} s`;
  return {
    name: 'double-well escapes webgpu vs cpu',
    pass,
    detail,
    seconds: since(t0),
    webgpuParticleStepsPerSecond: (particles * steps) / gpu.seconds,
  };
}

/** Whether python3 imports JAX here, and on which device it computes. */
function jaxInfo(): { ok: boolean; note: string } {
  const r = spawnSync(
    'python3',
    ['-c', 'import jax; d = jax.devices()[0]; print(jax.__version__, jax.default_backend(), d.device_kind)'],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XLA_PYTHON_CLIENT_PREALLOCATE: 'false' } },
  );
  if (r.error) return { ok: false, note: `python3 did not run (${firstLine(r.error)})` };
  if (r.status !== 0)
    return { ok: false, note: `python3 cannot import jax (${(r.stderr ?? '').trim().split('\n').at(-1) ?? ''})` };
  const [version, backend, ...device] = r.stdout.trim().split(' ');
  return { ok: true, note: `jax ${version} on ${backend} (${device.join(' ')})` };
}

function findPeer(): string | null {
  const dirs = [process.env.GROKSCAPE_PEERS, path.join(ROOT, 'bench/peers'), path.join(ROOT, '../shared/peers')];
  for (const dir of dirs) if (dir && fs.existsSync(path.join(dir, PEER))) return path.join(dir, PEER);
  return null;
}

export function gpuCheckCommand(): Command {
  return new Command('gpu-check')
    .description(
      'check webgpu against cpu (generator words, double-well escapes) and measure particle-steps per second on it, beside the JAX peer where python3 has jax',
    )
    .option('--quick', 'smaller sizes (16384 and 65536 particles) and fewer steps: for a software adapter')
    .option('--json', 'print the results as JSON on stdout (the report goes to stderr)')
    .option(
      '--budget <seconds>',
      'skip measurements that would end past this many seconds from the start',
      positiveInt,
      240,
    )
    .action(async (o: { quick?: boolean; json?: boolean; budget: number }) => {
      const started = performance.now();
      let plan = o.quick ? QUICK : FULL;
      const out = o.json ? process.stderr : process.stdout;
      const log = (line: string) => out.write(`${line}\n`);
      const left = () => o.budget - since(started);
      log(
        `grokscape ${VERSION} gpu-check${o.quick ? ' --quick' : ''} on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${os.platform()} ${os.arch()}`,
      );

      let t0 = performance.now();
      const backend = await openBackend('webgpu');
      const adapter = backend.adapter;
      const software = adapter ? isSoftwareAdapter(adapter) : false;
      log(`adapter: ${adapter ? describeAdapter(adapter) : 'unknown'} (${since(t0).toFixed(1)} s)`);
      if (adapter) log(`  ${JSON.stringify(adapter)}`);
      if (software) log('  a software adapter: the rates below are CPU figures, not GPU figures');
      if (software && plan !== QUICK) {
        // the full sizes would take far past --budget on a CPU: the funnel alone runs at about 0.5 M/s on 2 cores
        plan = QUICK;
        log('  running the --quick sizes: the full ones are for a GPU');
      }

      const checks: Check[] = [];
      for (const run of [rngCheck, () => agreementCheck(plan)]) {
        let check: Check;
        t0 = performance.now();
        try {
          check = await run();
        } catch (e) {
          check = {
            name: run === rngCheck ? 'generator words and noise' : 'double-well escapes webgpu vs cpu',
            pass: false,
            detail: `failed: ${firstLine(e)}`,
            seconds: since(t0),
          };
        }
        checks.push(check);
        log(`${check.pass ? 'PASS' : 'FAIL'} ${check.name}: ${check.detail} (${check.seconds.toFixed(1)} s)`);
      }

      const rates: Rate[] = [];
      const agreementRate = checks.find((c) => c.webgpuParticleStepsPerSecond)?.webgpuParticleStepsPerSecond ?? 0;
      const doubleWellRate = (particles: number) =>
        rates.find((r) => r.case === 'double-well' && r.particles === particles)?.particleStepsPerSecond ??
        agreementRate;
      for (const c of CASES) {
        const steps = plan.steps[c.name];
        let last: Rate | undefined;
        for (const particles of plan.sizes) {
          t0 = performance.now();
          const rate: Rate = { case: c.name, particles, steps, particleStepsPerSecond: null, seconds: 0 };
          // a smaller size's rate is lower than this one's will be (the device is less full): a safe guess
          const guess = last?.particleStepsPerSecond ?? doubleWellRate(particles) / RELATIVE_COST[c.name];
          // measure() runs a warm-up call of up to MAX_CHUNK steps, then the timed steps
          const estimate = guess ? (1.25 * particles * (steps + Math.min(steps, MAX_CHUNK))) / guess : 0;
          if (estimate > left()) {
            rate.note = `skipped: would take about ${estimate.toFixed(0)} s, ${Math.max(0, left()).toFixed(0)} s left of --budget`;
          } else {
            try {
              rate.particleStepsPerSecond = await measure(c.file, 'webgpu', particles, steps);
            } catch (e) {
              rate.note = `failed: ${firstLine(e)}`;
            }
          }
          rate.seconds = since(t0);
          rates.push(rate);
          if (rate.particleStepsPerSecond) last = rate;
          const shown = rate.particleStepsPerSecond ? mps(rate.particleStepsPerSecond) : rate.note;
          log(
            `webgpu ${c.name.padEnd(11)} ${String(particles).padStart(8)} particles x ${steps} steps: ${shown} (${rate.seconds.toFixed(1)} s)`,
          );
        }
      }

      t0 = performance.now();
      const peerRates: PeerRate[] = [];
      const script = findPeer();
      const jax = script ? jaxInfo() : { ok: false, note: `${PEER} not found (set GROKSCAPE_PEERS)` };
      log(`JAX peer: ${jax.ok ? jax.note : `skipped: ${jax.note}`} (${since(t0).toFixed(1)} s)`);
      if (jax.ok && script) {
        const steps = plan.steps['double-well'];
        let overhead = 0;
        let lastRate = 0;
        for (const particles of plan.sizes) {
          t0 = performance.now();
          const gpuRate = rates.find(
            (r) => r.case === 'double-well' && r.particles === particles,
          )?.particleStepsPerSecond;
          const peer: PeerRate = { particles, steps, particleStepsPerSecond: null, ratio: null, seconds: 0, note: '' };
          // the peer runs its loop twice (the first call compiles), plus its start-up; before any run is timed,
          // only a generous reserve for JAX's start-up (a GPU's initialisation takes seconds)
          const estimate = lastRate ? overhead + (2 * particles * steps) / lastRate : 15;
          if (estimate > left()) {
            peer.note = `skipped: would take about ${estimate.toFixed(0)} s, ${Math.max(0, left()).toFixed(0)} s left of --budget`;
          } else {
            const r = spawnSync('python3', [script, String(particles), String(steps)], {
              encoding: 'utf8',
              timeout: Math.ceil(Math.max(1, left()) * 1000),
              env: { ...process.env, XLA_PYTHON_CLIENT_PREALLOCATE: 'false' },
            });
            const m = /([0-9.]+) M particle-steps\/s/.exec(r.stdout ?? '');
            if (m && r.status === 0) {
              peer.particleStepsPerSecond = Number(m[1]) * 1e6;
              peer.ratio = gpuRate ? gpuRate / peer.particleStepsPerSecond : null;
              peer.note = r.stdout.trim();
              lastRate = peer.particleStepsPerSecond;
              overhead = Math.max(0, since(t0) - (2 * particles * steps) / lastRate);
            } else {
              const why = r.error ? firstLine(r.error) : ((r.stderr ?? '').trim().split('\n').at(-1) ?? '');
              peer.note = `failed: ${why || `exit ${r.status}`}`;
            }
          }
          peer.seconds = since(t0);
          peerRates.push(peer);
          const shown = peer.particleStepsPerSecond
            ? `${mps(peer.particleStepsPerSecond)}${peer.ratio ? `; webgpu / JAX = ${peer.ratio.toFixed(2)}` : ''}`
            : peer.note;
          log(
            `JAX    double-well ${String(particles).padStart(8)} particles x ${steps} steps: ${shown} (${peer.seconds.toFixed(1)} s)`,
          );
        }
      }

      const pass = checks.every((c) => c.pass);
      const seconds = since(started);
      log(
        `${pass ? 'PASS' : 'FAIL'} gpu-check: ${checks.filter((c) => c.pass).length} of ${checks.length} checks passed in ${seconds.toFixed(1)} s`,
      );
      if (o.json) {
        const result = {
          version: VERSION,
          node: process.version,
          quick: Boolean(o.quick),
          adapter: adapter ? { ...adapter, summary: describeAdapter(adapter), software } : null,
          checks,
          rates,
          peer: { available: jax.ok, note: jax.note, results: peerRates },
          pass,
          seconds,
        };
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      }
      if (!pass) process.exitCode = 1;
    });
}
