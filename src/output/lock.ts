import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = '.grokscape.lock';

interface LockInfo {
  pid: number;
  started: string;
  command: string;
}

export class LockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A pid reused after a crash may name another program: where /proc shows one that is neither Node nor a
  // grokscape (any script using the library runs in Node), the lock is stale. Another Node process keeps it.
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /node|grokscape/i.test(path.basename(argv[0] ?? '')) || argv.some((a) => a.includes('grokscape'));
  } catch {
    return true;
  }
}

const held = new Set<string>();
let cleanupInstalled = false;

/**
 * Takes DIR's lock file for this process, so that a second grokscape writing the same directory at once
 * stops with the other's pid and command instead of interleaving results. A lock left by a process that no
 * longer runs (killed with SIGKILL, a crash) is taken over. Released when this process exits.
 */
export function lockDir(dir: string): void {
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) return;
  const mine: LockInfo = {
    pid: process.pid,
    started: new Date().toISOString(),
    command: process.argv.slice(2).join(' '),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      held.add(file);
      if (!cleanupInstalled) {
        cleanupInstalled = true;
        process.on('exit', releaseAll);
      }
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let other: LockInfo | null = null;
    try {
      other = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    } catch {
      // unreadable or half-written: treated as stale below only if it stays so
    }
    if (other && Number.isInteger(other.pid) && other.pid !== process.pid && alive(other.pid)) {
      throw new LockedError(
        `${dir} is being written by another grokscape (pid ${other.pid}, since ${other.started}: grokscape ${other.command}); wait for it to finish or choose another directory`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw new LockedError(`${dir}: could not take its lock file ${LOCK_FILE}; remove it if no grokscape is running`);
}

/** Releases DIR's lock now (before removing the directory, or when the work there is done). */
export function unlockDir(dir: string): void {
  const file = path.join(dir, LOCK_FILE);
  if (held.delete(file)) fs.rmSync(file, { force: true });
}

function releaseAll(): void {
  for (const file of held) fs.rmSync(file, { force: true });
  held.clear();
}
