/**
 * @module api/read-models/position-figures
 * The position fields Binance reports beside the engine's own figures: the break-even price
 * (entry adjusted for the taker fee of opening and closing), the notional of the account's open
 * bids and asks in the symbol, and the ADL quantile (0..4, higher = earlier in the ADL queue),
 * ranked with the engine's own ADL score (core `adlScore`). docs/api.md, "Positions", states the
 * definitions.
 */
import {
  adlScore, compareAdlScores, QUOTE_ONE, RATE_ONE, type AccountView, type AdlScore, type Engine, type Instrument,
  type PositionRiskView, type PriceFraction,
} from '../../core/index.js';

/** Binance refreshes ADL quantiles every 30 s; perpx re-ranks at most this often (and only after a change). */
export const ADL_REFRESH_MS = 5_000;
/** Quantiles run 0..4 (Binance's five lights). */
const ADL_TOP_QUANTILE = 4;

/**
 * Break-even price: the price at which closing the position with a taker order returns the
 * opening and closing taker fees. Long: entry × (1 + fee) / (1 − fee); short: entry × (1 − fee) / (1 + fee).
 */
export function breakEvenPrice(instrument: Instrument, sizeLots: number, entry: PriceFraction | undefined): PriceFraction | undefined {
  if (entry === undefined || sizeLots === 0) return undefined;
  const fee = instrument.takerFeeE8;
  const up = RATE_ONE + fee;
  const down = RATE_ONE - fee;
  return sizeLots > 0 ? { num: entry.num * up, den: entry.den * down } : { num: entry.num * down, den: entry.den * up };
}

export interface OrderNotionals {
  readonly bidE8: bigint;
  readonly askE8: bigint;
}

/** Notional (remaining quantity × limit price) of the account's resting orders in `symbol`, by side. */
export function openOrderNotionals(engine: Engine, accountId: number, instrument: Instrument): OrderNotionals {
  let bidE8 = 0n;
  let askE8 = 0n;
  for (const order of engine.openOrders(accountId, instrument.symbol)) {
    // Untriggered conditional orders and market orders have no resting price: Binance counts neither.
    if (order.priceTicks === 0 || (order.conditional && !order.triggered)) continue;
    const notional = BigInt(order.priceTicks) * BigInt(order.origQtyLots - order.executedQtyLots) * instrument.quotePerTickLotE8;
    if (order.side === 'BUY') bidE8 += notional;
    else askE8 += notional;
  }
  return { bidE8, askE8 };
}

/** The engine's ADL score of one position, from the account's view (cross or isolated figures). */
export function adlScoreOf(view: AccountView, position: PositionRiskView): AdlScore {
  if (position.marginType === 'ISOLATED') {
    return adlScore(position.unrealizedPnlE8, position.isolatedWalletE8, position.maintenanceMarginE8,
      position.isolatedWalletE8 + position.unrealizedPnlE8, QUOTE_ONE);
  }
  return adlScore(position.unrealizedPnlE8, view.crossWalletE8, view.crossMaintenanceMarginE8, view.crossMarginBalanceE8,
    QUOTE_ONE);
}

/**
 * Quantile of each score among its side's scores: 0 for a position with no ADL score (not in
 * profit), else ceil(4 × share of positions with a score ≤ it), so the first in the queue is 4.
 */
export function quantilesOf(scores: readonly AdlScore[]): number[] {
  const sorted = [...scores].sort(compareAdlScores);
  return scores.map((score) => {
    if (score.num === 0n) return 0;
    // Upper bound by binary search over the ascending scores.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareAdlScores(sorted[mid]!, score) <= 0) lo = mid + 1;
      else hi = mid;
    }
    // lo = how many positions have a score at or below this one.
    return Math.max(1, Math.ceil((ADL_TOP_QUANTILE * lo) / sorted.length));
  });
}

/** ADL quantiles of every open position, re-ranked lazily (see ADL_REFRESH_MS). */
export class AdlRanking {
  private bySymbol = new Map<string, Map<number, number>>();
  private rankedSeq = -1;
  private rankedAtMs = 0;

  constructor(private readonly engine: Engine, private readonly now: () => number) {}

  /** The account's quantile in `symbol` (0 without a position). */
  quantile(symbol: string, accountId: number): number {
    this.refresh();
    return this.bySymbol.get(symbol)?.get(accountId) ?? 0;
  }

  private refresh(): void {
    const seq = this.engine.lastSeq;
    const nowMs = this.now();
    if (seq === this.rankedSeq || (this.rankedSeq >= 0 && nowMs - this.rankedAtMs < ADL_REFRESH_MS)) return;
    const views = new Map<number, AccountView | undefined>();
    const viewOf = (accountId: number): AccountView | undefined => {
      if (!views.has(accountId)) views.set(accountId, this.engine.accountView(accountId));
      return views.get(accountId);
    };
    const bySymbol = new Map<string, Map<number, number>>();
    for (const instrument of this.engine.instruments) {
      const sides: { accountId: number; score: AdlScore }[][] = [[], []];
      for (const position of this.engine.market(instrument.symbol).openPositions.values()) {
        const view = viewOf(position.accountId);
        const risk = view?.positions.find((candidate) => candidate.symbol === instrument.symbol);
        if (view === undefined || risk === undefined || risk.sizeLots === 0) continue;
        sides[risk.sizeLots > 0 ? 0 : 1]!.push({ accountId: position.accountId, score: adlScoreOf(view, risk) });
      }
      const quantiles = new Map<number, number>();
      for (const side of sides) {
        const ranks = quantilesOf(side.map((entry) => entry.score));
        side.forEach((entry, index) => quantiles.set(entry.accountId, ranks[index]!));
      }
      bySymbol.set(instrument.symbol, quantiles);
    }
    this.bySymbol = bySymbol;
    this.rankedSeq = seq;
    this.rankedAtMs = nowMs;
  }
}
