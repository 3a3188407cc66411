/**
 * The file journal behind the CommandLog interface, and the batch framing both logs share: what one
 * instance appends another reads back record by record; an append that does not start right after
 * the tail is refused; the bytes are a journal the durable venue opens as its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forEachRecord, joinRecords } from '../../src/cluster/command-batch.js';
import { LogFencedError } from '../../src/cluster/command-log.js';
import { EngineReplica } from '../../src/cluster/engine-replica.js';
import { FileCommandLog } from '../../src/cluster/file-command-log.js';
import { CodecError, encodeRecord, openDurableVenue, silentLogger, type JournalRecord } from '../../src/journal/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function batchOf(firstSeq: number, count: number, atMs = 1_000): ReturnType<typeof joinRecords> {
  const records = Array.from({ length: count }, (_, i) => encodeRecord(firstSeq + i, atMs, `k${firstSeq + i}`,
    i % 2 === 0 ? { type: 'CreateAccount', parentAccountId: 0 } : { type: 'Deposit', accountId: 1, amountE8: 5n }));
  return joinRecords(firstSeq, records);
}

describe('command batches', () => {
  it('decode back to the records they joined, with their keys', () => {
    const seen: JournalRecord[] = [];
    forEachRecord(batchOf(7, 3).bytes, (record) => seen.push(record));
    expect(seen.map((record) => [record.seq, record.idempotencyKey, record.command.type]))
      .toEqual([[7, 'k7', 'CreateAccount'], [8, 'k8', 'Deposit'], [9, 'k9', 'CreateAccount']]);
  });

  it('refuse a flipped byte and a cut batch', () => {
    const { bytes } = batchOf(1, 2);
    const flipped = bytes.slice();
    flipped[12]! ^= 1;
    expect(() => forEachRecord(flipped, () => undefined)).toThrow(CodecError);
    expect(() => forEachRecord(bytes.subarray(0, bytes.length - 1), () => undefined)).toThrow(CodecError);
  });
});

describe('FileCommandLog', () => {
  it('appends batches durably, reads them back from a new instance, and refuses an append off the tail', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'perpx-file-log-'));
    dirs.push(dataDir);
    const log = await FileCommandLog.open({ dataDir, fsync: false });
    await log.catchUp(() => undefined);
    await log.append(batchOf(1, 3));
    await log.append(batchOf(4, 2));
    await expect(log.append(batchOf(4, 1))).rejects.toBeInstanceOf(LogFencedError);
    await log.close();

    const reopened = await FileCommandLog.open({ dataDir, fsync: false });
    // Not read yet: writing now would be writing blind.
    await expect(reopened.append(batchOf(6, 1))).rejects.toBeInstanceOf(LogFencedError);
    const replica = new EngineReplica();
    await reopened.catchUp((record) => replica.apply(record));
    expect(replica.lastSeq).toBe(5);
    expect(replica.window.get('k4')?.seq).toBe(4);
    await expect(reopened.append(batchOf(5, 1))).rejects.toBeInstanceOf(LogFencedError);
    await reopened.append(batchOf(6, 1));
    await reopened.close();
    forEachRecord(batchOf(6, 1).bytes, (record) => replica.apply(record));

    // The same directory is a journal the embedded durable venue recovers, to the same state.
    const venue = await openDurableVenue({ dataDir, fsync: false, tickIntervalMs: 0, logger: silentLogger });
    expect(venue.engine.lastSeq).toBe(6);
    expect(venue.engine.stateHash()).toBe(replica.engine.stateHash());
    await venue.close();
  });
});
