import { availableBackends } from '../../src/engine/backend.js';

/**
 * Says once, before any test runs, which backends the backend-matrix tests will leave out here and why;
 * under GROKSCAPE_REQUIRE_WEBGPU=1 a missing webgpu adapter fails the run before it starts.
 */
export default async function setup(): Promise<void> {
  const missing = (await availableBackends()).filter((b) => !b.ok);
  for (const b of missing) {
    if (b.name === 'webgpu' && process.env.GROKSCAPE_REQUIRE_WEBGPU === '1') {
      throw new Error(
        `GROKSCAPE_REQUIRE_WEBGPU=1 but webgpu cannot run here: ${b.reason} (scripts/provision-webgpu.sh installs a software adapter)`,
      );
    }
  }
  const line =
    missing.length === 0
      ? 'every backend runs here (webgpu, webasm, cpu)'
      : `skipping backend ${missing.map((b) => `${b.name} (${b.reason})`).join(', ')}`;
  process.stdout.write(`grokscape tests: ${line}\n`);
}
