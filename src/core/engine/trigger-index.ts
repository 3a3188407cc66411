/**
 * @module engine/trigger-index
 * Conditional orders waiting for their trigger, per market. Four sorted lists (by working type
 * MARK_PRICE / CONTRACT_PRICE and by direction) keep firing O(fired) and insertion O(log n + shift):
 * a "rising" order fires when price ≥ trigger (STOP BUY, TAKE_PROFIT SELL), a "falling" order
 * when price ≤ trigger (STOP SELL, TAKE_PROFIT BUY). Lists are kept so the next to fire is at the
 * end (pop), ties broken by order id (earlier first). Trailing stops move their trigger with the
 * price, so they live in a plain list scanned on every price update of their working type
 * (there are at most maxAlgoOrders per account and symbol).
 */
import { assert } from '../assert.js';
import { BUY } from '../book/types.js';
import type { OrderRecord } from './state.js';

const MARK_RISING = 0;
const MARK_FALLING = 1;
const LAST_RISING = 2;
const LAST_FALLING = 3;

/** True when the order fires on a rising price (price ≥ stop). */
export function firesOnRise(order: OrderRecord): boolean {
  const isStop = order.orderType === 'STOP' || order.orderType === 'STOP_MARKET';
  return isStop === (order.side === BUY);
}

function listIndex(order: OrderRecord): number {
  const rising = firesOnRise(order);
  if (order.workingType === 'MARK_PRICE') return rising ? MARK_RISING : MARK_FALLING;
  return rising ? LAST_RISING : LAST_FALLING;
}

/**
 * Ordering inside a list: the element that fires first sits at the end. Rising lists fire the
 * lowest trigger first, so they are sorted descending; falling lists the reverse. Among equal
 * triggers the lower order id fires first.
 */
function firesBefore(a: OrderRecord, b: OrderRecord, rising: boolean): boolean {
  if (a.stopPriceTicks !== b.stopPriceTicks) {
    return rising ? a.stopPriceTicks < b.stopPriceTicks : a.stopPriceTicks > b.stopPriceTicks;
  }
  return a.orderId < b.orderId;
}

export class TriggerIndex {
  private readonly lists: OrderRecord[][] = [[], [], [], []];
  readonly trailing: OrderRecord[] = [];

  get size(): number {
    return this.lists[0]!.length + this.lists[1]!.length + this.lists[2]!.length + this.lists[3]!.length +
      this.trailing.length;
  }

  add(order: OrderRecord): void {
    if (order.orderType === 'TRAILING_STOP_MARKET') {
      this.trailing.push(order);
      return;
    }
    const index = listIndex(order);
    const list = this.lists[index]!;
    const rising = index === MARK_RISING || index === LAST_RISING;
    // Binary search for the first position whose element fires before `order` (ends sit last).
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (firesBefore(list[middle]!, order, rising)) high = middle;
      else low = middle + 1;
    }
    list.splice(low, 0, order);
  }

  remove(order: OrderRecord): void {
    if (order.orderType === 'TRAILING_STOP_MARKET') {
      const at = this.trailing.indexOf(order);
      assert(at >= 0, 'trailing order is indexed');
      this.trailing.splice(at, 1);
      return;
    }
    const list = this.lists[listIndex(order)]!;
    const at = list.indexOf(order);
    assert(at >= 0, 'conditional order is indexed');
    list.splice(at, 1);
  }

  /**
   * Removes and appends to `out` every stop/take-profit order of the working type that fires at
   * `priceTicks`, in firing order (rising list first, then falling).
   */
  collectFired(usesMark: boolean, priceTicks: number, out: OrderRecord[]): void {
    const rising = this.lists[usesMark ? MARK_RISING : LAST_RISING]!;
    while (rising.length > 0 && rising[rising.length - 1]!.stopPriceTicks <= priceTicks) out.push(rising.pop()!);
    const falling = this.lists[usesMark ? MARK_FALLING : LAST_FALLING]!;
    while (falling.length > 0 && falling[falling.length - 1]!.stopPriceTicks >= priceTicks) out.push(falling.pop()!);
  }
}
