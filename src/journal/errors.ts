/**
 * @module journal/errors
 * The journal's failure modes, as distinct error classes so callers (the venue, the CLI, tests)
 * can tell "the data on disk is damaged" from "the disk stopped working" from "the caller sent
 * something we cannot journal".
 */

/**
 * Damage on disk that recovery must not paper over: a bad record followed by valid ones, a bad
 * record or header in a non-final segment, a gap in sequence numbers. Names the file and offset.
 */
export class JournalCorruptionError extends Error {
  constructor(readonly file: string, readonly offset: number, readonly reason: string) {
    super(`journal corruption in ${file} at byte ${offset}: ${reason}. Refusing to start: recovery never ` +
      'discards records that may have been acknowledged. Inspect with `perpx journal verify`.');
    this.name = 'JournalCorruptionError';
  }
}

/**
 * A write, fsync, rename or directory sync failed. The venue is closed for writing from then on:
 * after a failed fsync the kernel may have dropped the dirty pages, so retrying could report
 * success for data that is gone (the "fsyncgate" lesson). Restart to recover from disk.
 */
export class JournalFailedError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'JournalFailedError';
  }
}

/** The venue was closed (cleanly) and takes no more commands. */
export class VenueClosedError extends Error {
  constructor() {
    super('venue is closed');
    this.name = 'VenueClosedError';
  }
}

/** An idempotency key was reused for a different command inside the dedupe window. */
export class IdempotencyConflictError extends Error {
  constructor(readonly idempotencyKey: string, readonly originalSeq: number) {
    super(`idempotency key ${JSON.stringify(idempotencyKey)} was already used for a different command (seq ${originalSeq})`);
    this.name = 'IdempotencyConflictError';
  }
}

/** Another process (or another venue in this process) holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly holderPid: number) {
    super(`data directory ${dataDir} is in use by process ${holderPid}`);
    this.name = 'DataDirLockedError';
  }
}

/**
 * A shortage that passes — no descriptor or memory to spare right now — rather than a disk that
 * failed or data that is damaged. A snapshot that fails on one is retried later (the journal holds
 * everything a snapshot would); anything else still fails the venue closed.
 */
const TRANSIENT_RESOURCE_CODES: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE', 'ENOMEM', 'EAGAIN', 'ENOBUFS', 'EBUSY', 'EINTR']);

export function isTransientResourceError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && TRANSIENT_RESOURCE_CODES.has(code);
}
