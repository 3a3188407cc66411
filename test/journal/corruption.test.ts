/**
 * @module test/journal/corruption.test
 * Damage on disk, byte by byte. A small real journal is written through the venue; then, for every
 * offset, the segment file is truncated there, and for every bit, that bit is flipped. After each
 * mutation, recovery from the files must do exactly one of two things:
 * - restore the last good prefix: a state whose stateHash equals the replay of the first k
 *   commands, with k exactly the number of intact records before the damage (damage confined to
 *   the final record is a torn write), or
 * - refuse loudly with JournalCorruptionError (damage followed by intact records),
 * and never anything else: no wrong state, no other exception. The venue itself is then opened on
 * a sample of mutations to show it truncates the torn tail durably and carries on.
 * Snapshots: a corrupt snapshot is skipped for an older one (or a full replay) with the same
 * final state; a journal cut below a valid snapshot is refused.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listSegments, listSnapshots, openDurableVenue, recover, SEGMENT_HEADER_BYTES, silentLogger, type JournalLogger,
} from '../../src/journal/index.js';
import { flipBits, recordEnds, recoverOutcome } from './support/corruption.js';
import { buildJournal, NARROW_INSTRUMENTS, steppingClock, tempDir, type BuiltJournal } from './support/fixtures.js';

describe('single-segment journal, every offset and every byte', () => {
  const dir = tempDir();
  let journal: BuiltJournal;
  let segmentPath: string;
  let original: Buffer;
  let ends: number[];

  beforeAll(async () => {
    journal = await buildJournal(dir.path, 8, { accounts: 1 });
    const segments = await listSegments(dir.path);
    expect(segments).toHaveLength(1);
    segmentPath = segments[0]!.path;
    original = await readFile(segmentPath);
    ends = recordEnds(original);
    expect(ends).toHaveLength(journal.commands.length);
    expect(ends[ends.length - 1]).toBe(original.length);
  });
  afterAll(() => dir.remove());

  it('recovers the intact journal completely', async () => {
    expect(await recoverOutcome(dir.path)).toEqual({
      kind: 'prefix', records: journal.commands.length, stateHash: journal.prefixHashes[journal.commands.length], tornBytes: 0,
    });
  });

  it('truncated at any offset: restores exactly the records that are complete', async () => {
    for (let length = 0; length < original.length; length++) {
      await writeFile(segmentPath, original.subarray(0, length));
      const complete = ends.filter((end) => end <= length).length;
      const outcome = await recoverOutcome(dir.path);
      const atBoundary = length === SEGMENT_HEADER_BYTES || ends.includes(length);
      expect(outcome, `truncated to ${length} bytes`).toEqual({
        kind: 'prefix', records: complete, stateHash: journal.prefixHashes[complete],
        tornBytes: atBoundary ? 0 : length - (complete === 0 ? (length < SEGMENT_HEADER_BYTES ? 0 : SEGMENT_HEADER_BYTES) : ends[complete - 1]!),
      });
    }
    await writeFile(segmentPath, original);
  });

  it('with a bit flipped in every byte: drops a damaged final record, refuses anything else', async () => {
    // One bit per byte, rotating through the bit positions; every bit is flipped in corruption.heavy.test.ts.
    const checked = await flipBits(dir.path, segmentPath, original, ends, journal, (byte) => [byte & 7]);
    expect(checked).toBe(original.length);
    await writeFile(segmentPath, original);
  });

  it('the venue truncates a torn tail durably, logs it, and appends after it', async () => {
    const cut = ends[4]! + 5;
    await writeFile(segmentPath, original.subarray(0, cut));
    const warnings: string[] = [];
    const log: JournalLogger = { ...silentLogger, warn: (_fields, message) => warnings.push(message) };
    const venue = await openDurableVenue({
      dataDir: dir.path, instruments: NARROW_INSTRUMENTS, fsync: false, tickIntervalMs: 0, logger: log,
      clock: steppingClock(journal.commands[4]!.atMs),
    });
    expect(venue.recovery).toMatchObject({ snapshotSeq: 0, replayedCommands: 5, truncatedBytes: 5 });
    expect(warnings).toContain('truncating a torn final journal record');
    expect(venue.engine.stateHash()).toBe(journal.prefixHashes[5]);
    expect((await readFile(segmentPath)).length).toBe(ends[4]);
    const outcome = await venue.submit({ type: 'Tick' });
    expect(outcome.seq).toBe(6);
    await venue.close();
    const reopened = await recoverOutcome(dir.path);
    expect(reopened).toMatchObject({ kind: 'prefix', records: 6, tornBytes: 0 });
    await writeFile(segmentPath, original);
    for (const snapshot of await listSnapshots(dir.path)) await unlink(snapshot.path);
  });
});

describe('multi-segment journal', () => {
  const dir = tempDir();
  let journal: BuiltJournal;

  beforeAll(async () => {
    journal = await buildJournal(dir.path, 60, { segmentSizeBytes: 600 });
  });
  afterAll(() => dir.remove());

  it('rotates segments and recovers across them', async () => {
    const segments = await listSegments(dir.path);
    expect(segments.length).toBeGreaterThanOrEqual(3);
    expect(await recoverOutcome(dir.path)).toMatchObject({ kind: 'prefix', records: 60, stateHash: journal.prefixHashes[60] });
  });

  it('refuses a damaged final record of a non-final segment, and a missing segment', async () => {
    const segments = await listSegments(dir.path);
    const first = segments[0]!;
    const bytes = await readFile(first.path);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 1]! ^= 0x10;
    await writeFile(first.path, damaged);
    const outcome = await recoverOutcome(dir.path);
    expect(outcome.kind).toBe('refused');
    if (outcome.kind === 'refused') expect(outcome.message).toMatch(/non-final segment/);
    await writeFile(first.path, bytes);
    const middle = segments[1]!;
    const middleBytes = await readFile(middle.path);
    await writeFile(join(dir.path, 'moved.bak'), middleBytes);
    await unlink(middle.path);
    const gap = await recoverOutcome(dir.path);
    expect(gap.kind).toBe('refused');
    if (gap.kind === 'refused') expect(gap.message).toMatch(/previous segment ends at/);
    await writeFile(middle.path, middleBytes);
    expect(await recoverOutcome(dir.path)).toMatchObject({ kind: 'prefix', records: 60 });
  });

  it('removes a final segment whose header was torn while being created', async () => {
    const segments = await listSegments(dir.path);
    const last = segments[segments.length - 1]!;
    const nextSeq = journal.commands.length + 1;
    const torn = join(dir.path, `journal-${String(nextSeq).padStart(16, '0')}.seg`);
    await writeFile(torn, Buffer.alloc(11));
    const outcome = await recoverOutcome(dir.path);
    expect(outcome).toMatchObject({ kind: 'prefix', records: 60, stateHash: journal.prefixHashes[60], tornBytes: 11 });
    const venue = await openDurableVenue({
      dataDir: dir.path, instruments: NARROW_INSTRUMENTS, fsync: false, tickIntervalMs: 0, logger: silentLogger,
      clock: steppingClock(journal.commands[59]!.atMs),
    });
    expect(venue.recovery.truncatedBytes).toBe(11);
    expect((await venue.submit({ type: 'Tick' })).seq).toBe(nextSeq);
    await venue.close();
    expect((await listSegments(dir.path)).map((segment) => segment.name)).toContain(last.name);
    expect(await recoverOutcome(dir.path)).toMatchObject({ kind: 'prefix', records: 61, tornBytes: 0 });
  });
});

describe('snapshots', () => {
  const dir = tempDir();
  let journal: BuiltJournal;

  beforeAll(async () => {
    journal = await buildJournal(dir.path, 90, { snapshotEveryCommands: 25, snapshotsToKeep: 3, keepSnapshots: true });
  });
  afterAll(() => dir.remove());

  it('recovers from the newest snapshot with the same state as a full replay', async () => {
    const recovered = await recover({ dataDir: dir.path, instruments: NARROW_INSTRUMENTS, log: silentLogger });
    const full = await recover({ dataDir: dir.path, instruments: NARROW_INSTRUMENTS, log: silentLogger, fromScratch: true });
    expect(recovered.snapshotSeq).toBe(90);
    expect(recovered.engine.stateHash()).toBe(journal.prefixHashes[90]);
    expect(full.engine.stateHash()).toBe(journal.prefixHashes[90]);
    expect(full.replayedCommands).toBe(90);
  });

  it('skips a corrupt snapshot (a sample of bits; all of them in the heavy suite) for an older one, loudly, with the same final state', async () => {
    const [newest, older] = await listSnapshots(dir.path);
    const bytes = await readFile(newest!.path);
    // About 150 flips spread over header and body; corruption.heavy.test.ts flips every bit.
    const step = Math.max(1, Math.floor((bytes.length * 8) / 150)) | 1;
    const errors: string[] = [];
    const log: JournalLogger = { ...silentLogger, error: (fields) => errors.push(String(fields['reason'])) };
    for (let bit = 0; bit < bytes.length * 8; bit += step) {
      const mutated = Buffer.from(bytes);
      mutated[bit >> 3]! ^= 1 << (bit & 7);
      await writeFile(newest!.path, mutated);
      const recovered = await recover({ dataDir: dir.path, instruments: NARROW_INSTRUMENTS, log });
      expect(recovered.snapshotSeq, `bit ${bit}`).toBe(older!.seq);
      expect(recovered.replayedCommands).toBe(90 - older!.seq);
      expect(recovered.engine.stateHash()).toBe(journal.prefixHashes[90]);
    }
    expect(errors.length).toBe(Math.ceil((bytes.length * 8) / step));
    await writeFile(newest!.path, bytes);
  });

  it('falls back to a full replay when every snapshot is corrupt', async () => {
    const files = await listSnapshots(dir.path);
    const saved = await Promise.all(files.map((file) => readFile(file.path)));
    for (const file of files) await writeFile(file.path, 'garbage');
    const recovered = await recover({ dataDir: dir.path, instruments: NARROW_INSTRUMENTS, log: silentLogger });
    expect(recovered.snapshotSeq).toBe(0);
    expect(recovered.skippedSnapshots).toHaveLength(files.length);
    expect(recovered.engine.stateHash()).toBe(journal.prefixHashes[90]);
    await Promise.all(files.map((file, index) => writeFile(file.path, saved[index]!)));
  });

  it('refuses a journal that ends before a valid snapshot (acknowledged records lost)', async () => {
    const segments = await listSegments(dir.path);
    const last = segments[segments.length - 1]!;
    const bytes = await readFile(last.path);
    const ends = recordEnds(bytes);
    await writeFile(last.path, bytes.subarray(0, ends[ends.length - 3]));
    await expect(recover({ dataDir: dir.path, instruments: NARROW_INSTRUMENTS, log: silentLogger }))
      .rejects.toThrow(/acknowledged records are missing/);
    await writeFile(last.path, bytes);
  });
});
