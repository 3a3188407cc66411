/**
 * @module venue/venue
 * The seam between the deterministic core and everything that talks to it. A Venue owns the
 * single engine instance (single writer), stamps commands with a sequence number and the wall
 * clock, makes them durable (durable implementations), applies them, and publishes committed
 * events in sequence order. Callers (API, simulator live mode, CLI) never touch the engine's
 * mutating methods directly.
 */
import type { Command, Engine, EngineEvent, UnsequencedCommand } from '../core/index.js';

export interface CommandOutcome {
  readonly seq: number;
  readonly atMs: number;
  readonly events: readonly EngineEvent[];
  /** True when this is a retry answered from the idempotency window (nothing was applied again). */
  readonly duplicate: boolean;
}

export interface SubmitOptions {
  /**
   * Idempotency key, unique per logical request within its scope (e.g. `order:<account>:<clientOrderId>`).
   * A repeated key returns the original outcome without applying the command again.
   */
  readonly idempotencyKey?: string;
}

export interface CommittedEntry {
  readonly command: Command;
  readonly events: readonly EngineEvent[];
}

export type CommitListener = (entry: CommittedEntry) => void;

export interface Venue {
  /** Read access for queries; between submits the state is consistent (single-threaded). */
  readonly engine: Engine;
  /** Resolves after the command is durable (for durable venues) and applied. */
  submit(command: UnsequencedCommand, options?: SubmitOptions): Promise<CommandOutcome>;
  /** Committed commands and their events, in sequence order, after durability. */
  subscribe(listener: CommitListener): () => void;
  close(): Promise<void>;
}

/** A wall clock that never goes backwards, shared by venues. */
export class MonotonicClock {
  private lastMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  now(): number {
    const now = this.source();
    if (now > this.lastMs) this.lastMs = now;
    return this.lastMs;
  }
}
