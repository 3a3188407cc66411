/**
 * @module sim/agents/market-maker
 * Market maker: quotes `levels` bids and asks around the index every step, so the mark price
 * (which takes the median with index + basis) follows the index. The half-spread widens with the
 * one-minute volatility estimate; quotes skew away from inventory and the side that would grow
 * inventory past `maxInventory` is pulled. Quotes move with AmendOrder (one event per quote
 * instead of cancel + new), and are re-placed when filled or cancelled.
 */
import { z } from 'zod';
import type { EngineEvent, MarginTypeName, OrderSideName, UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent } from './base.js';
import { stressBps } from './stress.js';
import type { MarketView } from './types.js';

export const marketMakerParams = z.object({
  levels: z.number().int().min(1).max(20).default(4),
  /** Quantity per level in base units (BTC), multiplied by levelGrowth at each further level. */
  levelQty: z.number().positive().default(0.5),
  levelGrowth: z.number().min(1).max(5).default(1.5),
  /** Half-spread of the first level in basis points when the market is calm. */
  halfSpreadBps: z.number().min(0).max(500).default(1.5),
  /** Distance between levels in basis points. */
  levelStepBps: z.number().min(0.1).max(500).default(3),
  /** Extra half-spread per unit of one-minute volatility (in bps): 0.5 → 10 bps vol adds 5 bps. */
  volSpreadFactor: z.number().min(0).max(20).default(0.5),
  /** Position (base units) beyond which the side that would grow it stops quoting. */
  maxInventory: z.number().positive().default(15),
  /** Skew of the quote centre in bps at full inventory (towards reducing it). */
  inventorySkewBps: z.number().min(0).max(1_000).default(8),
  leverage: z.number().int().min(1).max(125).default(10),
  /** Stress: level sizes shrink by 1 / (1 + thinPerVolBps × one-minute volatility in bps), to at most minThin of normal. */
  thinPerVolBps: z.number().min(0).max(10).default(0),
  minThin: z.number().min(0.01).max(1).default(0.25),
  /** Stress: extra half-spread (bps) on the side that would grow the inventory, at full inventory. */
  inventoryWidenBps: z.number().min(0).max(2_000).default(0),
  /**
   * Depth it never pulls: levels at these distances from the index (bps, inside the ±5 % price band)
   * stay quoted on both sides even past maxInventory, with backstopQty each. Without them a maker at
   * its limit leaves that side of the book empty and liquidations go straight to ADL.
   */
  backstopBps: z.array(z.number().min(1).max(490)).max(10).default([]),
  backstopQty: z.number().positive().default(0.5),
  /**
   * Hedging elsewhere (spot, other venues — implied, as the arbitrageur's spot leg is): the part of the
   * position the maker has hedged follows the position with this half-life, and skew, widening and
   * the inventory limit apply to the unhedged rest only. 0: never hedges (the inventory is all risk).
   * Stress slows it: the half-life grows by hedgeSlowPerVolBps × one-minute volatility (bps).
   */
  hedgeHalfLifeSec: z.number().min(0).max(86_400).default(0),
  hedgeSlowPerVolBps: z.number().min(0).max(10).default(0),
  /** Stress from the liquidation stream for the hedge's slowing: bps per million USDT a minute (stress.ts). */
  liqStressBpsPerMillion: z.number().min(0).max(1_000).default(0),
  /**
   * Where it centres its quotes: 0 = on the index (the maker is the index's agent); > 0 = on the index
   * plus the basis at which the perpetual has been trading, an average of (last trade / index − 1)
   * with this half-life. Then the perpetual's price is its own: flows move it, and only arbitrage with
   * finite capital ties it to the index — which is how a perpetual trades at a premium in a bull market
   * and at a discount when liquidations sell into it. The basis estimate is kept within ±anchorMaxBps.
   */
  anchorHalfLifeSec: z.number().min(0).max(86_400).default(0),
  anchorMaxBps: z.number().min(0).max(1_000).default(500),
  /**
   * A quote is re-priced only when it is more than this far (bps) from its target, times (1 + level):
   * far fewer amends, the same book shape to within a few bps.
   */
  requoteBps: z.number().min(0).max(100).default(0),
  /** Re-quote every n-th step (1 = every step): a maker that looks every 2 s leaves stale quotes a fast market takes. */
  everySteps: z.number().int().min(1).max(60).default(1),
}).strict();
export type MarketMakerParams = z.infer<typeof marketMakerParams>;

