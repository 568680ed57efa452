import { openBackend, type BackendRequest, type KernelWorkload } from '../engine/backend.js';
import type { ScanPoint } from './points.js';
import { isPointFailure, runPoint } from './run-point.js';
import type { ScanSpec } from './store.js';

export interface WorkerJob {
  spec: ScanSpec;
  point: ScanPoint;
  backend: BackendRequest;
  workload: KernelWorkload;
}

/** A scan worker process: runs the points its parent sends over IPC and replies with each result. */
export async function serveScanWorker(): Promise<void> {
  if (!process.send) throw new Error('scan-worker must be started by grokscape scan --workers');
  process.on('disconnect', () => process.exit(0)); // the parent is gone (finished, interrupted or killed)
  const backends = new Map<string, Awaited<ReturnType<typeof openBackend>>>();
  await new Promise<void>(() => {
    process.on('message', async (job: WorkerJob) => {
      try {
        let backend = backends.get(job.backend);
        if (!backend) {
          backend = await openBackend(job.backend, job.workload);
          backends.set(job.backend, backend);
        }
        const result = await runPoint(job.spec, job.point, backend);
        process.send!({ ok: true, result });
      } catch (e) {
        process.send!({
          ok: false,
          error: e instanceof Error ? e.message : String(e),
          pointFailure: isPointFailure(e),
        });
      }
    });
  });
}
