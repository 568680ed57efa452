import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/output/atomic.js';
import { tmpdir } from '../helpers/cli.js';

describe('writeFileAtomic', () => {
  it('writes the whole file and leaves no temporary file', () => {
    const dir = tmpdir();
    const file = path.join(dir, 'a.json');
    writeFileAtomic(file, '{"x": 1}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"x": 1}');
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it('a path through a file fails with ENOTDIR naming the path asked for, not its temporary file', () => {
    const blocker = path.join(tmpdir(), 'file');
    fs.writeFileSync(blocker, 'x');
    const target = path.join(blocker, 'x.json');
    let caught: NodeJS.ErrnoException | null = null;
    try {
      writeFileAtomic(target, '{}');
    } catch (e) {
      caught = e as NodeJS.ErrnoException;
    }
    // the cleanup of the temporary file used to throw its own error (lstat of .x.json.PID.tmp) over this one
    expect(caught?.code).toBe('ENOTDIR');
    expect(caught?.path).toBe(target);
    expect(fs.readFileSync(blocker, 'utf8')).toBe('x');
  });
});
