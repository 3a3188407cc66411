/**
 * @module surveillance/copy-events
 * Copy-trading facts that the C-alerts and M8 read: integers, ids, event time. The engine's own
 * copy events (FollowerChanged, LeadPortfolioChanged, CopyFill) are turned into them by
 * engine-copy-bridge.ts; tests may also craft them directly beside engine events.
 */

/** A follower starts or stops copying a lead portfolio. */
export interface CopyRelationEvent {
  readonly type: 'CopyRelation';
  readonly leadAccountId: number;
  readonly followerAccountId: number;
  readonly active: boolean;
  readonly atMs: number;
}

/** A lead's order was mirrored into a follower's account (the follower's own order id). */
export interface CopyMirroredEvent {
  readonly type: 'CopyMirrored';
  readonly leadAccountId: number;
  readonly leadOrderId: number;
  readonly followerAccountId: number;
  readonly followerOrderId: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly qtyLots: number;
  readonly atMs: number;
}

/** A lead portfolio's public status and assets under management (copiers' allocations, quote E8). */
export interface LeadPortfolioEvent {
  readonly type: 'LeadPortfolio';
  readonly leadAccountId: number;
  readonly public: boolean;
  readonly aumE8: bigint;
  readonly atMs: number;
}

export type CopyTradingEvent = CopyRelationEvent | CopyMirroredEvent | LeadPortfolioEvent;

export function isCopyTradingEvent(event: { readonly type: string }): event is CopyTradingEvent {
  return event.type === 'CopyRelation' || event.type === 'CopyMirrored' || event.type === 'LeadPortfolio';
}
