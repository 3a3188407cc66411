/**
 * @module journal
 * Durable storage for the engine: an append-only, checksummed command journal with group commit,
 * atomic snapshots, deterministic recovery and exactly-once submits. `openDurableVenue` is the
 * entry point; the rest is exported for the CLI, benchmarks and tests. docs/journal.md describes
 * the formats and guarantees.
 */
export {
  openDurableVenue, type DurableVenue, type DurableVenueOptions, type DurableVenueStats, type RecoveryReport,
} from './durable-venue.js';
export {
  CodecError, COMMAND_CODEC_VERSION, decodeCommandBody, encodeCommandBody,
} from '../wire/index.js';
export { crc32c } from './crc32c.js';
export {
  DataDirLockedError, IdempotencyConflictError, JournalCorruptionError, JournalFailedError, VenueClosedError,
} from './errors.js';
export {
  decodePayload, encodeRecord, MAX_KEY_BYTES, MAX_PAYLOAD_BYTES, RECORD_FRAME_BYTES, SEGMENT_HEADER_BYTES,
  segmentFileName, type JournalRecord,
} from './format.js';
export { DEFAULT_WINDOW_OPTIONS, IdempotencyWindow, type IdempotencyWindowOptions } from './idempotency-window.js';
export { listSegments, readJournal, type SegmentFile, type TornTail } from './journal-reader.js';
export type { JournalWriteHooks } from './journal-writer.js';
export { silentLogger, stderrLogger, type JournalLogger } from './logger.js';
export { readManifest } from './manifest.js';
export { recover, replayRange, type RecoveredState, type ReplayedEntry } from './recovery.js';
export { listSnapshots, readSnapshotFile, SnapshotInvalidError, type SnapshotWriteHooks } from './snapshot.js';
export { inspectDataDir, verifyDataDir, type DataDirInfo, type VerifyReport } from './verify.js';
