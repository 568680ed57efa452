#!/usr/bin/env node
// Entry point. Runs the compiled CLI in dist/ (written by `npm run build`, which `npm ci` runs as `prepare`)
// when it is at least as new as every source file: a command then starts in a fraction of a second.
// Otherwise (an edited checkout, no build) it runs the TypeScript sources through tsx's loader, so the CLI
// never runs stale code; GROKSCAPE_FROM_SOURCE=1 forces that. The project's tsconfig is named explicitly:
// tsx would otherwise look for one in the working directory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = path.join(root, 'dist/cli/main.js');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function compiledIsCurrent() {
  if (process.env.GROKSCAPE_FROM_SOURCE === '1') return false;
  try {
    const built = fs.statSync(compiled).mtimeMs;
    return !fs.existsSync(path.join(root, 'src')) || newestSource(path.join(root, 'src')) <= built;
  } catch {
    return false;
  }
}

if (compiledIsCurrent()) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: path.join(root, 'tsconfig.json') });
  await import('../src/cli/main.ts');
}
