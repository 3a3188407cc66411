/**
 * @module api/extra/risk-routes
 * `GET /perpx/v1/admin/risk` (operator): the console's overview — insurance fund, per symbol mark,
 * index, open interest and funding, and the accounts nearest liquidation: every open position with
 * a liquidation price, sorted by the distance from the mark to it (exact, as a ratio truncated to
 * 1e-8), at most `limit` (≤ 200). Positions come from the engine's account views, so the scan is
 * bounded (MAX_SCANNED_ACCOUNTS) and its result cached for CACHE_MS; the answer says how many
 * accounts were scanned and whether the scan was cut.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { money, price, qty, rate } from '../format.js';
import { operatorRoute, queryInt } from './operator-route.js';

export const MAX_SCANNED_ACCOUNTS = 100_000;
export const CACHE_MS = 2_000;
const E8 = 100_000_000n;

interface AtRisk {
  readonly distanceE8: bigint;
  readonly row: Record<string, unknown>;
}

export function registerRiskRoutes(app: FastifyInstance, ctx: ApiContext): void {
  let cached: { atMs: number; seq: number; rows: AtRisk[]; scanned: number; truncated: boolean } | undefined;
  const scan = (): NonNullable<typeof cached> => {
    const nowMs = ctx.now();
    if (cached !== undefined && nowMs - cached.atMs < CACHE_MS && cached.seq === ctx.engine.lastSeq) return cached;
    const accounts = ctx.engine.ledger().accounts;
    const scanned = Math.min(accounts, MAX_SCANNED_ACCOUNTS);
    const rows: AtRisk[] = [];
    for (let accountId = 1; accountId <= scanned; accountId++) {
      const view = ctx.engine.accountView(accountId);
      if (view === undefined) continue;
      for (const position of view.positions) {
        if (position.sizeLots === 0 || position.liquidationPriceTicks === 0 || position.markTicks === 0) continue;
        const instrument = ctx.instruments.get(position.symbol)!;
        const gap = BigInt(position.sizeLots > 0 ? position.markTicks - position.liquidationPriceTicks
          : position.liquidationPriceTicks - position.markTicks);
        const distanceE8 = (gap * E8) / BigInt(position.markTicks);
        const maintenance = position.marginType === 'ISOLATED' ? position.maintenanceMarginE8 : view.crossMaintenanceMarginE8;
        const balance = position.marginType === 'ISOLATED' ? position.isolatedWalletE8 + position.unrealizedPnlE8 : view.crossMarginBalanceE8;
        rows.push({ distanceE8, row: {
          accountId, symbol: position.symbol, positionAmt: qty(instrument, position.sizeLots), marginType: position.marginType,
          leverage: position.leverage, markPrice: price(instrument, position.markTicks),
          liquidationPrice: price(instrument, position.liquidationPriceTicks), distance: money(distanceE8),
          notional: money(position.notionalE8), unrealizedProfit: money(position.unrealizedPnlE8),
          marginRatio: money(balance > 0n ? (maintenance * E8) / balance : E8),
        } });
      }
    }
    rows.sort((a, b) => (a.distanceE8 < b.distanceE8 ? -1 : a.distanceE8 > b.distanceE8 ? 1 : 0));
    cached = { atMs: nowMs, seq: ctx.engine.lastSeq, rows, scanned, truncated: accounts > scanned };
    return cached;
  };
  operatorRoute(app, ctx, 'GET', '/perpx/v1/admin/risk', 'operator', (request) => {
    const limit = queryInt(request, 'limit', 200) ?? 50;
    const result = scan();
    const ledger = ctx.engine.ledger();
    return {
      time: ctx.now(), seq: ctx.engine.lastSeq, insuranceFund: money(ledger.insuranceFundE8), accounts: ledger.accounts,
      openPositions: ledger.openPositions,
      symbols: [...ctx.market.symbols.values()].map((state) => {
        const instrument = state.instrument;
        const market = ctx.engine.market(instrument.symbol);
        return { symbol: instrument.symbol, markPrice: price(instrument, state.mark.markTicks), indexPrice: price(instrument, state.mark.indexTicks),
          openInterest: qty(instrument, market.longOpenInterestLots), fundingRate: rate(state.mark.estimatedFundingRateE8),
          nextFundingTime: state.mark.nextFundingMs };
      }),
      atRisk: result.rows.slice(0, limit).map((entry) => entry.row), scannedAccounts: result.scanned, truncated: result.truncated,
    };
  });
}
