/**
 * A snapshot that fails for lack of a descriptor (a real EMFILE: the child process runs with a
 * small limit and takes every descriptor left) does not stop the venue: commands keep being
 * journaled and acknowledged, and the snapshot is retried once descriptors are back. Corruption
 * and failed writes still fail the venue closed (durable-venue.test.ts).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalFailedError, listSnapshots, openDurableVenue, silentLogger } from '../../src/journal/index.js';
import { NARROW_INSTRUMENTS, tempDir } from './support/fixtures.js';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'support', 'emfile-child.ts');
const ROOT = join(import.meta.dirname, '..', '..');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface ChildReport {
  readonly heldDescriptors: number;
  readonly during: { readonly snapshots: number; readonly lastSeq: number; readonly durableSeq: number; readonly failed?: string };
  readonly after: { readonly snapshots: number; readonly failed?: string };
  readonly lastSeq: number;
  readonly warnings: string[];
  readonly errors: string[];
  readonly crashed?: string;
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('snapshots and transient resource shortages', () => {
  it('still fails the venue closed when a snapshot fails for any other reason (EIO)', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const venue = await openDurableVenue({ dataDir: dir.path, instruments: NARROW_INSTRUMENTS, fsync: false, tickIntervalMs: 0,
      logger: silentLogger, testHooks: { snapshotMidWrite: () => Promise.reject(errno('EIO')) } });
    await venue.submit({ type: 'Tick' });
    await expect(venue.snapshot()).rejects.toBeInstanceOf(JournalFailedError);
    await expect(venue.submit({ type: 'Tick' })).rejects.toBeInstanceOf(JournalFailedError);
    await venue.close();
  });

  it('keeps the venue running through a snapshot that hits EMFILE and retries the snapshot later', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const { stdout } = await run('prlimit', ['--nofile=256:256', process.execPath, '--import', 'tsx', CHILD, dir.path], { cwd: ROOT });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport;
    expect(report.crashed).toBeUndefined();
    expect(report.heldDescriptors).toBeGreaterThan(0);
    // While descriptors were gone: no snapshot, but nothing failed and every command was acknowledged.
    expect(report.during.snapshots).toBe(0);
    expect(report.during.failed).toBeUndefined();
    expect(report.during.durableSeq).toBe(report.during.lastSeq);
    expect(report.warnings.some((line) => line.includes('snapshot failed for lack of a resource') && line.includes('EMFILE'))).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.after.failed).toBeUndefined();
    expect(report.after.snapshots).toBeGreaterThan(0);
    const venue = await openDurableVenue({ dataDir: dir.path, instruments: NARROW_INSTRUMENTS, fsync: false, tickIntervalMs: 0,
      logger: silentLogger });
    expect(venue.engine.lastSeq).toBe(report.lastSeq);
    expect((await listSnapshots(dir.path)).length).toBeGreaterThan(0);
    await venue.close();
  });
});
