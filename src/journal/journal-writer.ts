/**
 * @module journal/journal-writer
 * Appends records to the active segment with group commit. Records appended while a write+fsync
 * is in flight queue up and go out together in the next single write followed by one fdatasync,
 * so the fsync cost is shared by every command that arrived during the previous one (no timer,
 * no artificial delay: under light load a batch is one record). `onDurable(seq)` fires after the
 * fsync that covers `seq` returns; the venue acknowledges only then.
 *
 * Failure is final. If a write or fsync fails, the writer stops: after a failed fsync the kernel
 * may have dropped the dirty pages and marked them clean, so a retry could "succeed" without the
 * data (PostgreSQL's fsyncgate). Everything queued is failed, the handle closed, and the venue
 * fails closed; a restart recovers from what is really on disk.
 *
 * Rotation: once the active segment reaches segmentSizeBytes after a batch, the next segment is
 * created (header written and synced, directory synced) before the next batch; a record never
 * spans segments. Files are written at explicit positions (not O_APPEND), starting at the end of
 * the last valid record recovery found.
 *
 * Cost per batch on the event-loop thread: the batch is written with one synchronous write (a
 * page-cache copy of a few KiB, ~7 µs) and only the fdatasync goes to the libuv pool, through the
 * callback API. Handing each step to the pool costs 15–25 µs of this thread per step on the 2-core
 * benchmark machine (waking a pool thread, promise plumbing), and with fast disks batches are small
 * (a few records at 0.4 ms per fsync), so that hand-off was a large share of each request's cost.
 */
