/**
 * @module surveillance/source
 * Where surveillance gets its input: committed event batches, in sequence order. This is the one
 * seam between surveillance and the rest of perpx; everything else in src/surveillance works on
 * `CommittedBatch` only and does not know whether batches come from a live venue, a journal
 * replay or a test.
 *
 * The adapters here make one batch per committed command (fromSeq = toSeq = the command's seq), so
 * a replay of the same journal gives the same batches, and therefore the same alerts, byte for
 * byte. An adapter that groups several commands into one batch must group them deterministically
 * (by seq, never by timing) for that to hold.
 */
import type { Command, EngineEvent, InstrumentSpec } from '../core/index.js';
import { listSegments, readJournal, readManifest } from '../journal/index.js';
import { freshEngine } from '../journal/recovery.js';
import type { CommittedEntry, Venue } from '../venue/venue.js';
import { decodeEventBatch } from '../wire/index.js';
import type { CopyTradingEvent } from './copy-events.js';

/** An event surveillance reads: the engine's, or a copy-trading event (until the engine emits those). */
export type SurveilledEvent = EngineEvent | CopyTradingEvent;

export interface CommittedBatch {
  /** First and last command seq whose events the batch holds. */
  readonly fromSeq: number;
  readonly toSeq: number;
  /** Sequencer time of the last command (surveillance's only clock). */
  readonly atMs: number;
  readonly events: readonly SurveilledEvent[];
}

/** One committed venue entry as a batch. */
export function batchOfEntry(entry: { readonly command: Command; readonly events: readonly EngineEvent[] }): CommittedBatch {
  return { fromSeq: entry.command.seq, toSeq: entry.command.seq, atMs: entry.command.atMs, events: entry.events };
}

/**
 * A committed batch another process sent as bytes (src/wire's event-batch codec: seq range, time,
 * events); throws CodecError on bytes it cannot read.
 */
export function decodeCommittedBatch(bytes: Uint8Array): CommittedBatch {
  return decodeEventBatch(bytes);
}

/** A stream of batches that can be stopped. */
export interface BatchSubscription {
  stop(): void;
}

/**
 * Live batches from a venue: the venue's commit listener only appends the entry to `onBatch`'s
 * queue owner (see SurveillanceRunner), so a slow consumer never slows the venue.
 */
export function subscribeVenue(venue: Venue, onBatch: (batch: CommittedBatch) => void): BatchSubscription {
  const unsubscribe = venue.subscribe((entry: CommittedEntry) => onBatch(batchOfEntry(entry)));
  return { stop: unsubscribe };
}

/** A venue that can re-derive committed entries from its journal (the durable venue). */
export interface ReplayableVenue extends Venue {
  replay(fromSeq: number, listener: (entry: CommittedEntry) => void): Promise<void>;
  readonly durableSeq: number;
}

export function isReplayable(venue: Venue): venue is ReplayableVenue {
  return typeof (venue as Partial<ReplayableVenue>).replay === 'function';
}

export interface JournalReplayOptions {
  readonly dataDir: string;
  /** First seq to deliver (earlier commands are applied to the scratch engine but not delivered). Default 1. */
  readonly fromSeq?: number;
  readonly toSeq?: number;
  /** Defaults to the data directory's instruments manifest. */
  readonly instruments?: readonly InstrumentSpec[];
  readonly onBatch: (batch: CommittedBatch) => void;
  /** Per segment (progress bars). */
  readonly onSegment?: (index: number, count: number) => void;
  /** Await a macrotask every this many records (a live process keeps serving). */
  readonly yieldEvery?: number;
}

/**
 * Batches from a journal directory: every record from seq 1 is applied to a scratch engine (the
 * same code that produced it, so the same events), and records from `fromSeq` on are delivered.
 * Snapshots are not used: surveillance builds its own state from events, so it needs every event
 * from the first command. Returns the last seq read.
 */
export async function replayJournal(options: JournalReplayOptions): Promise<number> {
  const instruments = options.instruments ?? await readManifest(options.dataDir);
  if (instruments === undefined) throw new Error(`${options.dataDir} has no instruments manifest (not a perpx data directory?)`);
  const engine = freshEngine(instruments);
  const fromSeq = options.fromSeq ?? 1;
  const result = await readJournal(await listSegments(options.dataDir), {
    fromSeq: 1,
    ...(options.toSeq === undefined ? {} : { toSeq: options.toSeq }),
    onRecord: (record) => {
      if (record.seq < fromSeq) {
        engine.applyToEventLog(record.command);
        return;
      }
      const events = engine.apply(record.command);
      options.onBatch({ fromSeq: record.seq, toSeq: record.seq, atMs: record.atMs, events });
    },
    ...(options.onSegment === undefined ? {} : { onSegment: (_segment, index, count) => options.onSegment!(index, count) }),
    ...(options.yieldEvery === undefined ? {} : { yieldEvery: options.yieldEvery }),
  });
  return result.lastSeq;
}
