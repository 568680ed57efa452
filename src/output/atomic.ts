import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that readers see either the old content or the whole new content: write a temporary
 * file in the same directory, flush it to disk, then rename over the target (atomic on POSIX). A failed
 * write (a full disk) removes the temporary file, so nothing partial is left behind.
 */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing was created there (its directory is a file, or cannot be read): the first error says why
    }
    // the error names the hidden temporary file; the user gave `file`
    const err = e as NodeJS.ErrnoException;
    if (err.path === tmp) Object.assign(err, { path: file, dest: undefined, syscall: 'write' });
    throw e;
  }
}

export class NoSpaceError extends Error {
  constructor(
    readonly dir: string,
    readonly needBytes: number,
    readonly freeBytes: number,
  ) {
    const kib = (b: number) => `${Math.ceil(b / 1024)} KiB`;
    super(`${dir}: the results need up to ${kib(needBytes)} and the disk has ${kib(freeBytes)} free`);
  }
}

/**
 * Creates `dir` if needed and proves it writable before any simulation starts; with `needBytes`, also
 * that the file system has that much free space (an upper bound of what will be written).
 */
export function ensureWritableDir(dir: string, needBytes = 0): void {
  makeDir(dir);
  const probe = path.join(dir, `.grokscape-write-test-${process.pid}`);
  fs.writeFileSync(probe, 'ok');
  fs.rmSync(probe);
  if (needBytes > 0) {
    const st = fs.statfsSync(dir);
    const free = st.bavail * st.bsize;
    if (free < needBytes) throw new NoSpaceError(dir, needBytes, free);
  }
}

/**
 * mkdir -p that fails at once where a parent cannot hold directories: Node's recursive mkdirSync loops
 * forever under /proc (ENOENT for a child of an existing directory).
 */
export function makeDir(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let at = abs;
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  if (!fs.statSync(abs).isDirectory()) {
    throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR', path: dir, syscall: 'mkdir' });
  }
}
