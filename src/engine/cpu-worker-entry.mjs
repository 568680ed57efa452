// Worker entry in plain JavaScript: registers tsx's loader (with the project's tsconfig), then loads the
// TypeScript worker.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./cpu-worker.ts');
