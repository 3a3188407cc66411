/**
 * @module api/extra/preview-route
 * `POST /perpx/v1/order/preview` (USER_DATA, weight 1): what an order would cost and where the
 * position would be liquidated after it fills, from the engine's own `previewOrder` (the same
 * margin and liquidation code that will judge the order), so the order form shows figures equal to
 * the engine's. A thin adapter: parse, ask the engine, format. Parameters: symbol, side, quantity,
 * and price (absent: a market order, priced by a preview of the book).
 */
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { fractionPrice, money, price, qty } from '../format.js';
import { symbolParam } from '../rest/market-routes.js';
import { registerRoute, type RouteHost } from '../rest/route.js';

export function registerPreviewRoute(routes: RouteHost, ctx: ApiContext): void {
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/order/preview'], security: 'USER_DATA', weight: 1,
    handler: ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const side = params.enumOf('side', ['BUY', 'SELL'], E.badSide, true);
      const qtyLots = params.units('quantity', instrument.lot, true);
      const priceTicks = params.units('price', instrument.tick, false) ?? 0;
      if (qtyLots <= 0) throw E.illegalValue('quantity', 'must be positive');
      const preview = ctx.engine.previewOrder({ accountId, symbol: instrument.symbol, side, qtyLots, priceTicks });
      if (preview === undefined) throw E.illegalValue('symbol', 'no mark price yet');
      const now = ctx.engine.accountView(accountId)?.positions.find((position) => position.symbol === instrument.symbol);
      return {
        symbol: instrument.symbol, side, quantity: qty(instrument, qtyLots), price: price(instrument, priceTicks),
        markPrice: price(instrument, ctx.engine.market(instrument.symbol).markTicks),
        cost: money(preview.costE8),
        marginIncrease: money(preview.marginIncreaseE8),
        available: money(preview.availableE8),
        affordable: preview.affordable,
        positionAmtNow: qty(instrument, now?.sizeLots ?? 0),
        liquidationPriceNow: price(instrument, now?.liquidationPriceTicks ?? 0),
        positionAmtAfter: qty(instrument, preview.sizeAfterLots),
        liquidationPriceAfter: price(instrument, preview.liquidationPriceAfterTicks),
        entryPriceAfter: fractionPrice(instrument, preview.entryPriceAfter),
        fillableQty: qty(instrument, preview.fillableLots),
        fillNotional: money(preview.fillNotionalE8),
        leverage: now?.leverage ?? instrument.defaultLeverage,
        marginType: now?.marginType ?? 'CROSSED',
      };
    },
  });
}
