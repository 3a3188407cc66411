/**
 * @module cluster/file-command-log
 * The embedded journal (src/journal) behind the CommandLog interface: one process, one data
 * directory, the same segments, records and group-commit fsync the durable venue writes. A thin
 * adapter: the durable venue keeps its own writer and is unchanged. An append must start right after
 * the journal's end, and only once this instance has read up to it (the directory LOCK already
 * keeps other processes out; this check keeps one process honest, as expected-last-sequence does
 * for JetStream).
 */
import { mkdir } from 'node:fs/promises';
import { JournalFailedError, listSegments, readJournal } from '../journal/index.js';
import { fsyncDir, lockDataDir } from '../journal/fs-util.js';
import { JournalWriter } from '../journal/journal-writer.js';
import { forEachRecord } from './command-batch.js';
import { LogFencedError, type CommandBatch, type CommandLog, type RecordListener } from './command-log.js';

const SEGMENT_SIZE_BYTES = 64 * 1024 * 1024;

export interface FileCommandLogOptions {
  readonly dataDir: string;
  /** fdatasync every batch (default true). Off only for tests and benchmarks. */
  readonly fsync?: boolean;
}

export class FileCommandLog implements CommandLog {
  /** Last seq this instance has read or written; appends go only after the journal's end, once read. */
  private tail = 0;
  private journalEnd = 0;
  private readonly waiters: { seq: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  private writer!: JournalWriter;
  private failure: Error | undefined;

  private constructor(private readonly dataDir: string, private readonly releaseLock: () => Promise<void>) {}

  /** Opens the directory; refuses a torn tail (the durable venue repairs those at its open). */
  static async open(options: FileCommandLogOptions): Promise<FileCommandLog> {
    const fsync = options.fsync ?? true;
    await mkdir(options.dataDir, { recursive: true });
    const releaseLock = await lockDataDir(options.dataDir);
    const log = new FileCommandLog(options.dataDir, releaseLock);
    try {
      const segments = await listSegments(options.dataDir);
      const read = await readJournal(segments, { fromSeq: Number.MAX_SAFE_INTEGER, onRecord: () => undefined });
      if (read.torn !== undefined) throw new JournalFailedError(`torn journal tail in ${read.torn.segment.name}; open it with the durable venue to repair`);
      const last = read.scans.at(-1);
      const active = last === undefined ? undefined : { firstSeq: last.segment.firstSeq, validBytes: last.scan.validBytes };
      log.writer = await JournalWriter.open({
        dataDir: options.dataDir, segmentSizeBytes: SEGMENT_SIZE_BYTES, fsync, hooks: {},
        onDurable: (seq) => log.onDurable(seq),
        onFailure: (error) => log.onFailure(error),
      }, active, read.lastSeq);
      if (fsync && segments.length === 0) await fsyncDir(options.dataDir);
      log.journalEnd = read.lastSeq;
      return log;
    } catch (error) {
      await releaseLock();
      throw error;
    }
  }

  append(batch: CommandBatch): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.tail !== this.journalEnd || batch.firstSeq !== this.tail + 1) {
      return Promise.reject(new LogFencedError(
        `batch starts at seq ${batch.firstSeq}; this log has read to ${this.tail} and the journal ends at ${this.journalEnd}`));
    }
    let seq = batch.firstSeq;
    forEachRecord(batch.bytes, (record, start, end) => {
      if (record.seq !== seq) throw new LogFencedError(`record seq ${record.seq} where ${seq} was expected`);
      this.writer.append(seq++, batch.bytes.subarray(start, end));
    });
    this.tail = batch.lastSeq;
    this.journalEnd = batch.lastSeq;
    return new Promise((resolve, reject) => this.waiters.push({ seq: batch.lastSeq, resolve, reject }));
  }

  async catchUp(onRecord: RecordListener): Promise<void> {
    const read = await readJournal(await listSegments(this.dataDir), { fromSeq: this.tail + 1, toSeq: this.journalEnd, onRecord });
    this.tail = Math.max(this.tail, read.lastSeq);
  }

  private onDurable(seq: number): void {
    while (this.waiters.length > 0 && this.waiters[0]!.seq <= seq) this.waiters.shift()!.resolve();
  }

  private onFailure(error: Error): void {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  async close(): Promise<void> {
    try {
      await this.writer.idle();
      await this.writer.close();
    } finally {
      await this.releaseLock();
    }
  }
}
