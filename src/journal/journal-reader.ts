/**
 * @module journal/journal-reader
 * Reads the journal's records in seq order across segments: recovery's tail replay, `replay()`
 * for read models, duplicate re-derivation, and the verify/info tools all go through here, so
 * they all apply the same checks (checksums, consecutive seqs, segment continuity, torn tails
 * only at the very end).
 *
 * Only segments that can hold seqs ≥ fromSeq are read, so recovery after a recent snapshot does
 * not re-read history; `perpx journal verify` reads everything.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { JournalCorruptionError } from './errors.js';
import { parseSegmentFileName, type JournalRecord } from './format.js';
import { scanSegment, type SegmentScan } from './segment-scan.js';

export interface SegmentFile {
  readonly firstSeq: number;
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
}

/** Segment files in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<SegmentFile[]> {
  const files: SegmentFile[] = [];
  for (const name of await readdir(dir)) {
    const firstSeq = parseSegmentFileName(name);
    if (firstSeq === undefined) continue;
    const path = join(dir, name);
    files.push({ firstSeq, name, path, sizeBytes: (await stat(path)).size });
  }
  return files.sort((a, b) => a.firstSeq - b.firstSeq);
}

export interface TornTail {
  readonly segment: SegmentFile;
  /** Bytes to keep (0 with headerTorn: the file holds nothing). */
  readonly validBytes: number;
  readonly tornBytes: number;
  readonly reason: string;
  readonly headerTorn: boolean;
}

export interface ReadJournalOptions {
  /** First seq delivered to onRecord; earlier records of the first segment read are checked, not delivered. */
  readonly fromSeq: number;
  /** Last seq to read (inclusive); bytes after it are not looked at (a live writer may be appending). */
  readonly toSeq?: number;
  readonly onRecord: (record: JournalRecord) => void;
  /** Await a macrotask after this many delivered records, so a live venue keeps serving (0 = never). */
  readonly yieldEvery?: number;
  /** Called per segment before it is read (progress bars). */
  readonly onSegment?: (segment: SegmentFile, index: number, count: number) => void;
}

export interface ReadJournalResult {
  /** Seq of the last valid record read (0 for an empty journal). */
  readonly lastSeq: number;
  readonly delivered: number;
  /** Scans of the segments read, in order. */
  readonly scans: readonly { readonly segment: SegmentFile; readonly scan: SegmentScan }[];
  /** Set when the final segment ends in a torn write (never thrown: the caller decides). */
  readonly torn: TornTail | undefined;
}

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Delivers records fromSeq..toSeq (or to the end) in order. Throws JournalCorruptionError for any
 * damage except a torn tail of the final segment, which is reported in the result.
 */
export async function readJournal(segments: readonly SegmentFile[], options: ReadJournalOptions): Promise<ReadJournalResult> {
  if (segments.length === 0) return { lastSeq: 0, delivered: 0, scans: [], torn: undefined };
  let start = 0;
  for (let i = 0; i < segments.length; i++) if (segments[i]!.firstSeq <= options.fromSeq) start = i;
  const first = segments[start]!;
  if (first.firstSeq > options.fromSeq) {
    throw new JournalCorruptionError(first.name, 0,
      `the journal starts at seq ${first.firstSeq} but seq ${options.fromSeq} is needed (an earlier segment is missing)`);
  }
  const scans: { segment: SegmentFile; scan: SegmentScan }[] = [];
  let lastSeq = first.firstSeq - 1;
  let delivered = 0;
  let torn: TornTail | undefined;
  for (let i = start; i < segments.length; i++) {
    const segment = segments[i]!;
    if (options.toSeq !== undefined && segment.firstSeq > options.toSeq) break;
    if (i > start && segment.firstSeq !== lastSeq + 1) {
      throw new JournalCorruptionError(segment.name, 0,
        `segment starts at seq ${segment.firstSeq} but the previous segment ends at ${lastSeq}`);
    }
    options.onSegment?.(segment, i, segments.length);
    // A plain Uint8Array view: Buffer#subarray allocates a Buffer per call, measurably slower per record.
    const file = await readFile(segment.path);
    const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
    const isLast = i === segments.length - 1;
    let resumeAt: { offset: number; seq: number } | undefined;
    let scan: SegmentScan;
    for (;;) {
      let pause = false;
      scan = scanSegment(segment.name, bytes, {
        isLast, expectedFirstSeq: segment.firstSeq, ...(options.toSeq === undefined ? {} : { stopAfterSeq: options.toSeq }),
        ...(resumeAt === undefined ? {} : { resumeAt }),
        onRecord: (record) => {
          if (record.seq < options.fromSeq) return true;
          options.onRecord(record);
          delivered++;
          if (options.yieldEvery !== undefined && options.yieldEvery > 0 && delivered % options.yieldEvery === 0) {
            pause = true;
            return false;
          }
          return true;
        },
      });
      if (!pause) break;
      resumeAt = { offset: scan.validBytes, seq: scan.lastSeq + 1 };
      await nextMacrotask();
    }
    scans.push({ segment, scan });
    if (scan.headerTorn) {
      torn = { segment, validBytes: 0, tornBytes: scan.tornBytes, reason: scan.tornReason ?? 'torn header', headerTorn: true };
      break;
    }
    lastSeq = scan.lastSeq;
    if (scan.tornBytes > 0) {
      torn = { segment, validBytes: scan.validBytes, tornBytes: scan.tornBytes, reason: scan.tornReason ?? 'torn', headerTorn: false };
    }
    if (scan.stoppedEarly) break;
  }
  return { lastSeq, delivered, scans, torn };
}
