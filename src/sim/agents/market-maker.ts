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
  inventorySkewBps: z.number().min(0).max(500).default(8),
  leverage: z.number().int().min(1).max(125).default(10),
}).strict();
export type MarketMakerParams = z.infer<typeof marketMakerParams>;

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

  constructor(name: string, group: string, capitalUsdt: number, private readonly p: MarketMakerParams,
    lotsPerBase: number, rng: Rng, marginType: MarginTypeName = 'CROSSED') {
    super(name, 'marketMaker', group, capitalUsdt, p.leverage, marginType, rng);
    this.lotsPerBase = lotsPerBase;
  }

  act(view: MarketView): UnsequencedCommand[] {
    const out: UnsequencedCommand[] = [];
    const lotsPerBase = this.lotsPerBase;
    const position = this.positionLots(view) / lotsPerBase;
    const inventory = Math.max(-1, Math.min(1, position / this.p.maxInventory));
    const volBps = view.history.volPerMinute * 10_000;
    const half = this.p.halfSpreadBps + this.p.volSpreadFactor * volBps;
    const center = view.indexTicks * (1 - (inventory * this.p.inventorySkewBps) / 10_000);
    for (let level = 0; level < this.p.levels; level++) {
      const distance = (half + level * this.p.levelStepBps) / 10_000;
      const lots = Math.max(view.instrument.minQtyLots,
        Math.round(this.p.levelQty * Math.pow(this.p.levelGrowth, level) * lotsPerBase));
      let bid = Math.floor(center * (1 - distance));
      let ask = Math.ceil(center * (1 + distance));
      if (bid >= view.indexTicks) bid = view.indexTicks - 1;
      if (ask <= view.indexTicks) ask = view.indexTicks + 1;
      this.quote(view, out, `b${level}`, 'BUY', position < this.p.maxInventory, bid, lots);
      this.quote(view, out, `a${level}`, 'SELL', position > -this.p.maxInventory, ask, lots);
    }
    return out;
  }

  private quote(view: MarketView, out: UnsequencedCommand[], tag: string, side: OrderSideName, enabled: boolean,
    priceTicks: number, lots: number): void {
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
      if (quote.priceTicks === priceTicks && remaining === lots) return;
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
