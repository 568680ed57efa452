// Worker entry in plain JavaScript: registers tsx's loader, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./cpu-worker.ts');
