/**
 * @module book/book-events
 * The growable struct-of-arrays event log both book implementations write into.
 *
 * Invariants:
 * - Entries [0, count) are the events of the last mutating call; `reset()` starts a new call.
 * - The arrays only ever grow (doubling), so a matching sweep never allocates after warm-up.
 *   Readers must re-read the array fields after each call because growth replaces them.
 * - Fill events carry reason 0; expiry events carry makerRemainingLots 0.
 */
import { grownTo } from '../num/typed-arrays.js';
import { EVENT_FILL, EVENT_MAKER_EXPIRED, type BookEvents } from './types.js';

const DEFAULT_EVENT_CAPACITY = 64;

export class BookEventsBuffer implements BookEvents {
  count = 0;
  kind: Uint8Array;
  reason: Uint8Array;
  makerOrderId: Float64Array;
  makerOwner: Int32Array;
  priceTicks: Float64Array;
  qtyLots: Float64Array;
  makerRemainingLots: Float64Array;
  private capacity: number;

  constructor(initialCapacity: number = DEFAULT_EVENT_CAPACITY) {
    const capacity = initialCapacity > 0 ? initialCapacity : DEFAULT_EVENT_CAPACITY;
    this.capacity = capacity;
    this.kind = new Uint8Array(capacity);
    this.reason = new Uint8Array(capacity);
    this.makerOrderId = new Float64Array(capacity);
    this.makerOwner = new Int32Array(capacity);
    this.priceTicks = new Float64Array(capacity);
    this.qtyLots = new Float64Array(capacity);
    this.makerRemainingLots = new Float64Array(capacity);
  }

  reset(): void {
    this.count = 0;
  }

  pushFill(makerOrderId: number, makerOwner: number, priceTicks: number, qtyLots: number,
    makerRemainingLots: number): void {
    const i = this.count;
    if (i === this.capacity) this.grow();
    this.kind[i] = EVENT_FILL;
    this.reason[i] = 0;
    this.makerOrderId[i] = makerOrderId;
    this.makerOwner[i] = makerOwner;
    this.priceTicks[i] = priceTicks;
    this.qtyLots[i] = qtyLots;
    this.makerRemainingLots[i] = makerRemainingLots;
    this.count = i + 1;
  }

  pushMakerExpired(makerOrderId: number, makerOwner: number, priceTicks: number, qtyLots: number,
    reason: number): void {
    const i = this.count;
    if (i === this.capacity) this.grow();
    this.kind[i] = EVENT_MAKER_EXPIRED;
    this.reason[i] = reason;
    this.makerOrderId[i] = makerOrderId;
    this.makerOwner[i] = makerOwner;
    this.priceTicks[i] = priceTicks;
    this.qtyLots[i] = qtyLots;
    this.makerRemainingLots[i] = 0;
    this.count = i + 1;
  }

  // Kept out of the push methods so they stay small enough to inline.
  private grow(): void {
    const capacity = this.capacity * 2;
    this.kind = grownTo(this.kind, capacity);
    this.reason = grownTo(this.reason, capacity);
    this.makerOrderId = grownTo(this.makerOrderId, capacity);
    this.makerOwner = grownTo(this.makerOwner, capacity);
    this.priceTicks = grownTo(this.priceTicks, capacity);
    this.qtyLots = grownTo(this.qtyLots, capacity);
    this.makerRemainingLots = grownTo(this.makerRemainingLots, capacity);
    this.capacity = capacity;
  }
}
