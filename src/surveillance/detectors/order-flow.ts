/**
 * @module surveillance/detectors/order-flow
 * What an OrderUpdate means for the order-flow rules (M1–M3, B2): a placement (the order reached
 * the book or the matcher: a regular order's first NEW, or a conditional order's NEW when it
 * triggers), a fill, a user cancel, an expiry, an amendment. Engine-made orders (origin LIQUIDATION,
 * COPY, CLOSE_OUT) are not the account's own messages and are left out.
 */
import type { OrderUpdateEvent, OrderView } from '../../core/index.js';

export type FlowKind = 'PLACED' | 'ALGO_PLACED' | 'FILL' | 'CANCELED' | 'EXPIRED' | 'AMENDED' | 'OTHER';

export function flowKind(event: OrderUpdateEvent): FlowKind {
  const order = event.order;
  // Liquidation, copy and close-out orders are the engine's, not the account's own messages.
  if (order.origin !== 'USER') return 'OTHER';
  switch (event.execution) {
    case 'NEW':
      if (order.conditional && !order.triggered) return 'ALGO_PLACED';
      return 'PLACED';
    case 'TRADE':
      return 'FILL';
    case 'CANCELED':
      return event.reason === 'USER_CANCEL' ? 'CANCELED' : 'OTHER';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'AMENDMENT':
      return 'AMENDED';
    case 'TRIGGERED':
      return 'OTHER';
  }
}

/** Orders that rest on the book when not filled at once. */
export function rests(order: OrderView): boolean {
  return (order.timeInForce === 'GTC' || order.timeInForce === 'GTX') &&
    (order.orderType === 'LIMIT' || order.orderType === 'STOP' || order.orderType === 'TAKE_PROFIT');
}

/** The median of the last `capacity` values (the upper of the middle two), O(capacity) per push at worst. */
export class SlidingMedian {
  private readonly ring: number[] = [];
  private readonly sorted: number[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  get count(): number {
    return this.ring.length;
  }

  get median(): number {
    return this.sorted.length === 0 ? 0 : this.sorted[this.sorted.length >> 1]!;
  }

  push(value: number): void {
    if (this.ring.length === this.capacity) {
      const oldest = this.ring[this.next]!;
      this.sorted.splice(lowerBound(this.sorted, oldest), 1);
      this.ring[this.next] = value;
      this.next = (this.next + 1) % this.capacity;
    } else {
      this.ring.push(value);
    }
    this.sorted.splice(lowerBound(this.sorted, value), 0, value);
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
