import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../core/index.js';
import type { CommitListener, CommittedEntry, Venue } from '../../venue/venue.js';
import { CopyActivity } from './copy-activity.js';

/** The committed stream of a venue, fed by hand: CopyActivity only subscribes to it. */
function stream(): { venue: Venue; commit: (seq: number, events: EngineEvent[]) => void; listeners: () => number } {
  const listeners = new Set<CommitListener>();
  const venue = { subscribe: (listener: CommitListener) => { listeners.add(listener); return () => listeners.delete(listener); } } as unknown as Venue;
  return {
    venue, listeners: () => listeners.size,
    commit: (seq, events) => { for (const listener of listeners) listener({ command: { seq, atMs: seq * 1000 }, events } as unknown as CommittedEntry); },
  };
}

const fill = (accountId: number, causeTradeId: number): EngineEvent => ({
  type: 'CopyFill', accountId, leadAccountId: 9, symbol: 'BTCUSDT', side: 'BUY', qtyLots: 10, notionalE8: 60_000_000_000n, feeE8: 30_000_000n,
  realizedPnlE8: 0n, sweepOrderId: 1, causeTradeId,
} as unknown as EngineEvent);
const skip = (accountId: number, causeTradeId: number): EngineEvent => ({
  type: 'CopySkipped', accountId, leadAccountId: 9, symbol: 'BTCUSDT', side: 'BUY', qtyLots: 0, reason: 'ROUNDED_TO_ZERO', causeTradeId,
} as unknown as EngineEvent);

describe('copy activity', () => {
  it('keeps each account\'s copy fills and skips newest first, and nothing else', () => {
    const { venue, commit } = stream();
    const activity = new CopyActivity(venue);
    commit(1, [fill(5, 1), fill(6, 1), { type: 'MarkPriceUpdated' } as unknown as EngineEvent]);
    commit(2, [skip(5, 2)]);
    expect(activity.recent(5, 10).map((row) => [row.seq, row.atMs, row.event.type])).toEqual([[2, 2000, 'CopySkipped'], [1, 1000, 'CopyFill']]);
    expect(activity.recent(5, 1).map((row) => row.event.type)).toEqual(['CopySkipped']);
    expect(activity.recent(6, 10)).toHaveLength(1);
    expect(activity.recent(7, 10)).toEqual([]);
  });

  it('holds at most its capacity for all accounts together: the venue\'s oldest rows go first', () => {
    const { venue, commit, listeners } = stream();
    const activity = new CopyActivity(venue, 3);
    commit(1, [fill(5, 1), fill(6, 1)]);
    commit(2, [fill(5, 2), fill(6, 2)]);
    commit(3, [fill(5, 3)]);
    // Five rows committed, three held: the last three, (5, 2), (6, 2) and (5, 3).
    expect(activity.recent(5, 10).map((row) => row.seq)).toEqual([3, 2]);
    expect(activity.recent(6, 10).map((row) => row.seq)).toEqual([2]);
    activity.close();
    expect(listeners()).toBe(0);
  });
});
