/**
 * @module engine/invariants
 * The auditor: global properties re-derived from scratch and compared with the engine's state.
 * O(state), so it runs after every command in tests and the simulator, and on demand in
 * production (the operator ledger endpoint). docs/INVARIANTS.md states each one in prose.
 * Returns the list of violations (empty when all hold) instead of throwing, so callers can report.
 */
import { BUY, SELL } from '../book/types.js';
import type { EngineContext } from './context.js';
import { maintenanceMarginE8, orderMarginOf, unrealizedPnlE8 } from './margin.js';
import { computeCross } from './metrics.js';
import { liveOrderByClientId } from './order-lifecycle.js';

/**
 * `deep` adds the order books' own O(price range) structural self-checks, which are too slow to
 * run after every command on a wide instrument; everything else is O(state).
 */
export function checkInvariants(ctx: EngineContext, deep = false): string[] {
  const violations: string[] = [];
  const fail = (message: string): void => {
    if (violations.length < 100) violations.push(message);
  };
  // 1. Conservation of collateral. Σ UPnL over all positions is −Σ cost (mark-independent because
  // long and short open interest are equal), so this is "balances + UPnL + fund + fees = net deposits".
  let wallets = 0n;
  let costs = 0n;
  for (const account of ctx.accounts.values()) {
    wallets += account.crossWalletE8;
    for (const position of account.positions.values()) {
      wallets += position.isolatedWalletE8;
      costs += position.costE8;
      if ((position.sizeLots === 0) !== (position.costE8 === 0n)) {
        fail(`account ${account.accountId}: position size ${position.sizeLots} with cost ${position.costE8}`);
      }
    }
  }
  const held = wallets - costs + ctx.insuranceFundE8 + ctx.feePoolE8;
  const net = ctx.depositsE8 - ctx.withdrawalsE8;
  if (held !== net) fail(`conservation: balances+upnl+fund+fees=${held} but deposits-withdrawals=${net}`);
  if (ctx.insuranceFundE8 < 0n) fail(`insurance fund negative: ${ctx.insuranceFundE8}`);
  if (ctx.feePoolE8 < 0n) fail(`fee pool negative: ${ctx.feePoolE8}`);
  checkMarkets(ctx, fail, deep);
  checkOrders(ctx, fail);
  checkAccounts(ctx, fail);
  return violations;
}

function checkMarkets(ctx: EngineContext, fail: (message: string) => void, deep: boolean): void {
  for (const market of ctx.markets) {
    const symbol = market.instrument.symbol;
    let longs = 0;
    let shorts = 0;
    let open = 0;
    for (const account of ctx.accounts.values()) {
      const position = account.positions.get(market.marketIndex);
      if (position === undefined || position.sizeLots === 0) continue;
      open++;
      if (position.sizeLots > 0) longs += position.sizeLots;
      else shorts -= position.sizeLots;
      if (!position.open) fail(`${symbol}: open position of ${account.accountId} not indexed`);
    }
    if (longs !== shorts) fail(`${symbol}: long open interest ${longs} != short ${shorts}`);
    if (longs !== market.longOpenInterestLots || shorts !== market.shortOpenInterestLots) {
      fail(`${symbol}: open interest counters ${market.longOpenInterestLots}/${market.shortOpenInterestLots} != ${longs}/${shorts}`);
    }
    if (open !== market.openPositions.size) fail(`${symbol}: ${market.openPositions.size} indexed positions, ${open} open`);
    const bid = market.book.bestBid();
    const ask = market.book.bestAsk();
    if (bid !== -1 && ask !== -1 && bid >= ask) fail(`${symbol}: book crossed (bid ${bid} >= ask ${ask})`);
    try {
      if (deep) market.book.checkIntegrity();
      market.liquidations.checkIntegrity();
    } catch (error) {
      fail(`${symbol}: ${(error as Error).message}`);
    }
  }
}

