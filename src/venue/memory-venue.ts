/**
 * @module venue/memory-venue
 * A Venue without durability: commands are applied at once. For tests, the simulator's live
 * mode when persistence is off, and benchmarks of everything above the journal.
 */
import type { Engine, UnsequencedCommand, Command } from '../core/index.js';
import {
  MonotonicClock, type CommandOutcome, type CommitListener, type SubmitOptions, type Venue,
} from './venue.js';

export class MemoryVenue implements Venue {
  private readonly listeners = new Set<CommitListener>();
  private readonly outcomes = new Map<string, CommandOutcome>();

  constructor(readonly engine: Engine, private readonly clock = new MonotonicClock(), private readonly dedupeMax = 100_000) {}

  submit(command: UnsequencedCommand, options: SubmitOptions = {}): Promise<CommandOutcome> {
    return Promise.resolve(this.submitSync(command, options));
  }

  submitSync(command: UnsequencedCommand, options: SubmitOptions = {}): CommandOutcome {
    const key = options.idempotencyKey;
    if (key !== undefined) {
      const previous = this.outcomes.get(key);
      if (previous !== undefined) return { ...previous, duplicate: true };
    }
    const atMs = Math.max(this.clock.now(), this.engine.clockMs);
    const sequenced = { ...command, seq: this.engine.lastSeq + 1, atMs } as Command;
    const events = this.engine.apply(sequenced);
    const outcome: CommandOutcome = { seq: sequenced.seq, atMs, events, duplicate: false };
    if (key !== undefined) {
      this.outcomes.set(key, outcome);
      if (this.outcomes.size > this.dedupeMax) this.outcomes.delete(this.outcomes.keys().next().value!);
    }
    for (const listener of this.listeners) listener({ command: sequenced, events });
    return outcome;
  }

  subscribe(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
