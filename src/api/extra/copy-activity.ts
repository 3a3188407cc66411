/**
 * @module api/extra/copy-activity
 * Copy accounts' recent copy fills and skipped copies (the engine's CopyFill and CopySkipped
 * events), for the follower's page: what was copied, at what price, and what was not and why.
 * Neither event reaches the read store (the follower has no order of its own: the copy sweep belongs
 * to the venue), so this keeps the venue's last COPY_ACTIVITY_ROWS of them in memory, in one ring,
 * from the committed stream. Decisions (docs/api.md "Copy trading"): memory is bounded whatever the
 * number of followers (so on a venue with many followers an account's list reaches back less far),
 * and a restart starts the list afresh, as the "why" report's 1 s mark samples do; the durable
 * record of the money is the account's income.
 */
import type { EngineEvent } from '../../core/index.js';
import type { Venue } from '../../venue/venue.js';

/** Copy events kept, for all accounts together (about 200 bytes each). */
export const COPY_ACTIVITY_ROWS = 100_000;

export type CopyEvent = Extract<EngineEvent, { type: 'CopyFill' | 'CopySkipped' }>;

export interface CopyActivityRow {
  readonly seq: number;
  readonly atMs: number;
  readonly event: CopyEvent;
}

export class CopyActivity {
  private readonly ring: (CopyActivityRow | undefined)[] = [];
  /** Where the next row goes. */
  private next = 0;
  private readonly unsubscribe: () => void;

  constructor(venue: Venue, private readonly capacity = COPY_ACTIVITY_ROWS) {
    this.unsubscribe = venue.subscribe((entry) => {
      for (const event of entry.events) {
        if (event.type !== 'CopyFill' && event.type !== 'CopySkipped') continue;
        this.ring[this.next] = { seq: entry.command.seq, atMs: entry.command.atMs, event };
        this.next = (this.next + 1) % this.capacity;
      }
    });
  }

  /** The account's rows still held, newest first, at most `limit` (a scan of the ring: bounded by its capacity). */
  recent(accountId: number, limit: number): CopyActivityRow[] {
    const out: CopyActivityRow[] = [];
    for (let back = 1; back <= this.ring.length && out.length < limit; back++) {
      const row = this.ring[(this.next - back + this.capacity) % this.capacity];
      if (row !== undefined && row.event.accountId === accountId) out.push(row);
    }
    return out;
  }

  close(): void {
    this.unsubscribe();
  }
}
