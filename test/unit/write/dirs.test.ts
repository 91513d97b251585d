import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirs } from '../../../src/write/dirs.js';

const dir = mkdtempSync(path.join(tmpdir(), 'logtool-dirs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeDirs', () => {
  it('makes every missing level, and is quiet when the folder exists', () => {
    const deep = path.join(dir, 'a', 'b', 'c');
    makeDirs(deep);
    expect(existsSync(deep)).toBe(true);
    expect(() => makeDirs(deep)).not.toThrow();
  });

  it('throws with a code when a level is a file', () => {
    writeFileSync(path.join(dir, 'file'), '');
    expect(() => makeDirs(path.join(dir, 'file', 'x'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('fails at once under /proc, where a recursive mkdir never returns', () => {
    if (!existsSync('/proc/self')) return;
    expect(() => makeDirs('/proc/no-such-entry/reports')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