/** Backstop quotes stay this far inside the ±5 % PERCENT_PRICE band (fraction of mark). */
const BAND_INSIDE = 0.049;
/** A backstop is re-priced only when it drifts this far (fraction) from where it should be: it is depth, not a quote. */
const BACKSTOP_TOLERANCE = 0.003;
const SIZE_TOLERANCE = 0.2;

interface Quote {
  live: boolean;
  priceTicks: number;
  origLots: number;
  executedLots: number;
}

export class MarketMaker extends BaseAgent {
  override readonly everyStep = true;
  private readonly quotes = new Map<string, Quote>();
  private readonly lotsPerBase: number;
  private steps = 0;
  /** Base units hedged elsewhere (see hedgeHalfLifeSec). */
  private hedged = 0;
  private lastActMs = 0;
  /** The perpetual's basis to the index as this maker sees it (see anchorHalfLifeSec). */
  private basis = 0;
  private lastAnchorMs = 0;

  constructor(name: string, group: string, capitalUsdt: number, private readonly p: MarketMakerParams,
    lotsPerBase: number, rng: Rng, marginType: MarginTypeName = 'CROSSED') {
    super(name, 'marketMaker', group, capitalUsdt, p.leverage, marginType, rng);
    this.lotsPerBase = lotsPerBase;
  }

  act(view: MarketView): UnsequencedCommand[] {
    const p = this.p;
    if (++this.steps % p.everySteps !== 0) return [];
    const out: UnsequencedCommand[] = [];
    const lotsPerBase = this.lotsPerBase;
    const volBps = view.history.volPerMinute * 10_000;
    const position = this.unhedged(view, this.positionLots(view) / lotsPerBase, volBps);
    const inventory = Math.max(-1, Math.min(1, position / p.maxInventory));
    const half = p.halfSpreadBps + p.volSpreadFactor * volBps;
    // A long inventory widens the bids (buying more is what it wants least) and the reverse.
    const bidHalf = half + p.inventoryWidenBps * Math.max(0, inventory);
    const askHalf = half + p.inventoryWidenBps * Math.max(0, -inventory);
    const thin = Math.max(p.minThin, 1 / (1 + p.thinPerVolBps * volBps));
    const center = view.indexTicks * (1 + this.basisEstimate(view) - (inventory * p.inventorySkewBps) / 10_000);
    // A scripted drain: the side keeps 1 − share of its depth (none at share 1).
    const drain = view.liquidityDrain;
    const keep = (side: OrderSideName): number => (drain?.side === side ? 1 - drain.share : 1);
    for (let level = 0; level < p.levels; level++) {
      const lots = Math.max(view.instrument.minQtyLots, Math.round(p.levelQty * Math.pow(p.levelGrowth, level) * lotsPerBase * thin));
      let bid = Math.floor(center * (1 - (bidHalf + level * p.levelStepBps) / 10_000));
      let ask = Math.ceil(center * (1 + (askHalf + level * p.levelStepBps) / 10_000));
      // Around the skewed centre, not the index: a maker short of inventory bids above the index (a premium).
      const mid = Math.round(center);
      if (bid >= mid) bid = mid - 1;
      if (ask <= mid) ask = mid + 1;
      // Deeper levels need less precision: each level's tolerance grows with its depth.
      const tolerance = (p.requoteBps * (1 + level)) / 10_000;
      const bidLots = Math.round(lots * keep('BUY'));
      const askLots = Math.round(lots * keep('SELL'));
      this.quote(view, out, `b${level}`, 'BUY', position < p.maxInventory && bidLots >= view.instrument.minQtyLots, bid, bidLots, tolerance);
      this.quote(view, out, `a${level}`, 'SELL', position > -p.maxInventory && askLots >= view.instrument.minQtyLots, ask, askLots, tolerance);
    }
    const backstopLots = Math.max(view.instrument.minQtyLots, Math.round(p.backstopQty * lotsPerBase));
    const mark = view.markTicks;
    // Inside the PERCENT_PRICE band around the mark, and never crossing the index.
    const lowest = Math.ceil(mark * (1 - BAND_INSIDE));
    const highest = Math.floor(mark * (1 + BAND_INSIDE));
    const backstopTolerance = Math.max(BACKSTOP_TOLERANCE, p.requoteBps / 10_000);
    const backBid = Math.round(backstopLots * keep('BUY'));
    const backAsk = Math.round(backstopLots * keep('SELL'));
    p.backstopBps.forEach((bps, k) => {
      const bid = Math.max(lowest, Math.floor(Math.min(view.indexTicks, mark) * (1 - bps / 10_000)));
      const ask = Math.min(highest, Math.ceil(Math.max(view.indexTicks, mark) * (1 + bps / 10_000)));
      this.quote(view, out, `B${k}`, 'BUY', backBid >= view.instrument.minQtyLots, bid, backBid, backstopTolerance);
      this.quote(view, out, `A${k}`, 'SELL', backAsk >= view.instrument.minQtyLots, ask, backAsk, backstopTolerance);
    });
    return out;
  }

