/**
 * @module cluster/engine-replica
 * What every engine node holds, leader or standby: the engine, the idempotency window and a cache
 * of recent keyed outcomes, all built only from the command log. Leader and standby apply records
 * through this one function, so a standby that takes over has the window and the outcomes the
 * leader had at the same seq, and its state hash is the leader's.
 */
import {
  createOrderBook, DEFAULT_INSTRUMENTS, Engine, type EngineEvent, type InstrumentSpec,
} from '../core/index.js';
import { DEFAULT_WINDOW_OPTIONS, IdempotencyWindow, type JournalRecord } from '../journal/index.js';
import type { CommandOutcome } from '../venue/venue.js';

/** Keyed outcomes (with events) kept for instant answers to retries. */
export const OUTCOME_CACHE_SIZE = 10_000;

export interface AppliedRecord {
  readonly record: JournalRecord;
  readonly events: readonly EngineEvent[];
}

export class EngineReplica {
  readonly engine: Engine;
  readonly window = new IdempotencyWindow(DEFAULT_WINDOW_OPTIONS);
  private readonly outcomes = new Map<number, CommandOutcome>();
  private readonly outcomeOrder: number[] = [];
  private outcomeHead = 0;

  constructor(instruments: readonly InstrumentSpec[] = DEFAULT_INSTRUMENTS) {
    this.engine = new Engine({ instruments, bookFactory: createOrderBook });
  }

  get lastSeq(): number {
    return this.engine.lastSeq;
  }

  /**
   * Applies the next record of the log. A record at or below the last applied seq (a batch read
   * twice across a role change) is skipped; a gap is a broken log and throws.
   */
  apply(record: JournalRecord): AppliedRecord | undefined {
    if (record.seq <= this.engine.lastSeq) return undefined;
    if (record.seq !== this.engine.lastSeq + 1) throw new Error(`command log gap: seq ${record.seq} after ${this.engine.lastSeq}`);
    const events = this.engine.apply(record.command);
    this.window.advance(record.atMs);
    const key = record.idempotencyKey;
    if (key !== undefined) {
      this.window.add(key, record.seq, record.atMs, record.bodyCrc);
      this.remember({ seq: record.seq, atMs: record.atMs, events, duplicate: false });
    }
    return { record, events };
  }

  /** The outcome of a recent keyed command, if still cached. */
  outcomeOf(seq: number): CommandOutcome | undefined {
    return this.outcomes.get(seq);
  }

  private remember(outcome: CommandOutcome): void {
    this.outcomes.set(outcome.seq, outcome);
    this.outcomeOrder.push(outcome.seq);
    if (this.outcomes.size > OUTCOME_CACHE_SIZE) this.outcomes.delete(this.outcomeOrder[this.outcomeHead++]!);
    if (this.outcomeHead > 4096 && this.outcomeHead * 2 > this.outcomeOrder.length) {
      this.outcomeOrder.splice(0, this.outcomeHead);
      this.outcomeHead = 0;
    }
  }
}
