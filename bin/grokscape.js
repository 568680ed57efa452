#!/usr/bin/env node
// Entry point: runs the TypeScript sources through tsx's loader, so the CLI and the tests run the same code.
// The project's tsconfig is named explicitly: tsx would otherwise look for one in the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
