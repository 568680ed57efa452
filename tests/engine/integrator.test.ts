import { describe, expect, it } from 'vitest';
import { openBackend, type BackendName } from '../../src/engine/backend.js';
import { CapacityError, checkCapacity, DivergenceError, Simulation } from '../../src/engine/simulation.js';
import { runnableBackends } from '../helpers/backends.js';
import { doubleWell, free, harmonic } from '../helpers/models.js';
import { correlation, ksStatistic, KS_CRITICAL_0_001, moments, normalCdf } from '../helpers/stats.js';

const zeros = (d: number, p: number) => Array.from({ length: d }, () => new Float32Array(p));

async function sim(
  mode: BackendName,
  model: ReturnType<typeof free>,
  o: { P: number; dt: number; T: number; seed?: number; chunk?: number; initial?: Float32Array[] },
) {
  const backend = await openBackend(mode);
  return Simulation.create(model, backend, {
    particles: o.P,
    dt: o.dt,
    temperature: o.T,
    seed: o.seed ?? 7,
    chunk: o.chunk ?? 100,
    initial: o.initial ?? zeros(model.dimensions, o.P),
  });
}

describe.each(runnableBackends)('integrator on backend %s', (mode) => {
  it('runs on the backend it was asked for', async () => {
    const s = await sim(mode, free(1), { P: 5000, dt: 0.01, T: 1 });
    await s.advance(3);
    expect(s.kernelMode).toBe(mode);
    expect(s.step).toBe(3);
  });

  it('draws standard normal noise: moments to the 4th, KS, no correlation in step, particle or coordinate', async () => {
    // With U = 0, T = 1/2 and dt = 1 one step from 0 is exactly the noise xi.
    const P = 65536;
    const s = await sim(mode, free(2), { P, dt: 1, T: 0.5, chunk: 1 });
    const draws: Float32Array[][] = [];
    for (let k = 0; k < 8; k++) {
      s.reset(zeros(2, P));
      await s.advance(1);
      draws.push([Float32Array.from(s.row(0)), Float32Array.from(s.row(1))]);
    }
    const all = Float64Array.from(draws.flatMap((d) => [...d[0], ...d[1]]));
    const m = moments(all);
    const n = m.n;
    // Standard errors of the sample moments of N(0,1): mean 1/sqrt(n), variance sqrt(2/n), third sqrt(15/n), fourth sqrt(96/n).
    expect(Math.abs(m.mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m.third)).toBeLessThan(5 * Math.sqrt(15 / n));
    expect(Math.abs(m.fourth - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    expect(ksStatistic(all.subarray(0, 200_000), normalCdf)).toBeLessThan(KS_CRITICAL_0_001);
    const se = 1 / Math.sqrt(P);
    expect(Math.abs(correlation(draws[0][0], draws[1][0]))).toBeLessThan(5 * se); // successive steps
    expect(Math.abs(correlation(draws[0][0].subarray(1), draws[0][0].subarray(0, P - 1)))).toBeLessThan(5 * se); // neighbours
    expect(Math.abs(correlation(draws[0][0], draws[0][1]))).toBeLessThan(5 * se); // neighbouring coordinates (slots 1 and 2 of one step)
  });

  it.each([1, 16])('gives the Ornstein-Uhlenbeck stationary variance in D = %i', async (d) => {
    const P = 65536 / d; // the same number of independent samples in both cases
    const kappa = 2;
    const T = 0.5;
    const dt = 0.01;
    const s = await sim(mode, harmonic(d, kappa), { P, dt, T, chunk: 500 });
    await s.advance(400); // kappa t = 8: the transient e^{-2 kappa t} is 1e-7
    // Exact stationary variance of the Euler-Maruyama chain: T / (kappa (1 - kappa dt / 2)); T/kappa as dt -> 0.
    const exact = T / (kappa * (1 - (kappa * dt) / 2));
    let v = 0;
    for (let i = 0; i < d; i++) v += moments(s.row(i)).variance;
    v /= d;
    const se = exact * Math.sqrt(2 / (P * d)); // coordinates are independent
    expect(Math.abs(v - exact)).toBeLessThan(4 * se);
    expect(Math.abs(exact - T / kappa)).toBeLessThan(0.011 * (T / kappa)); // the dt bias is kappa dt / 2 = 1%
  });

  it('runs 64 coordinates per particle', async () => {
    const s = await sim(mode, harmonic(64, 1), { P: 300, dt: 0.01, T: 1, chunk: 20 });
    await s.advance(40);
    // from 0, after 40 steps of kappa = 1: variance (T/kappa)(1 - (1 - kappa dt)^80) / (1 - kappa dt / 2) = 0.556
    let v = 0;
    for (let i = 0; i < 64; i++) v += moments(s.row(i)).variance / 64;
    const exact = (1 - 0.99 ** 80) / (1 - 0.005);
    expect(Math.abs(v - exact)).toBeLessThan(4 * exact * Math.sqrt(2 / (300 * 64)));
  });

  it('is reproducible: same seed identical, another seed different', async () => {
    const run = async (seed: number) => {
      const s = await sim(mode, doubleWell(0.8), {
        P: 4096,
        dt: 0.001,
        T: 0.3,
        seed,
        initial: [new Float32Array(4096).fill(-1)],
      });
      await s.advance(700);
      return { x: Float32Array.from(s.row(0)), fp: Float64Array.from(s.firstPassage) };
    };
    const a = await run(3);
    const b = await run(3);
    const c = await run(4);
    expect(Buffer.from(a.x.buffer).equals(Buffer.from(b.x.buffer))).toBe(true);
    expect(a.fp).toEqual(b.fp);
    expect(Buffer.from(a.x.buffer).equals(Buffer.from(c.x.buffer))).toBe(false);
  });

  it('gives the same trajectory whatever the chunk size', async () => {
    const run = async (chunk: number) => {
      const s = await sim(mode, doubleWell(0.8), {
        P: 1000,
        dt: 0.001,
        T: 0.3,
        chunk,
        initial: [new Float32Array(1000).fill(-1)],
      });
      await s.advance(600);
      return Float32Array.from(s.row(0));
    };
    expect(await run(600)).toEqual(await run(7));
  });

  it('stops at the first call whose state diverges', async () => {
    const s = await sim(mode, harmonic(1, 50), {
      P: 64,
      dt: 1,
      T: 0.1,
      chunk: 10,
      initial: [new Float32Array(64).fill(1)],
    });
    await expect(s.advance(1000)).rejects.toBeInstanceOf(DivergenceError);
    expect(s.step).toBeLessThan(1000);
  });
});

describe('capacity', () => {
  it('1,000,000 particles x 16 coordinates fit, absurd sizes are refused up front', () => {
    expect(() => checkCapacity(1_000_000, 16, 1024 ** 3)).not.toThrow();
    expect(() => checkCapacity(1e9, 64)).toThrow(CapacityError);
  });
});

describe('cpu worker pool', () => {
  it('gives bit-identical trajectories with 1 and 2 workers', async () => {
    const run = async (workers: string) => {
      process.env.GROKSCAPE_CPU_WORKERS = workers;
      try {
        const s = await sim('cpu', doubleWell(0.8), {
          P: 5000,
          dt: 0.001,
          T: 0.3,
          initial: [new Float32Array(5000).fill(-1)],
        });
        await s.advance(500);
        const out = { x: Float32Array.from(s.row(0)), fp: Float64Array.from(s.firstPassage), kind: s.executorKind };
        await s.destroy();
        return out;
      } finally {
        delete process.env.GROKSCAPE_CPU_WORKERS;
      }
    };
    const one = await run('1');
    const two = await run('2');
    expect(one.kind).toBe('js');
    expect(two.kind).toBe('js-workers(2)');
    expect(Buffer.from(one.x.buffer).equals(Buffer.from(two.x.buffer))).toBe(true);
    expect(one.fp).toEqual(two.fp);
  });
});

describe('reconfigure: new conditions mid-run (the watch view keys)', () => {
  // a pool of cpu workers rebuilds its kernels in place; one GPU.js instance builds a new executor: the
  // same positions and step counter must give the same trajectory either way, at the new temperature
  it('the worker pool rebuilt in place gives the same trajectory as a new single-thread executor', async () => {
    const P = 4096;
    const start = [Float32Array.from({ length: P }, (_, i) => -1 + (i % 7) * 0.01)];
    const trajectory = async (workers: string) => {
      const saved = process.env.GROKSCAPE_CPU_WORKERS;
      process.env.GROKSCAPE_CPU_WORKERS = workers;
      try {
        const s = await sim('cpu', doubleWell(0.5), { P, dt: 0.002, T: 0.3, initial: start, chunk: 50 });
        await s.advance(200);
        await s.reconfigure({ temperature: 0.6 });
        await s.advance(200);
        const out = { kind: s.executorKind, x: Float32Array.from(s.row(0)), passage: Array.from(s.firstPassage) };
        await s.destroy();
        return out;
      } finally {
        if (saved === undefined) delete process.env.GROKSCAPE_CPU_WORKERS;
        else process.env.GROKSCAPE_CPU_WORKERS = saved;
      }
    };
    const pool = await trajectory('2');
    const single = await trajectory('1');
    expect(pool.kind).toBe('js-workers(2)');
    expect(single.kind).not.toMatch(/workers/);
    expect(Array.from(pool.x)).toEqual(Array.from(single.x));
    expect(pool.passage).toEqual(single.passage);
    // and the temperature did change: the spread after the change is that of T = 0.6, not 0.3
    const cold = await sim('cpu', doubleWell(0.5), { P, dt: 0.002, T: 0.3, initial: start, chunk: 50 });
    await cold.advance(400);
    const spread = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + (v + 1) ** 2, 0) / x.length);
    expect(spread(pool.x)).toBeGreaterThan(1.2 * spread(Float32Array.from(cold.row(0))));
    await cold.destroy();
  });
});
