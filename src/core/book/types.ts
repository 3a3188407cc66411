/**
 * @module book/types
 * The order-book contract shared by the fast book (order-book.ts) and the naive reference book
 * (reference-book.ts). A book knows only what matching needs: integer order ids, owners, sides,
 * limit prices in ticks and quantities in lots. Everything else (order types, margin, fees,
 * client ids) belongs to the engine.
 *
 * Matching rules (both implementations must produce identical event streams):
 * - Price-time priority: better price first; at equal price, earlier resting order first.
 * - A fill trades min(taker remaining, maker remaining, maker cap) at the maker's price.
 * - Self-trade prevention applies when maker owner === taker owner and stp !== STP_NONE:
 *   EXPIRE_TAKER stops matching and expires the taker remainder (maker untouched);
 *   EXPIRE_MAKER expires that maker (event MAKER_EXPIRED, reason STP) and continues;
 *   EXPIRE_BOTH expires that maker, then stops and expires the taker remainder.
 * - Reduce-only makers (flag FLAG_REDUCE_ONLY): when the sweep reaches one, its fillable cap is
 *   listener.reduceOnlyCapacity(owner, makerSide) minus the lots already filled in this same sweep
 *   by makers of that owner (any flag). Cap 0 → the maker is expired (reason REDUCE_ONLY) and the
 *   sweep continues. Cap c > 0 → fill min(c, ...); if the maker keeps a remainder while its cap is
 *   exhausted, it is expired (reason REDUCE_ONLY) right after the fill.
 * - Time in force: GTC rests the remainder; IOC expires it; FOK first previews the sweep exactly
 *   and, if it cannot fill completely, returns OUTCOME_FOK_UNFILLED with no state change and no
 *   events; GTX (post-only) returns OUTCOME_POST_ONLY_WOULD_TAKE with no state change if the limit
 *   crosses the opposite best (own orders included); otherwise it rests.
 * - The listener is only queried; fills and expirations are written to `events` (cleared at the
 *   start of every mutating call). The book never calls back into the engine to mutate anything.
 */

export type Side = 0 | 1;
export const BUY: Side = 0;
export const SELL: Side = 1;

export type TimeInForceCode = 0 | 1 | 2 | 3;
export const TIF_GTC: TimeInForceCode = 0;
export const TIF_IOC: TimeInForceCode = 1;
export const TIF_FOK: TimeInForceCode = 2;
export const TIF_GTX: TimeInForceCode = 3;

export type StpCode = 0 | 1 | 2 | 3;
export const STP_NONE: StpCode = 0;
export const STP_EXPIRE_TAKER: StpCode = 1;
export const STP_EXPIRE_MAKER: StpCode = 2;
export const STP_EXPIRE_BOTH: StpCode = 3;

/** Per-order flags stored by the book. */
export const FLAG_REDUCE_ONLY = 1;

/** Result of submit(). */
export type SubmitOutcome = 0 | 1 | 2 | 3;
/** The order was accepted: it filled, rested, expired, or a mix; see lastFilledLots etc. */
export const OUTCOME_ACCEPTED: SubmitOutcome = 0;
/** GTX would have taken liquidity; nothing changed. */
export const OUTCOME_POST_ONLY_WOULD_TAKE: SubmitOutcome = 1;
/** FOK could not be filled completely; nothing changed. */
export const OUTCOME_FOK_UNFILLED: SubmitOutcome = 2;
/** The order id is already resting in this book (programmer error guard; nothing changed). */
export const OUTCOME_DUPLICATE_ID: SubmitOutcome = 3;

/** Why the taker remainder expired (lastTakerExpireReason). */
export type TakerExpireReason = 0 | 1 | 2;
export const TAKER_EXPIRE_NONE: TakerExpireReason = 0;
/** IOC (or market) remainder with no more crossing liquidity. */
export const TAKER_EXPIRE_IOC: TakerExpireReason = 1;
/** Self-trade prevention (EXPIRE_TAKER or EXPIRE_BOTH). */
export const TAKER_EXPIRE_STP: TakerExpireReason = 2;

/** Event kinds written to BookEvents. */
export const EVENT_FILL = 0;
export const EVENT_MAKER_EXPIRED = 1;

/** Maker expiry reasons. */
export const MAKER_EXPIRE_STP = 1;
export const MAKER_EXPIRE_REDUCE_ONLY = 2;

