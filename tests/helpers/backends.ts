import { availableBackends, type BackendName } from '../../src/engine/backend.js';
import { loadWebGpu } from '../../src/engine/webgpu.js';

const probed = await availableBackends();

/**
 * With GROKSCAPE_REQUIRE_WEBGPU=1 (set by .ci/run, which provisions a software adapter) a missing webgpu
 * adapter fails every test that runs a backend matrix instead of shrinking the matrix silently.
 */
const webgpu = probed.find((b) => b.name === 'webgpu')!;
if (process.env.GROKSCAPE_REQUIRE_WEBGPU === '1' && !webgpu.ok) {
  throw new Error(
    `GROKSCAPE_REQUIRE_WEBGPU=1 but webgpu cannot run here: ${webgpu.reason} (scripts/provision-webgpu.sh installs a software adapter)`,
  );
}

// tests that make their own GPU.js instances need navigator.gpu, which openBackend would otherwise install
if (webgpu.ok) await loadWebGpu();

/** Backends that can run on this machine; webgpu appears only where Dawn finds an adapter. */
export const runnableBackends: BackendName[] = probed.filter((b) => b.ok).map((b) => b.name);
