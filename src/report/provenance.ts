import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';

/** Where and how a result was made: with the seed, backend and parameters, enough to make it again. */
export interface Provenance {
  /** The command line as typed (a scan's points record the scan's command, not their worker's). */
  command: string[];
  /** Node.js version, platform and architecture. */
  node: string;
  platform: string;
  grokscapeVersion: string;
  /** The commit of grokscape's own checkout, or null when it is not a git checkout (an installed package). */
  gitCommit: string | null;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** HEAD's commit read from .git without running git (absent on machines without it). */
function readGitCommit(root: string): string | null {
  try {
    let gitDir = path.join(root, '.git');
    if (fs.statSync(gitDir).isFile()) {
      // a worktree or submodule: ".git" names the real directory
      const m = /^gitdir: (.+)$/m.exec(fs.readFileSync(gitDir, 'utf8'));
      if (!m) return null;
      gitDir = path.resolve(root, m[1].trim());
    }
    const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (!ref) return null;
    const common = fs.existsSync(path.join(gitDir, 'commondir'))
      ? path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim())
      : gitDir;
    for (const dir of [gitDir, common]) {
      const file = path.join(dir, ref);
      if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
    }
    const packed = path.join(common, 'packed-refs');
    if (fs.existsSync(packed)) {
      for (const line of fs.readFileSync(packed, 'utf8').split('\n')) {
        const [sha, name] = line.split(' ');
        if (name === ref && /^[0-9a-f]{40}$/.test(sha)) return sha;
      }
    }
    return null;
  } catch {
    return null;
  }
}

/** Env variable through which a scan hands its command line to its worker processes. */
export const COMMAND_ENV = 'GROKSCAPE_COMMAND';

export function commandLine(): string[] {
  const inherited = process.env[COMMAND_ENV];
  if (inherited) {
    try {
      const parsed = JSON.parse(inherited) as unknown;
      if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return parsed;
    } catch {
      // fall through to this process's own arguments
    }
  }
  // a script that imports the library is not a grokscape command line: say so, and name the script
  const script = process.argv[1] ?? '';
  if (!/^grokscape(\.js)?$/.test(path.basename(script))) return ['(library)', script, ...process.argv.slice(2)];
  return ['grokscape', ...process.argv.slice(2)];
}

let cached: Omit<Provenance, 'command'> | undefined;

export function provenance(): Provenance {
  cached ??= {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    grokscapeVersion: VERSION,
    gitCommit: readGitCommit(ROOT),
  };
  return { command: commandLine(), ...cached };
}

/** What an output that is not a run summary records about where it was made: version, command, machine. */
export function madeBy(): {
  version: string;
  command: string[];
  node: string;
  platform: string;
  gitCommit: string | null;
} {
  const { command, node, platform, gitCommit } = provenance();
  return { version: VERSION, command, node, platform, gitCommit };
}
