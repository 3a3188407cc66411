import { describe, expect, it } from 'vitest';
import { RowBuffer } from './row-buffer.js';

const trade = { symbol: 'BTCUSDT', tradeId: 1, aggId: 1, priceTicks: 600_000, qtyLots: 3, timeMs: 1, buyerMaker: false };

describe('RowBuffer batches', () => {
  it('stamps each batch with the seq range it covers, chained from the stored seq', () => {
    const rows = new RowBuffer({ lastSeq: 5, nextAggId: 1, nextTranId: 1, nextLiquidationId: 1 });
    // The first flush always writes the counters, even with nothing new: a batch of no entries.
    expect(rows.takeBatch()).toMatchObject({ afterSeq: 5, lastSeq: 5, trades: [] });
    expect(rows.takeBatch()).toBeUndefined();
    rows.addTrade(trade);
    rows.projectedSeq = 8;
    const batch = rows.takeBatch()!;
    expect(batch).toMatchObject({ afterSeq: 5, lastSeq: 8 });
    expect(batch.trades).toEqual(['BTCUSDT', 1, 1, 600_000, 3, 1, 0]);
    rows.projectedSeq = 9;
    expect(rows.takeBatch()).toMatchObject({ afterSeq: 8, lastSeq: 9, trades: [] });
  });
});
