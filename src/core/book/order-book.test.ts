import { describe, expect, it } from 'vitest';
import { AssertionFailure } from '../assert.js';
import { capacityListener, runBookContract } from './book.contract.js';
import { createOrderBook, createReferenceBook, BUY, SELL, STP_NONE, TIF_GTC } from './index.js';

describe('fast book contract', () => {
  runBookContract(createOrderBook, it);
});

describe('reference book contract', () => {
  runBookContract(createReferenceBook, it);
});

describe('fast book specifics', () => {
  it('refuses to be mutated from inside forEachOrder', () => {
    const book = createOrderBook({ maxPriceTicks: 1000, listener: capacityListener() });
    book.submit(1, 1, BUY, 10, 1, TIF_GTC, STP_NONE, 0);
    book.submit(2, 1, BUY, 9, 1, TIF_GTC, STP_NONE, 0);
    expect(() => book.forEachOrder(BUY, (id) => book.cancel(id))).toThrow(AssertionFailure);
    expect(book.size).toBe(2);
    book.cancel(1);
    expect(book.size).toBe(1);
    book.checkIntegrity();
  });

  it('rejects a price range beyond 2^31 ticks', () => {
    expect(() => createOrderBook({ maxPriceTicks: 2 ** 31, listener: capacityListener() })).toThrow(AssertionFailure);
  });

  it('frees emptied level pages and reuses them across a wide price walk', () => {
    const book = createOrderBook({ maxPriceTicks: 45_297_640, listener: capacityListener() });
    let id = 0;
    for (let base = 1_000; base < 40_000_000; base += 777_777) {
      for (let k = 0; k < 20; k++) book.submit(++id, k, SELL, base + k * 300, 1, TIF_GTC, STP_NONE, 0);
      book.checkIntegrity();
      book.submit(++id, 99, BUY, base + 20 * 300, 20, TIF_GTC, STP_NONE, 0);
      expect(book.size).toBe(0);
      book.checkIntegrity();
    }
  });

  it('detects a corrupted level total', () => {
    const book = createOrderBook({ maxPriceTicks: 1000, listener: capacityListener() });
    book.submit(1, 1, SELL, 10, 5, TIF_GTC, STP_NONE, 0);
    const ladder = (book as unknown as { asks: { totalLots: Float64Array; levelOf(p: number): number } }).asks;
    ladder.totalLots[ladder.levelOf(10)] = 4;
    expect(() => book.checkIntegrity()).toThrow(AssertionFailure);
  });
});
