/**
 * @module api/extra/sub-accounts
 * Which sub-accounts each master has, for the sub-account routes. The engine knows every account's
 * parent but keeps no list of children, so this adapter builds one: a walk of the account ids at
 * start (ids are dense counters from 1), then the committed `AccountCreated` events. Creation
 * requests still in flight count against the limit, so concurrent requests cannot pass it.
 */
import type { Engine } from '../../core/index.js';
import type { Venue } from '../../venue/venue.js';

/** Binance's own ceiling for a master's sub-accounts. */
export const MAX_SUB_ACCOUNTS_PER_MASTER = 200;

export class SubAccountIndex {
  private readonly childrenOf = new Map<number, Set<number>>();
  private readonly pendingOf = new Map<number, number>();
  private readonly unsubscribe: () => void;

  constructor(engine: Engine, venue: Venue) {
    for (let id = 1; ; id += 1) {
      const standing = engine.accountStanding(id);
      if (standing === undefined) break;
      if (standing.parentAccountId !== 0) this.add(standing.parentAccountId, id);
    }
    this.unsubscribe = venue.subscribe(({ events }) => {
      for (const event of events) if (event.type === 'AccountCreated' && event.parentAccountId !== 0) this.add(event.parentAccountId, event.accountId);
    });
  }

  /** The master's sub-accounts, by id. */
  of(masterId: number): number[] {
    return [...(this.childrenOf.get(masterId) ?? [])].sort((a, b) => a - b);
  }

  count(masterId: number): number {
    return this.childrenOf.get(masterId)?.size ?? 0;
  }

  /**
   * Reserves a slot for one more sub-account of `masterId`; false when the master has reached
   * the limit (counting creations in flight). Call `release` once the creation is committed or failed.
   */
  reserve(masterId: number): boolean {
    const pending = this.pendingOf.get(masterId) ?? 0;
    if (this.count(masterId) + pending >= MAX_SUB_ACCOUNTS_PER_MASTER) return false;
    this.pendingOf.set(masterId, pending + 1);
    return true;
  }

  release(masterId: number): void {
    const pending = (this.pendingOf.get(masterId) ?? 1) - 1;
    if (pending <= 0) this.pendingOf.delete(masterId);
    else this.pendingOf.set(masterId, pending);
  }

  close(): void {
    this.unsubscribe();
  }

  /** Records a committed sub-account (idempotent: the creating request and the commit stream both tell). */
  add(masterId: number, accountId: number): void {
    let children = this.childrenOf.get(masterId);
    if (children === undefined) this.childrenOf.set(masterId, children = new Set());
    children.add(accountId);
  }
}