/** What the book asks the engine while sweeping. Pure query: must not mutate anything. */
export interface BookListener {
  /**
   * Lots that `owner` may still reduce with makers on `makerSide` before this sweep started
   * (e.g. a long of 5 lots gives 5 for SELL makers). Called only for reduce-only makers.
   */
  reduceOnlyCapacity(owner: number, makerSide: Side): number;
}

/**
 * Struct-of-arrays event log for one mutating call. Readers iterate i in [0, count).
 * Fields for EVENT_FILL: makerOrderId, makerOwner, priceTicks, qtyLots (filled), makerRemainingLots.
 * Fields for EVENT_MAKER_EXPIRED: makerOrderId, makerOwner, priceTicks (its limit), qtyLots
 * (the remaining lots removed), makerRemainingLots = 0, reason.
 */
export interface BookEvents {
  count: number;
  kind: Uint8Array;
  reason: Uint8Array;
  makerOrderId: Float64Array;
  makerOwner: Int32Array;
  priceTicks: Float64Array;
  qtyLots: Float64Array;
  makerRemainingLots: Float64Array;
}

/** Depth level visitor result holder (avoids allocation in level iteration). */
export interface OrderBook {
  readonly events: BookEvents;
  /** After submit(): lots filled, lots now resting, lots expired, and why. */
  readonly lastFilledLots: number;
  readonly lastRestingLots: number;
  readonly lastExpiredLots: number;
  readonly lastTakerExpireReason: TakerExpireReason;
  /** Σ priceTicks × qtyLots over the fills of the last submit() (exact at any size). */
  readonly lastFilledNotionalTickLots: bigint;

  /**
   * Matches and/or rests an order. `limitTicks` is the worst price the taker accepts (for market
   * orders the engine passes its protection-band price). qtyLots > 0, limitTicks in [1, maxPriceTicks].
   */
  submit(orderId: number, owner: number, side: Side, limitTicks: number, qtyLots: number,
    tif: TimeInForceCode, stp: StpCode, flags: number): SubmitOutcome;

  /** Removes a resting order; returns its remaining lots, or -1 if it is not resting. No events. */
  cancel(orderId: number): number;

  /** Lowers a resting order's remaining lots in place (keeps time priority). 0 < newRemaining <= current. */
  reduce(orderId: number, newRemainingLots: number): boolean;

  /**
   * Appends a resting order at the tail of its level without matching (snapshot restore and
   * price-amend re-entry after the engine has checked it does not cross). Asserts it does not cross.
   */
  insertResting(orderId: number, owner: number, side: Side, priceTicks: number, qtyLots: number, flags: number): void;

  /**
   * Exactly what submit() would fill (lots), without changing anything, honouring STP and
   * reduce-only caps. Also sets lastPreviewNotionalTickLots.
   */
  previewFill(owner: number, side: Side, limitTicks: number, qtyLots: number, stp: StpCode): number;
  /** Σ priceTicks × qtyLots of the last previewFill() (exact at any size). */
  readonly lastPreviewNotionalTickLots: bigint;

  /** Best prices; -1 when the side is empty. */
  bestBid(): number;
  bestAsk(): number;

  /** Level iteration from the best price outward: first/next return -1 when exhausted. */
  firstLevel(side: Side): number;
  nextLevel(side: Side, priceTicks: number): number;
  levelTotalLots(side: Side, priceTicks: number): number;
  levelOrderCount(side: Side, priceTicks: number): number;

  has(orderId: number): boolean;
  remainingLots(orderId: number): number;
  priceOf(orderId: number): number;
  sideOf(orderId: number): Side;
  ownerOf(orderId: number): number;
  flagsOf(orderId: number): number;
  /** Number of resting orders. */
  readonly size: number;

  /**
   * Visits resting orders of one side in priority order (best price first, then time).
   * Not for hot paths (depth snapshots, state hashing, serialization).
   */
  forEachOrder(side: Side, visit: (orderId: number, owner: number, priceTicks: number, remainingLots: number, flags: number) => void): void;

  /** Rebuilds every index from scratch and throws AssertionFailure on any disagreement. O(n). */
  checkIntegrity(): void;
}

/** Construction parameters for any book implementation. */
export interface BookConfig {
  /** Highest limit price in ticks (inclusive); prices are in [1, maxPriceTicks]. */
  readonly maxPriceTicks: number;
  readonly listener: BookListener;
  /** Initial order capacity (the fast book grows by doubling beyond it). */
  readonly initialCapacity?: number;
}
