/** The account's intrusive order list against a plain array model, under random adds and removes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUY } from '../book/types.js';
import { AccountOrders, OrderRecord } from './state.js';

function order(orderId: number): OrderRecord {
  return new OrderRecord({
    orderId, accountId: 1, market: 0, clientOrderId: `c${orderId}`, side: BUY, orderType: 'LIMIT', timeInForce: 'GTC',
    qtyLots: 1, priceTicks: 100, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false,
    closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', conditional: false,
    origin: 'USER', causeId: 0, createdAtMs: 0,
  });
}

/** Walks the list backwards from `last`, to check the prev links too. */
function backwards(list: AccountOrders): number[] {
  const ids: number[] = [];
  for (let at = list.last; at !== undefined; at = at.prevInAccount) ids.push(at.orderId);
  return ids;
}

describe('AccountOrders', () => {
  it('keeps insertion order through adds and removes at the head, middle and tail', () => {
    fc.assert(fc.property(fc.array(fc.nat(1_000), { maxLength: 200 }), (script) => {
      const list = new AccountOrders();
      const model: OrderRecord[] = [];
      let nextId = 1;
      for (const step of script) {
        if (step % 3 !== 0 || model.length === 0) {
          const added = order(nextId++);
          list.add(added);
          model.push(added);
        } else {
          const [removed] = model.splice(step % model.length, 1);
          list.remove(removed!);
          expect(removed!.prevInAccount).toBeUndefined();
          expect(removed!.nextInAccount).toBeUndefined();
        }
        expect(list.size).toBe(model.length);
        expect(list.values()).toEqual(model);
        expect(backwards(list)).toEqual(model.map((entry) => entry.orderId).reverse());
        expect(list.first).toBe(model[0]);
        expect(list.last).toBe(model.at(-1));
      }
    }), { numRuns: 300 });
  });

  it('values() is a copy: ending orders while walking it is safe', () => {
    const list = new AccountOrders();
    const records = [order(1), order(2), order(3)];
    for (const record of records) list.add(record);
    for (const record of list.values()) list.remove(record);
    expect(list.size).toBe(0);
    expect(list.first).toBeUndefined();
    expect(list.last).toBeUndefined();
  });
});
