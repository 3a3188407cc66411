/**
 * @module api/ws/lead-stream
 * The public `<accountId>@leadTrades` stream: a lead portfolio's live fills and positions, the
 * story's live broadcast (issue 15). Only a lead that opted in to live sharing
 * (POST /perpx/v1/copy/sharing) is broadcast; otherwise the stream stays silent, even for a
 * subscriber already connected. Two payloads, built once per entry and account:
 * - `leadTrade` per fill of the lead's orders: symbol, side, price, quantity, trade id, time;
 * - `leadPosition` per position the entry changed: size, entry, mark and liquidation prices
 *   (the engine's figures after the entry).
 * No balances, fees or PnL: the lead shares its trades, not its wallet.
 */
import type { EngineEvent, Instrument } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { fractionPrice, price, qty, signedQty } from '../format.js';

export function leadStreamName(accountId: number): string {
  return `${accountId}@leadTrades`;
}

/** The messages of one entry for every lead `wanted` says is subscribed and sharing, in event order. */
export function leadStreamMessages(ctx: ApiContext, events: readonly EngineEvent[], wanted: (accountId: number) => boolean,
  nowMs: number): [accountId: number, payload: Record<string, unknown>][] {
  const out: [number, Record<string, unknown>][] = [];
  const instrumentOf = (symbol: string): Instrument | undefined => ctx.instruments.get(symbol);
  for (const event of events) {
    if (event.type === 'OrderUpdate' && event.execution === 'TRADE' && wanted(event.order.accountId)) {
      const instrument = instrumentOf(event.order.symbol);
      if (instrument === undefined) continue;
      out.push([event.order.accountId, {
        e: 'leadTrade', E: nowMs, a: event.order.accountId, s: event.order.symbol, S: event.order.side,
        p: price(instrument, event.lastPriceTicks), q: qty(instrument, event.lastQtyLots), t: event.tradeId,
        T: event.order.updatedAtMs,
      }]);
    } else if (event.type === 'PositionChanged' && wanted(event.accountId)) {
      const instrument = instrumentOf(event.symbol);
      if (instrument === undefined) continue;
      const position = ctx.engine.accountView(event.accountId)?.positions.find((row) => row.symbol === event.symbol);
      out.push([event.accountId, {
        e: 'leadPosition', E: nowMs, a: event.accountId, s: event.symbol, pa: signedQty(instrument, event.sizeLots),
        ep: fractionPrice(instrument, position?.entryPrice), mp: price(instrument, position?.markTicks ?? 0),
        lp: fractionPrice(instrument, position?.liquidationPrice), mt: event.marginType, l: event.leverage,
      }]);
    }
  }
  return out;
}
