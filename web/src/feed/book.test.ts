import { describe, expect, it } from 'vitest';
import { BookSync, type DepthDiff, type DepthSnapshot } from './book.js';

function harness(snapshots: DepthSnapshot[]): { book: BookSync; fetched: () => number; settle: () => Promise<void> } {
  let fetches = 0;
  const book = new BookSync(() => {
    fetches++;
    const next = snapshots.shift();
    return next === undefined ? Promise.reject(new Error('no snapshot')) : Promise.resolve(next);
  }, 1, () => {});
  return { book, fetched: () => fetches, settle: () => new Promise((resolve) => setTimeout(resolve, 0)) };
}

const diff = (U: number, u: number, pu: number, b: [string, string][] = [], a: [string, string][] = []): DepthDiff => ({ U, u, pu, b, a });

describe('order book sync', () => {
  it('applies buffered diffs that straddle the snapshot and follows the pu chain', async () => {
    const h = harness([{ lastUpdateId: 10, bids: [['100.0', '1.000']], asks: [['101.0', '2.000']] }]);
    h.book.restart('CONNECTING');
    h.book.onDiff(diff(5, 8, 4, [['99.0', '1.000']]));
    h.book.onDiff(diff(9, 12, 8, [['100.0', '0.000'], ['99.5', '3.000']]));
    h.book.onDiff(diff(13, 14, 12, [], [['101.0', '5.000']]));
    await h.settle();
    expect(h.book.state).toBe('LIVE');
    expect(h.book.lastUpdateId).toBe(14);
    expect(h.book.top(5)).toMatchObject({ bids: [{ price: '99.5', qty: '3.000' }], asks: [{ price: '101.0', qty: '5.000' }] });
  });

  it('resyncs from scratch on a gap and leaves no ghost level', async () => {
    const h = harness([
      { lastUpdateId: 10, bids: [['100.0', '1.000'], ['98.0', '1.000']], asks: [] },
      { lastUpdateId: 20, bids: [['97.0', '4.000']], asks: [] },
    ]);
    h.book.restart('CONNECTING');
    await h.settle();
    expect(h.book.onDiff(diff(11, 11, 10, [['99.0', '1.000']]))).toBe(true);
    // u=15 was dropped: 16's pu does not match the last applied id.
    expect(h.book.onDiff(diff(16, 16, 15, [['96.0', '1.000']]))).toBe(false);
    expect(h.book.state).toBe('RESYNC');
    await h.settle();
    expect(h.book.state).toBe('LIVE');
    expect(h.book.resyncs).toBe(1);
    expect(h.book.top(10).bids.map((level) => level.price)).toEqual(['97.0']);
  });

  it('never merges a stale snapshot: it is discarded and fetched again', async () => {
    const h = harness([
      { lastUpdateId: 5, bids: [['90.0', '1.000']], asks: [] },
      { lastUpdateId: 30, bids: [['95.0', '1.000']], asks: [] },
    ]);
    h.book.restart('CONNECTING');
    h.book.onDiff(diff(20, 30, 19, [['94.0', '1.000']]));
    await h.settle();
    expect(h.book.state).toBe('CONNECTING');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(h.fetched()).toBe(2);
    expect(h.book.state).toBe('LIVE');
    expect(h.book.top(10).bids.map((level) => level.price)).toEqual(['95.0', '94.0']);
    h.book.dispose();
  });
});
