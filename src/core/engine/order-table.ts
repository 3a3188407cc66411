/**
 * @module engine/order-table
 * Every live order by id. Ids come from a counter and an order joins the table in the command that
 * gives it its id, so the table is filled in ascending id order: a two-level table of pages of
 * 4,096 ids finds, adds and removes an order with two array reads and no hashing (a Map of
 * hundreds of thousands of live orders took a hash-table miss per order placed or cancelled).
 * Pages are created in ascending order and dropped when they empty, except the newest (the only
 * one new ids can still land in), so iteration in page order is insertion order, as a Map's was,
 * and snapshots keep their bytes.
 */
import { AssertionFailure } from '../assert.js';
import type { OrderRecord } from './state.js';

const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;

/** Page number of an id (exact: ids are safe integers). */
function pageOf(orderId: number): number {
  return (orderId - (orderId % PAGE_SIZE)) / PAGE_SIZE;
}

class Page {
  readonly slots: (OrderRecord | undefined)[] = new Array<OrderRecord | undefined>(PAGE_SIZE).fill(undefined);
  used = 0;
}

export class OrderTable {
  /** Page number → page, in ascending page order (Map insertion order). */
  private readonly pages = new Map<number, Page>();
  /** The last page looked up: most lookups hit the newest page. */
  private lastPageNumber = -1;
  private lastPage: Page | undefined = undefined;
  private highestId = 0;
  size = 0;

  private page(pageNumber: number): Page | undefined {
    if (pageNumber === this.lastPageNumber) return this.lastPage;
    const page = this.pages.get(pageNumber);
    if (page !== undefined) {
      this.lastPageNumber = pageNumber;
      this.lastPage = page;
    }
    return page;
  }

  get(orderId: number): OrderRecord | undefined {
    if (!Number.isSafeInteger(orderId) || orderId <= 0) return undefined;
    return this.page(pageOf(orderId))?.slots[orderId % PAGE_SIZE];
  }

  /** Adds a new order; ids must come in ascending order (each order joins once, in its own command). */
  add(order: OrderRecord): void {
    const orderId = order.orderId;
    if (!Number.isSafeInteger(orderId) || orderId <= this.highestId) {
      throw new AssertionFailure(`order ${orderId} joins the live table after ${this.highestId}`);
    }
    const previousNewest = pageOf(this.highestId);
    this.highestId = orderId;
    const pageNumber = pageOf(orderId);
    let page = this.page(pageNumber);
    if (page === undefined) {
      // The previous newest page was kept even if empty; now no new id can land in it.
      const previous = this.pages.get(previousNewest);
      if (previous !== undefined && previous.used === 0) this.pages.delete(previousNewest);
      page = new Page();
      this.pages.set(pageNumber, page);
      this.lastPageNumber = pageNumber;
      this.lastPage = page;
    }
    page.slots[orderId % PAGE_SIZE] = order;
    page.used++;
    this.size++;
  }

  remove(order: OrderRecord): void {
    const orderId = order.orderId;
    const pageNumber = pageOf(orderId);
    const page = this.page(pageNumber);
    const slot = orderId % PAGE_SIZE;
    if (page?.slots[slot] !== order) throw new AssertionFailure(`order ${orderId} is in the live table`);
    page.slots[slot] = undefined;
    page.used--;
    this.size--;
    // An emptied page below the newest one can never be refilled (its ids are spent); the newest
    // stays, or a book that empties after every order would build a page per order.
    if (page.used === 0 && pageNumber !== pageOf(this.highestId)) {
      this.pages.delete(pageNumber);
      if (this.lastPageNumber === pageNumber) {
        this.lastPageNumber = -1;
        this.lastPage = undefined;
      }
    }
  }

  /** Pages held (memory check in tests). */
  get pageCount(): number {
    return this.pages.size;
  }

  /** Live orders in ascending id order (= insertion order). */
  *values(): IterableIterator<OrderRecord> {
    for (const page of this.pages.values()) {
      for (const order of page.slots) if (order !== undefined) yield order;
    }
  }
}
