/**
 * @module journal/segment-scan
 * Validates a segment's bytes record by record and classifies the first bad spot:
 *
 * - A bad record (implausible length, record running past the end of the file, checksum mismatch)
 *   in the FINAL segment with no checksum-valid record anywhere after it is a torn write: the
 *   process died (or the machine lost power) while appending. Everything from there on was never
 *   acknowledged, because acknowledgement waits for the fsync of the whole batch, so it is safe to
 *   cut. The scan reports it; recovery truncates it.
 * - A bad record with a valid one after it, or a bad record in a non-final segment (rotation
 *   happens only after the segment's last batch was synced), is corruption of data that may have
 *   been acknowledged: a loud JournalCorruptionError naming the file and offset, never a silent cut.
 * - A checksum-valid record that does not decode, or whose seq is not the next one, is corruption
 *   too (or a bug): fatal.
 *
 * The search for a valid record after a bad one tries every byte offset; lengths outside the legal
 * range are discarded before computing a checksum, so a zero-filled or garbage tail costs O(bytes).
 *
 * Known limitation (documented in docs/journal.md): if a power loss persists a later sector of
 * the final, unsynced batch but not an earlier one, the scan cannot prove the damaged record was
 * unacknowledged and refuses to start instead of truncating; an operator decides.
 */
import { JournalCorruptionError } from './errors.js';
import {
  decodePayload, MAX_PAYLOAD_BYTES, MIN_PAYLOAD_BYTES, parseSegmentHeader, recordChecksum, RECORD_FRAME_BYTES,
  SEGMENT_HEADER_BYTES, type JournalRecord,
} from './format.js';
import { CodecError } from '../wire/index.js';

export interface SegmentScan {
  readonly firstSeq: number;
  /** Seq of the last valid record, firstSeq − 1 when there is none. */
  readonly lastSeq: number;
  readonly records: number;
  /** End offset of the last valid record (the header size when there are none). */
  readonly validBytes: number;
  /** Bytes after validBytes that belong to a torn final write (0 when the segment is clean). */
  readonly tornBytes: number;
  readonly tornReason: string | undefined;
  /** True when even the header is torn; the whole file holds nothing and may be removed. */
  readonly headerTorn: boolean;
  /** True when the scan stopped early because onRecord returned false or stopAfterSeq was passed. */
  readonly stoppedEarly: boolean;
}

export interface ScanOptions {
  /** Only the final segment may end in a torn write. */
  readonly isLast: boolean;
  /** First seq the file name promises; the header must agree. */
  readonly expectedFirstSeq: number;
  /** Called for every valid record in order; return false to stop the scan. */
  readonly onRecord?: (record: JournalRecord, offset: number) => boolean | void;
  /** Stop (without looking further) once a record with a larger seq would be next. */
  readonly stopAfterSeq?: number;
  /** Continue an earlier scan that stopped early: its validBytes and the next seq. */
  readonly resumeAt?: { readonly offset: number; readonly seq: number };
}

/** Offset of the first checksum-valid record starting at or after `from`, or -1. */
export function findValidRecord(bytes: Uint8Array, from: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = from; offset + RECORD_FRAME_BYTES + MIN_PAYLOAD_BYTES <= bytes.length; offset++) {
    const length = view.getUint32(offset, true);
    if (length < MIN_PAYLOAD_BYTES || length > MAX_PAYLOAD_BYTES) continue;
    if (offset + RECORD_FRAME_BYTES + length > bytes.length) continue;
    if (recordChecksum(bytes, offset, length) === view.getUint32(offset + 4, true)) return offset;
  }
  return -1;
}

/** Scans one segment's bytes; throws JournalCorruptionError on anything but a torn final write. */
export function scanSegment(file: string, bytes: Uint8Array, options: ScanOptions): SegmentScan {
  const header = parseSegmentHeader(bytes);
  if ('problem' in header) {
    // A crash while creating the next segment can leave a short or zeroed header; that file
    // never held a record, which we prove by finding none in it.
    if (options.isLast && findValidRecord(bytes, 0) < 0) {
      return {
        firstSeq: options.expectedFirstSeq, lastSeq: options.expectedFirstSeq - 1, records: 0, validBytes: 0,
        tornBytes: bytes.length, tornReason: header.problem, headerTorn: true, stoppedEarly: false,
      };
    }
    throw new JournalCorruptionError(file, 0, header.problem);
  }
  if (header.firstSeq !== options.expectedFirstSeq) {
    throw new JournalCorruptionError(file, 16, `header first seq ${header.firstSeq} does not match the file name (${options.expectedFirstSeq})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = options.resumeAt?.offset ?? SEGMENT_HEADER_BYTES;
  let nextSeq = options.resumeAt?.seq ?? header.firstSeq;
  let problem: string | undefined;
  let stoppedEarly = false;
  while (offset < bytes.length) {
    if (options.stopAfterSeq !== undefined && nextSeq > options.stopAfterSeq) {
      stoppedEarly = true;
      break;
    }
    if (bytes.length - offset < RECORD_FRAME_BYTES) {
      problem = `partial record frame (${bytes.length - offset} bytes)`;
      break;
    }
    const length = view.getUint32(offset, true);
    if (length < MIN_PAYLOAD_BYTES || length > MAX_PAYLOAD_BYTES) {
      problem = `implausible record length ${length}`;
      break;
    }
    const end = offset + RECORD_FRAME_BYTES + length;
    if (end > bytes.length) {
      problem = `record of ${length} bytes runs past the end of the file`;
      break;
    }
    if (recordChecksum(bytes, offset, length) !== view.getUint32(offset + 4, true)) {
      problem = 'record checksum mismatch';
      break;
    }
    let record: JournalRecord;
    try {
      record = decodePayload(bytes, offset + RECORD_FRAME_BYTES, end);
    } catch (error) {
      if (error instanceof CodecError) {
        throw new JournalCorruptionError(file, offset, `checksum-valid record does not decode (${error.message})`);
      }
      throw error;
    }
    if (record.seq !== nextSeq) {
      throw new JournalCorruptionError(file, offset, `record seq ${record.seq} where ${nextSeq} was expected`);
    }
    nextSeq++;
    if (options.onRecord !== undefined && options.onRecord(record, offset) === false) {
      offset = end;
      stoppedEarly = true;
      break;
    }
    offset = end;
  }
  const base = {
    firstSeq: header.firstSeq, lastSeq: nextSeq - 1, records: nextSeq - header.firstSeq, validBytes: offset,
    headerTorn: false, stoppedEarly,
  };
  if (problem === undefined) return { ...base, tornBytes: 0, tornReason: undefined };
  if (!options.isLast) throw new JournalCorruptionError(file, offset, `${problem} in a non-final segment`);
  const later = findValidRecord(bytes, offset + 1);
  if (later >= 0) {
    throw new JournalCorruptionError(file, offset, `${problem}, followed by a valid record at byte ${later}`);
  }
  return { ...base, tornBytes: bytes.length - offset, tornReason: problem };
}