import { fdatasync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { JournalFailedError } from './errors.js';
import { encodeSegmentHeader, segmentFileName } from './format.js';
import { fsyncDir, writeFully } from './fs-util.js';

/** Test hooks: pause points inside a batch (the crash test lands SIGKILL there). */
export interface JournalWriteHooks {
  /**
   * Split a batch write in two at the returned byte offset (1 ≤ offset < batch size) and await
   * `midWrite` in between, so a kill leaves a torn record on disk.
   */
  readonly splitWriteAt?: (batchBytes: number) => number | undefined;
  readonly midWrite?: () => Promise<void>;
  /** After the write, before the fsync. */
  readonly beforeSync?: () => Promise<void>;
  /** After the fsync, before anything is acknowledged. */
  readonly beforeAck?: () => Promise<void>;
}

export interface JournalWriterOptions {
  readonly dataDir: string;
  readonly segmentSizeBytes: number;
  readonly fsync: boolean;
  readonly hooks: JournalWriteHooks;
  /** Called in seq order after each durable batch with its last seq. */
  readonly onDurable: (seq: number) => void;
  /** Called once, on the first I/O failure. */
  readonly onFailure: (error: JournalFailedError) => void;
}

export interface WriterStats {
  batches: number;
  records: number;
  bytes: number;
  syncs: number;
  rotations: number;
}

export class JournalWriter {
  private queue: Uint8Array[] = [];
  private queueBytes = 0;
  private queueLastSeq = 0;
  private flushing = false;
  private idleWaiters: (() => void)[] = [];
  private failure: JournalFailedError | undefined;
  private closed = false;
  readonly stats: WriterStats = { batches: 0, records: 0, bytes: 0, syncs: 0, rotations: 0 };

  private constructor(
    private readonly options: JournalWriterOptions,
    private handle: FileHandle,
    private segmentFirstSeq: number,
    private position: number,
    /** Highest seq known durable. */
    public durableSeq: number,
  ) {}

  /**
   * Opens the active segment for appending at `validBytes`, or creates segment `nextSeq` when
   * there is none (or the active one is full).
   */
  static async open(options: JournalWriterOptions, active: { firstSeq: number; validBytes: number } | undefined,
    lastSeq: number): Promise<JournalWriter> {
    if (active !== undefined && active.validBytes < options.segmentSizeBytes) {
      const handle = await open(join(options.dataDir, segmentFileName(active.firstSeq)), 'r+');
      return new JournalWriter(options, handle, active.firstSeq, active.validBytes, lastSeq);
    }
    const { handle, position } = await JournalWriter.createSegment(options, lastSeq + 1);
    return new JournalWriter(options, handle, lastSeq + 1, position, lastSeq);
  }

  private static async createSegment(options: JournalWriterOptions, firstSeq: number): Promise<{ handle: FileHandle; position: number }> {
    const header = encodeSegmentHeader(firstSeq);
    const handle = await open(join(options.dataDir, segmentFileName(firstSeq)), 'wx');
    try {
      await writeFully(handle, [header], 0);
      if (options.fsync) await handle.datasync();
      if (options.fsync) await fsyncDir(options.dataDir);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    return { handle, position: header.length };
  }

  get failed(): JournalFailedError | undefined {
    return this.failure;
  }

  /** Seq the next batch would make durable up to (the last appended seq). */
  get appendedSeq(): number {
    return this.queue.length > 0 ? this.queueLastSeq : this.durableSeq;
  }

  /** Queues a record; it becomes durable with the next batch. Appends must come in seq order. */
  append(seq: number, record: Uint8Array): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw new JournalFailedError('journal writer is closed');
    this.queue.push(record);
    this.queueBytes += record.length;
    this.queueLastSeq = seq;
    if (!this.flushing) {
      this.flushing = true;
      // setImmediate rather than a microtask: every submit that arrives in the current I/O phase
      // joins the first batch instead of waiting a whole fsync for the second.
      setImmediate(() => void this.flushLoop());
    }
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0 && this.failure === undefined) {
        const batch = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queueBytes);
        const records = this.queue.length;
        const lastSeq = this.queueLastSeq;
        this.queue = [];
        this.queueBytes = 0;
        await this.writeBatch(batch);
        this.stats.batches++;
        this.stats.records += records;
        this.stats.bytes += batch.length;
        if (this.options.hooks.beforeAck !== undefined) await this.options.hooks.beforeAck();
        this.durableSeq = lastSeq;
        this.options.onDurable(lastSeq);
        if (this.position >= this.options.segmentSizeBytes) await this.rotate(lastSeq + 1);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.flushing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async writeBatch(batch: Uint8Array): Promise<void> {
    const hooks = this.options.hooks;
    const split = hooks.splitWriteAt?.(batch.length);
    if (split !== undefined && split > 0 && split < batch.length) {
      await writeFully(this.handle, [batch.subarray(0, split)], this.position);
      if (hooks.midWrite !== undefined) await hooks.midWrite();
      await writeFully(this.handle, [batch.subarray(split)], this.position + split);
    } else {
      writeAllSync(this.handle.fd, batch, this.position);
    }
    this.position += batch.length;
    if (hooks.beforeSync !== undefined) await hooks.beforeSync();
    if (this.options.fsync) {
      await datasync(this.handle.fd);
      this.stats.syncs++;
    }
  }

  private async rotate(firstSeq: number): Promise<void> {
    const previous = this.handle;
    const { handle, position } = await JournalWriter.createSegment(this.options, firstSeq);
    this.handle = handle;
    this.segmentFirstSeq = firstSeq;
    this.position = position;
    this.stats.rotations++;
    await previous.close();
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    const message = error instanceof Error ? error.message : String(error);
    this.failure = new JournalFailedError(`journal write failed, venue closed for writing: ${message}`, error);
    this.queue = [];
    this.queueBytes = 0;
    void this.handle.close().catch(() => undefined);
    this.options.onFailure(this.failure);
  }

  /** Resolves when everything appended so far has been written (or the writer failed). */
  idle(): Promise<void> {
    if (!this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Active segment's first seq and size (for info and tests). */
  get activeSegment(): { firstSeq: number; sizeBytes: number } {
    return { firstSeq: this.segmentFirstSeq, sizeBytes: this.position };
  }

  async close(): Promise<void> {
    await this.idle();
    if (this.closed) return;
    this.closed = true;
    if (this.failure === undefined) await this.handle.close();
  }
}

/** Writes all of `bytes` at `position` synchronously, looping over short writes. */
function writeAllSync(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    const written = writeSync(fd, bytes, done, bytes.length - done, position + done);
    if (written <= 0) throw new Error(`short write at byte ${position + done}`);
    done += written;
  }
}

/** fdatasync on the libuv pool through the callback API (lighter than FileHandle.datasync). */
function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fdatasync(fd, (error) => {
      if (error === null) resolve();
      else reject(error);
    });
  });
}
