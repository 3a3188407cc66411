/**
 * The live-order table and the open-position list against Map models, under random adds and
 * removes (ids jump across pages; emptied pages are dropped), including iteration order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUY } from '../book/types.js';
import { OrderTable } from './order-table.js';
import { OpenPositions, OrderRecord, Position } from './state.js';

function order(orderId: number): OrderRecord {
  return new OrderRecord({
    orderId, accountId: 1, market: 0, clientOrderId: `c${orderId}`, side: BUY, orderType: 'LIMIT', timeInForce: 'GTC',
    qtyLots: 1, priceTicks: 100, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false,
    closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', conditional: false,
    origin: 'USER', causeId: 0, createdAtMs: 0,
  });
}

describe('OrderTable', () => {
  it('finds, adds, removes and iterates like a Map filled in id order', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(9), fc.nat(20_000)), { maxLength: 400 }), (script) => {
      const table = new OrderTable();
      const model = new Map<number, OrderRecord>();
      let nextId = 1;
      for (const [kind, value] of script) {
        if (kind < 6 || model.size === 0) {
          // Ids skip ahead by up to 20,000: several pages apart, as rejected/filled orders leave gaps.
          nextId += kind < 3 ? 1 : 1 + value;
          const added = order(nextId);
          table.add(added);
          model.set(nextId, added);
        } else {
          const ids = [...model.keys()];
          const victim = model.get(ids[value % ids.length]!)!;
          table.remove(victim);
          model.delete(victim.orderId);
        }
        expect(table.size).toBe(model.size);
        const probe = value % (nextId + 2);
        expect(table.get(probe)).toBe(model.get(probe));
      }
      expect([...table.values()]).toEqual([...model.values()]);
      for (const [id, record] of model) expect(table.get(id)).toBe(record);
    }));
  });

  it('keeps the newest page when a book empties after every order (no page per order)', () => {
    const table = new OrderTable();
    for (let id = 1; id <= 50_000; id++) {
      const added = order(id);
      table.add(added);
      table.remove(added);
      expect(table.pageCount).toBeLessThanOrEqual(1);
    }
    expect(table.size).toBe(0);
    expect([...table.values()]).toEqual([]);
  });

  it('refuses an id that is not new, a removal of an order it does not hold, and odd ids', () => {
    const table = new OrderTable();
    table.add(order(5000));
    expect(() => table.add(order(5000))).toThrow(/joins the live table/);
    expect(() => table.add(order(12))).toThrow(/joins the live table/);
    expect(() => table.remove(order(7))).toThrow(/is in the live table/);
    expect(table.get(-1)).toBeUndefined();
    expect(table.get(1.5)).toBeUndefined();
    expect(table.get(5000)?.orderId).toBe(5000);
  });
});

describe('OpenPositions', () => {
  it('keeps insertion order through adds and removes, like a Map', () => {
    fc.assert(fc.property(fc.array(fc.nat(1_000), { maxLength: 300 }), (script) => {
      const list = new OpenPositions();
      const model = new Map<number, Position>();
      const positions = Array.from({ length: 50 }, (_, i) => new Position(i + 1, 0, 10, false));
      for (const step of script) {
        const position = positions[step % positions.length]!;
        if (model.has(position.accountId)) {
          list.remove(position);
          model.delete(position.accountId);
        } else {
          list.add(position);
          model.set(position.accountId, position);
        }
        expect(list.size).toBe(model.size);
      }
      expect([...list.values()]).toEqual([...model.values()]);
      const listed = positions.find((p) => model.has(p.accountId));
      const unlisted = positions.find((p) => !model.has(p.accountId));
      if (listed !== undefined) expect(() => list.add(listed)).toThrow(/listed once/);
      if (unlisted !== undefined) expect(() => list.remove(unlisted)).toThrow(/is listed/);
    }));
  });
});
