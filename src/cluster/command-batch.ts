/**
 * @module cluster/command-batch
 * A command-log message: journal records (journal/format) back to back. Every record keeps its own
 * length, checksum, seq, atMs and idempotency key, so a batch read from any log is checked and
 * decoded exactly as a journal segment is, and the keys travel with the commands (a standby that
 * takes over rebuilds the dedupe window from the log alone).
 */
import { decodePayload, RECORD_FRAME_BYTES, type JournalRecord } from '../journal/index.js';
import { recordChecksum } from '../journal/format.js';
import { CodecError } from '../wire/index.js';
import type { CommandBatch } from './command-log.js';

/** Joins records with consecutive seqs into one batch. */
export function joinRecords(firstSeq: number, records: readonly Uint8Array[]): CommandBatch {
  let size = 0;
  for (const record of records) size += record.length;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const record of records) {
    bytes.set(record, offset);
    offset += record.length;
  }
  return { firstSeq, lastSeq: firstSeq + records.length - 1, bytes };
}

/** Checks and decodes every record of a batch, in order, with its byte range. Throws CodecError on any damage. */
export function forEachRecord(bytes: Uint8Array, onRecord: (record: JournalRecord, start: number, end: number) => void): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < RECORD_FRAME_BYTES) throw new CodecError(`truncated record frame at byte ${offset}`);
    const payloadBytes = view.getUint32(offset, true);
    const end = offset + RECORD_FRAME_BYTES + payloadBytes;
    if (end > bytes.length) throw new CodecError(`record at byte ${offset} runs past the batch`);
    if (view.getUint32(offset + 4, true) !== recordChecksum(bytes, offset, payloadBytes)) {
      throw new CodecError(`record checksum mismatch at byte ${offset}`);
    }
    onRecord(decodePayload(bytes, offset + RECORD_FRAME_BYTES, end), offset, end);
    offset = end;
  }
}
