/**
 * @module cluster/command-log
 * Where sequenced commands become durable before they are applied and acknowledged. Two
 * implementations: the embedded file journal (cluster/file-command-log, one process) and a NATS
 * JetStream stream replicated across servers (cluster/jetstream-command-log), which lets a hot
 * standby follow the leader and take over.
 *
 * A batch is a run of journal records (journal/format: framed, checksummed, idempotency key
 * included) with consecutive seqs, appended as one unit. A log instance keeps the position of the
 * last batch it has read or written (its tail); an append goes right after that tail or not at all,
 * so a writer that missed someone else's append (a zombie leader) is refused with LogFencedError
 * instead of forking the history.
 */
import type { JournalRecord } from '../journal/index.js';

export interface CommandBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** The records back to back, each framed as in a journal segment (encodeRecord). */
  readonly bytes: Uint8Array;
}

export type RecordListener = (record: JournalRecord) => void;

export interface CommandLog {
  /**
   * Appends one batch right after this log's tail; resolves once it is durable (replicated).
   * Rejects with LogFencedError when another writer appended since the tail was read.
   */
  append(batch: CommandBatch): Promise<void>;
  /** Delivers every record after the tail up to the log's current end, in order, and moves the tail there. */
  catchUp(onRecord: RecordListener): Promise<void>;
  close(): Promise<void>;
}

/** Another writer appended after this log's tail: the caller is not (or no longer) the sequencer. */
export class LogFencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogFencedError';
  }
}
