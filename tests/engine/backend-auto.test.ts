import { describe, expect, it } from 'vitest';
import { AUTO_ORDER, openBackend, type KernelWorkload } from '../../src/engine/backend.js';
import { runnableBackends } from '../helpers/backends.js';

describe('--backend auto', () => {
  it.each(['pointwise', 'data-loops'] as KernelWorkload[])('takes the first runnable backend of the %s order and says why not the others', async (workload) => {
    const expected = AUTO_ORDER[workload].find((b) => runnableBackends.includes(b))!;
    const backend = await openBackend('auto', workload);
    expect(backend.name).toBe(expected);
    for (const other of AUTO_ORDER[workload].filter((b) => b !== expected)) expect(backend.note).toContain(`${other}: `);
    expect(backend.note.split('\n')).toHaveLength(1);
  });

  it('orders the CPU backends by what the kernels do: cpu for pointwise, webasm for loops over data', () => {
    const cpuOnly = (w: KernelWorkload) => AUTO_ORDER[w].filter((b) => b !== 'webgpu');
    expect(cpuOnly('pointwise')).toEqual(['cpu', 'webasm']);
    expect(cpuOnly('data-loops')).toEqual(['webasm', 'cpu']);
  });
});
