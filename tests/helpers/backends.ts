import { availableBackends, type BackendName } from '../../src/engine/backend.js';

/** Backends that can run on this machine; webgpu appears only where Dawn finds an adapter. */
export const runnableBackends: BackendName[] = (await availableBackends()).filter((b) => b.ok).map((b) => b.name);
