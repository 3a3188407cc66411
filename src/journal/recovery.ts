/**
 * @module journal/recovery
 * Rebuilding state from disk: the newest valid snapshot (corrupt ones are skipped, loudly, in
 * favour of older ones and a longer replay), then the journal tail through the same engine code
 * that produced it. Used by the venue at open (which then truncates a torn tail), by `replay()`
 * and duplicate re-derivation (scratch engines, read-only), and by the verify/info tools.
 *
 * A snapshot whose checksums are fine but which the engine refuses to restore is not "corrupt":
 * it means the instruments or the code changed under the data directory, and falling back to an
 * older snapshot (or a full replay) would silently compute a different state. That is fatal.
 */
import {
  createOrderBook, Engine, type Command, type EngineEvent, type EventLog, type InstrumentSpec,
} from '../core/index.js';
import { IdempotencyWindow, type IdempotencyWindowOptions } from './idempotency-window.js';
import { listSegments, readJournal, type SegmentFile, type TornTail } from './journal-reader.js';
import type { JournalLogger } from './logger.js';
import { listSnapshots, readSnapshotFile, SnapshotInvalidError, type SnapshotFile } from './snapshot.js';
import type { JournalRecord } from './format.js';

export interface RestoredSnapshot {
  readonly engine: Engine;
  /** 0 when no snapshot was usable (fresh engine). */
  readonly snapshotSeq: number;
  readonly snapshot: SnapshotFile | undefined;
  readonly stateHash: string | undefined;
  readonly windowBytes: Uint8Array | undefined;
  /** Snapshots that failed validation, newest first. */
  readonly skipped: readonly { readonly file: SnapshotFile; readonly reason: string }[];
}

export function freshEngine(instruments: readonly InstrumentSpec[]): Engine {
  return new Engine({ instruments, bookFactory: createOrderBook });
}

/** Restores the newest valid snapshot with seq ≤ maxSeq into a fresh engine (or returns a fresh one). */
export async function restoreNewestSnapshot(dataDir: string, instruments: readonly InstrumentSpec[], maxSeq: number,
  log: JournalLogger): Promise<RestoredSnapshot> {
  const skipped: { file: SnapshotFile; reason: string }[] = [];
  for (const file of await listSnapshots(dataDir)) {
    if (file.seq > maxSeq) continue;
    let content;
    try {
      content = await readSnapshotFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      if (!(error instanceof SnapshotInvalidError)) throw error;
      log.error({ snapshot: file.name, reason: error.reason }, 'corrupt snapshot skipped; falling back to an older one and a longer replay');
      skipped.push({ file, reason: error.reason });
      continue;
    }
    const engine = freshEngine(instruments);
    try {
      engine.restore(content.engineBytes);
    } catch (error) {
      throw new Error(`snapshot ${file.name} passed its checksums but the engine cannot restore it ` +
        `(${(error as Error).message}); were the instruments or the engine changed under this data directory?`, { cause: error });
    }
    if (engine.lastSeq !== content.seq) {
      throw new Error(`snapshot ${file.name} restores to seq ${engine.lastSeq}, not ${content.seq}`);
    }
    return { engine, snapshotSeq: content.seq, snapshot: file, stateHash: content.stateHash, windowBytes: content.windowBytes, skipped };
  }
  return { engine: freshEngine(instruments), snapshotSeq: 0, snapshot: undefined, stateHash: undefined, windowBytes: undefined, skipped };
}

export interface ReplayedEntry {
  readonly command: Command;
  /** The command's events, decoded on first read; read them inside the callback (the engine reuses its log). */
  readonly events: readonly EngineEvent[];
  readonly record: JournalRecord;
}

/** A replayed record whose events are decoded only if a listener asks (most replays never do). */
class LazyEntry implements ReplayedEntry {
  private decoded: readonly EngineEvent[] | undefined = undefined;

  constructor(readonly command: Command, readonly record: JournalRecord, private readonly log: EventLog) {}

  get events(): readonly EngineEvent[] {
    return (this.decoded ??= this.log.decode());
  }
}

export interface RecoveryOptions {
  readonly dataDir: string;
  readonly instruments: readonly InstrumentSpec[];
  readonly log: JournalLogger;
  /** Restore the window from the snapshot and feed it the tail (venue recovery only). */
  readonly window?: IdempotencyWindowOptions;
  /** Called for every replayed record with its events and the engine right after applying it. */
  readonly onEntry?: (entry: ReplayedEntry, engine: Engine) => void;
  /** Ignore snapshots entirely (full replay from seq 1). */
  readonly fromScratch?: boolean;
  /** Recover the state at this seq (snapshots after it are ignored, records after it not read): a live venue's consistent prefix. */
  readonly toSeq?: number;
  readonly onSegment?: (segment: SegmentFile, index: number, count: number) => void;
}