  /** The basis the perpetual trades at (fraction), averaged with anchorHalfLifeSec (0 when anchored on the index). */
  private basisEstimate(view: MarketView): number {
    const p = this.p;
    if (p.anchorHalfLifeSec === 0 || view.lastTicks === 0) return 0;
    const elapsedMs = this.lastAnchorMs === 0 ? 0 : view.nowMs - this.lastAnchorMs;
    this.lastAnchorMs = view.nowMs;
    const observed = view.lastTicks / view.indexTicks - 1;
    this.basis += (observed - this.basis) * (1 - Math.pow(0.5, elapsedMs / (p.anchorHalfLifeSec * 1000)));
    const max = p.anchorMaxBps / 10_000;
    this.basis = Math.max(-max, Math.min(max, this.basis));
    return this.basis;
  }

  /** Position minus what is hedged (the hedge follows the position with a half-life that stress lengthens). */
  private unhedged(view: MarketView, position: number, volBps: number): number {
    const p = this.p;
    if (p.hedgeHalfLifeSec === 0) return position;
    const elapsedMs = this.lastActMs === 0 ? 0 : view.nowMs - this.lastActMs;
    this.lastActMs = view.nowMs;
    const stress = volBps + (p.liqStressBpsPerMillion === 0 ? 0 : stressBps(view, { volFloorBps: Infinity, liqStressBpsPerMillion: p.liqStressBpsPerMillion }));
    const halfLifeMs = p.hedgeHalfLifeSec * 1000 * (1 + p.hedgeSlowPerVolBps * stress);
    this.hedged += (position - this.hedged) * (1 - Math.pow(0.5, elapsedMs / halfLifeMs));
    return position - this.hedged;
  }

  private quote(view: MarketView, out: UnsequencedCommand[], tag: string, side: OrderSideName, enabled: boolean,
    priceTicks: number, lots: number, tolerance = 0): void {
    const clientOrderId = `${this.name}-${tag}`;
    const quote = this.quotes.get(clientOrderId);
    if (!enabled) {
      if (quote?.live === true) {
        out.push({ type: 'CancelOrder', accountId: this.accountId, symbol: view.symbol, orderId: 0, clientOrderId });
      }
      return;
    }
    if (quote?.live === true) {
      const remaining = quote.origLots - quote.executedLots;
      // With a tolerance, a size within a fifth of the target is left alone too (partly filled quotes refill below that).
      const sizeOk = tolerance === 0 ? remaining === lots : Math.abs(remaining - lots) <= lots * SIZE_TOLERANCE;
      if (sizeOk && Math.abs(quote.priceTicks - priceTicks) <= priceTicks * tolerance) return;
      out.push({
        type: 'AmendOrder', accountId: this.accountId, symbol: view.symbol, orderId: 0, clientOrderId,
        qtyLots: quote.executedLots + lots, priceTicks,
      });
      return;
    }
    out.push(this.limit(view, side, lots, priceTicks, 'GTC', clientOrderId));
  }

  override onEvent(event: EngineEvent): void {
    super.onEvent(event);
    if (event.type !== 'OrderUpdate') return;
    const order = event.order;
    if (order.clientOrderId === '' || order.conditional) return;
    const live = order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
    if (!live) {
      this.quotes.delete(order.clientOrderId);
      return;
    }
    this.quotes.set(order.clientOrderId, {
      live, priceTicks: order.priceTicks, origLots: order.origQtyLots, executedLots: order.executedQtyLots,
    });
  }
}