function checkOrders(ctx: EngineContext, fail: (message: string) => void): void {
  const restingPerMarket = new Array<number>(ctx.markets.length).fill(0);
  for (const order of ctx.liveOrders.values()) {
    const market = ctx.markets[order.market]!;
    const account = ctx.accounts.get(order.accountId);
    if (account === undefined) fail(`order ${order.orderId}: no such account`);
    if (!order.live) fail(`order ${order.orderId}: in liveOrders without its live flag`);
    if (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED') fail(`order ${order.orderId}: live but ${order.status}`);
    const sizedAtTrigger = order.closePosition && !order.triggered;
    if (order.remainingLots <= 0 && !sizedAtTrigger) fail(`order ${order.orderId}: live with nothing remaining`);
    if (order.resting) {
      restingPerMarket[order.market]!++;
      const book = market.book;
      if (!book.has(order.orderId) || book.remainingLots(order.orderId) !== order.remainingLots ||
        book.priceOf(order.orderId) !== order.priceTicks || book.ownerOf(order.orderId) !== order.accountId ||
        book.sideOf(order.orderId) !== order.side) {
        fail(`order ${order.orderId}: book entry disagrees with the record`);
      }
    } else if (market.book.has(order.orderId)) {
      fail(`order ${order.orderId}: in the book but not resting`);
    }
  }
  // With checkAccounts (every listed order is live and names its account) this puts every live
  // order in its account's list exactly once.
  let listed = 0;
  for (const account of ctx.accounts.values()) listed += account.orders.size;
  if (listed !== ctx.liveOrders.size) fail(`account order lists hold ${listed} orders, ${ctx.liveOrders.size} live`);
  ctx.markets.forEach((market, index) => {
    if (market.book.size !== restingPerMarket[index]) {
      fail(`${market.instrument.symbol}: book holds ${market.book.size} orders, ${restingPerMarket[index]} resting records`);
    }
  });
}

function checkAccounts(ctx: EngineContext, fail: (message: string) => void): void {
  for (const account of ctx.accounts.values()) {
    const id = account.accountId;
    for (const position of account.positions.values()) {
      // Order-margin sums equal a recomputation from the resting orders.
      let buyQty = 0;
      let sellQty = 0;
      let buyCost = 0n;
      let sellCost = 0n;
      let open = 0;
      let algo = 0;
      for (const order of account.orders.values()) {
        if (order.market !== position.market) continue;
        if (order.conditional && !order.triggered) algo++;
        else open++;
        if (!order.resting || order.reduceOnly) continue;
        if (order.side === BUY) {
          buyQty += order.remainingLots;
          buyCost += order.marginCostE8;
        } else if (order.side === SELL) {
          sellQty += order.remainingLots;
          sellCost += order.marginCostE8;
        }
      }
      if (buyQty !== position.buyQtyLots || sellQty !== position.sellQtyLots || buyCost !== position.buyCostE8 ||
        sellCost !== position.sellCostE8 || orderMarginOf(position) !== position.orderMarginE8) {
        fail(`account ${id}: order-margin sums disagree with resting orders`);
      }
      if (open !== position.openOrderCount || algo !== position.algoOrderCount) fail(`account ${id}: order counts`);
      if (position.isolated && position.sizeLots !== 0) {
        const market = ctx.markets[position.market]!;
        const balance = position.isolatedWalletE8 + unrealizedPnlE8(market.instrument, position, market.markTicks);
        if (balance <= maintenanceMarginE8(market.instrument, position, market.markTicks)) {
          fail(`account ${id}: isolated ${market.instrument.symbol} below maintenance outside liquidation`);
        }
      }
      if (position.isolated && position.sizeLots === 0 && position.isolatedWalletE8 !== 0n) {
        fail(`account ${id}: flat isolated position keeps ${position.isolatedWalletE8}`);
      }
    }
    const totals = computeCross(ctx, account, ctx.scratch.auditTotals);
    if (totals.crossPositions > 0 && totals.marginBalanceE8 <= totals.maintenanceE8) {
      fail(`account ${id}: cross margin below maintenance outside liquidation`);
    }
    if (totals.marginBalanceE8 < 0n) fail(`account ${id}: negative cross margin balance ${totals.marginBalanceE8}`);
    if (totals.crossPositions === 0 && account.crossWalletE8 < 0n) fail(`account ${id}: negative free balance`);
    let reduceOnly = 0;
    for (const order of account.orders.values()) if (order.reduceOnly) reduceOnly++;
    if (reduceOnly !== account.reduceOnlyOrders) fail(`account ${id}: reduce-only order count`);
    const listed = account.orders.values();
    if (listed.length !== account.orders.size) fail(`account ${id}: order list length`);
    for (const order of listed) {
      if (ctx.liveOrders.get(order.orderId) !== order || order.accountId !== id) fail(`account ${id}: listed order not live`);
      if (liveOrderByClientId(ctx, account, order.clientOrderId) !== order) fail(`account ${id}: client id lookup`);
    }
    for (const [clientOrderId, order] of account.clientOrderIds) {
      if (ctx.liveOrders.get(order.orderId) !== order || order.accountId !== id || order.clientOrderId !== clientOrderId) {
        fail(`account ${id}: client id map`);
      }
    }
  }
}