export interface RecoveredState {
  readonly engine: Engine;
  readonly window: IdempotencyWindow | undefined;
  readonly snapshotSeq: number;
  readonly snapshotStateHash: string | undefined;
  readonly replayedCommands: number;
  readonly lastSeq: number;
  readonly segments: readonly SegmentFile[];
  readonly torn: TornTail | undefined;
  readonly skippedSnapshots: RestoredSnapshot['skipped'];
}

/**
 * Newest valid snapshot + journal tail. Read-only: a torn tail is reported, not truncated (the
 * venue truncates; the tools only report). Throws JournalCorruptionError on damage.
 */
export async function recover(options: RecoveryOptions): Promise<RecoveredState> {
  const { dataDir, instruments, log } = options;
  const segments = await listSegments(dataDir);
  const restored = options.fromScratch === true
    ? { engine: freshEngine(instruments), snapshotSeq: 0, snapshot: undefined, stateHash: undefined, windowBytes: undefined, skipped: [] }
    : await restoreNewestSnapshot(dataDir, instruments, options.toSeq ?? Number.MAX_SAFE_INTEGER, log);
  const engine = restored.engine;
  let window: IdempotencyWindow | undefined;
  if (options.window !== undefined) {
    window = restored.windowBytes === undefined ? new IdempotencyWindow(options.window)
      : IdempotencyWindow.restore(restored.windowBytes, options.window);
  }
  if (segments.length === 0 && restored.snapshotSeq > 0) {
    throw new Error(`snapshot ${restored.snapshot?.name} is at seq ${restored.snapshotSeq} but the data directory has no journal segments`);
  }
  const result = await readJournal(segments, {
    fromSeq: restored.snapshotSeq + 1,
    onRecord: (record) => {
      const log = engine.applyToEventLog(record.command);
      if (window !== undefined) {
        window.advance(record.atMs);
        if (record.idempotencyKey !== undefined) window.add(record.idempotencyKey, record.seq, record.atMs, record.bodyCrc);
      }
      options.onEntry?.(new LazyEntry(record.command, record, log), engine);
    },
    ...(options.onSegment === undefined ? {} : { onSegment: options.onSegment }),
    ...(options.toSeq === undefined ? {} : { toSeq: options.toSeq }),
  });
  if (result.lastSeq < restored.snapshotSeq) {
    throw new Error(`snapshot ${restored.snapshot?.name} is at seq ${restored.snapshotSeq} but the journal ends at seq ` +
      `${result.lastSeq}: acknowledged records are missing from the journal`);
  }
  return {
    engine, window, snapshotSeq: restored.snapshotSeq, snapshotStateHash: restored.stateHash, replayedCommands: result.delivered,
    lastSeq: result.lastSeq, segments, torn: result.torn, skippedSnapshots: restored.skipped,
  };
}

export interface ReplayRangeOptions {
  readonly dataDir: string;
  readonly instruments: readonly InstrumentSpec[];
  readonly log: JournalLogger;
  readonly fromSeq: number;
  /** Inclusive upper bound (the venue passes its durable seq: nothing beyond is read). */
  readonly toSeq: number;
  readonly listener: (entry: ReplayedEntry) => void;
  readonly yieldEvery?: number;
}

/**
 * Re-derives entries fromSeq..toSeq on a scratch engine restored from the newest valid snapshot
 * below fromSeq (or from seq 1). Returns the number of entries delivered.
 */
export async function replayRange(options: ReplayRangeOptions): Promise<number> {
  const { fromSeq, toSeq } = options;
  if (fromSeq > toSeq) return 0;
  const restored = await restoreNewestSnapshot(options.dataDir, options.instruments, Math.max(0, fromSeq - 1), options.log);
  const engine = restored.engine;
  const segments = await listSegments(options.dataDir);
  let delivered = 0;
  const result = await readJournal(segments, {
    fromSeq: restored.snapshotSeq + 1, toSeq,
    onRecord: (record) => {
      const log = engine.applyToEventLog(record.command);
      if (record.seq >= fromSeq) {
        delivered++;
        options.listener(new LazyEntry(record.command, record, log));
      }
    },
    ...(options.yieldEvery === undefined ? {} : { yieldEvery: options.yieldEvery }),
  });
  if (result.lastSeq < toSeq) throw new Error(`journal ends at seq ${result.lastSeq}, before the requested seq ${toSeq}`);
  return delivered;
}
