import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CopySharing } from './copy-sharing.js';

describe('live sharing setting', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

  it('is off by default, survives a restart from the data dir, and switches off again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpx-sharing-'));
    dirs.push(dir);
    const first = new CopySharing(dir);
    expect(first.isSharing(7)).toBe(false);
    first.set(7, true);
    first.set(3, true);
    expect(JSON.parse(readFileSync(join(dir, 'copy-sharing.json'), 'utf8'))).toEqual({ version: 1, sharing: [3, 7] });
    const reopened = new CopySharing(dir);
    expect([reopened.isSharing(7), reopened.isSharing(3), reopened.isSharing(4)]).toEqual([true, true, false]);
    reopened.set(7, false);
    expect(new CopySharing(dir).isSharing(7)).toBe(false);
  });

  it('without a data dir it is kept in memory only', () => {
    const memory = new CopySharing(undefined);
    memory.set(5, true);
    expect(memory.isSharing(5)).toBe(true);
    expect(new CopySharing(undefined).isSharing(5)).toBe(false);
  });
});
