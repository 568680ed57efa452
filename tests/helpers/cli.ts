import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'bin/grokscape.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process (cwd: a fresh temporary directory unless given). */
export function cli(
  args: string[],
  o: { cwd?: string; env?: Record<string, string>; timeout?: number } = {},
): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: o.cwd ?? tmpdir(),
    encoding: 'utf8',
    timeout: o.timeout ?? 120_000,
    env: { ...process.env, GROKSCAPE_DEBUG: '', ...o.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'grokscape-test-'));
}

/** Writes a scenario file into a fresh temporary directory and returns its path. */
export function writeScenario(text: string, name = 'scenario.yaml'): string {
  const file = path.join(tmpdir(), name);
  fs.writeFileSync(file, text);
  return file;
}

/** A valid small 1D scenario; tests break one thing at a time. */
export const VALID = `name: tiny
description: a small valid scenario
dimensions: [x]
parameters: { a: 0.1 }
potential: "x^4/4 - x^2/2 + a*x"
temperature: 0.3
dt: 0.001
steps: 200
particles: 64
seed: 1
start: { x: -1 }
regions:
  memorizing: "x < 0"
  generalizing: "x > 0.8"
escape: { from: memorizing, to: generalizing }
record: { every: 100 }
`;

/** The error output is one line, names what it should, and carries no stack trace. */
export function expectOneLineError(r: CliResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/Vulkan|BackendVk|nodedir/.test(l));
  if (lines.length !== 1) throw new Error(`expected one error line, got:\n${r.stderr}`);
  if (/\n\s+at /.test(r.stderr)) throw new Error(`stack trace in:\n${r.stderr}`);
  return lines[0];
}
