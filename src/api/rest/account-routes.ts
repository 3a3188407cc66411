/**
 * @module api/rest/account-routes
 * Account and position endpoints: balance (v2/v3), account (v2/v3), positionRisk (v2/v3, with the
 * engine's liquidation price), leverage, marginType, positionMargin, leverageBracket,
 * positionSide/dual (one-way only), multiAssetsMargin, commissionRate and income. Balances and
 * positions are the engine's AccountView; income is the committed-event read model.
 */
import type { AccountView, Instrument, PositionRiskView } from '../../core/index.js';
import { QUOTE_DECIMALS } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { money, qty, rate } from '../format.js';
import { leverageBrackets } from './exchange-info.js';
import { optionalSymbol, symbolParam } from './market-routes.js';
import { openOrderNotionals } from '../read-models/position-figures.js';
import { isolatedMarginE8, positionRiskV2, positionRiskV3, type PositionExtras } from './render.js';
import { registerRoute, type RouteHost } from './route.js';
import { submit, throwIfRejected } from './submit.js';

const INCOME_TYPES = ['TRANSFER', 'REALIZED_PNL', 'FUNDING_FEE', 'COMMISSION', 'INSURANCE_CLEAR', 'INTERNAL_TRANSFER', 'PROFIT_SHARE'];

export function accountOf(ctx: ApiContext, accountId: number): AccountView {
  const view = ctx.engine.accountView(accountId);
  // A key whose account does not exist (should not happen) is treated like an unknown key.
  if (view === undefined) throw E.rejectedKey();
  return view;
}

function instrumentFor(ctx: ApiContext, symbol: string): Instrument {
  return ctx.instruments.get(symbol)!;
}

/** Every symbol, with a flat default row where the account has no position state yet. */
export function allPositions(ctx: ApiContext, view: AccountView): PositionRiskView[] {
  const bySymbol = new Map(view.positions.map((position) => [position.symbol, position]));
  return [...ctx.instruments.values()].map((instrument) => bySymbol.get(instrument.symbol) ?? flatPosition(ctx, view, instrument));
}

function flatPosition(ctx: ApiContext, view: AccountView, instrument: Instrument): PositionRiskView {
  const mark = ctx.market.get(instrument.symbol)?.mark.markTicks ?? 0;
  const maxNotional = instrument.brackets.filter((bracket) => bracket.maxLeverage >= instrument.defaultLeverage)
    .reduce((cap, bracket) => bracket.capE8, 0n);
  return {
    accountId: view.accountId, symbol: instrument.symbol, marginType: 'CROSSED', leverage: instrument.defaultLeverage,
    sizeLots: 0, costE8: 0n, entryPrice: undefined, markTicks: mark, notionalE8: 0n, unrealizedPnlE8: 0n,
    initialMarginE8: 0n, maintenanceMarginE8: 0n, isolatedWalletE8: 0n, realizedPnlE8: 0n, liquidationPrice: undefined,
    liquidationPriceTicks: 0, bankruptcyPriceTicks: 0, maxNotionalE8: maxNotional, bracket: 1, openOrderMarginE8: 0n,
    updatedAtMs: 0,
  };
}

function assetRow(view: AccountView, nowMs: number): Record<string, unknown> {
  return {
    asset: 'USDT',
    walletBalance: money(view.walletBalanceE8),
    unrealizedProfit: money(view.unrealizedPnlE8),
    marginBalance: money(view.marginBalanceE8),
    maintMargin: money(view.maintenanceMarginE8),
    initialMargin: money(view.positionInitialMarginE8 + view.orderInitialMarginE8),
    positionInitialMargin: money(view.positionInitialMarginE8),
    openOrderInitialMargin: money(view.orderInitialMarginE8),
    crossWalletBalance: money(view.crossWalletE8),
    crossUnPnl: money(view.crossUnrealizedPnlE8),
    availableBalance: money(view.availableE8),
    maxWithdrawAmount: money(view.withdrawableE8),
    marginAvailable: true,
    // ccxt skips assets whose updateTime is 0.
    updateTime: nowMs,
  };
}

function totals(view: AccountView): Record<string, unknown> {
  return {
    totalInitialMargin: money(view.positionInitialMarginE8 + view.orderInitialMarginE8),
    totalMaintMargin: money(view.maintenanceMarginE8),
    totalWalletBalance: money(view.walletBalanceE8),
    totalUnrealizedProfit: money(view.unrealizedPnlE8),
    totalMarginBalance: money(view.marginBalanceE8),
    totalPositionInitialMargin: money(view.positionInitialMarginE8),
    totalOpenOrderInitialMargin: money(view.orderInitialMarginE8),
    totalCrossWalletBalance: money(view.crossWalletE8),
    totalCrossUnPnl: money(view.crossUnrealizedPnlE8),
    availableBalance: money(view.availableE8),
    maxWithdrawAmount: money(view.withdrawableE8),
  };
}

/** Open-order notionals and ADL quantile of the caller's position in `instrument`. */
function extrasOf(ctx: ApiContext, accountId: number, instrument: Instrument): PositionExtras {
  return { ...openOrderNotionals(ctx.engine, accountId, instrument), adlQuantile: ctx.adl.quantile(instrument.symbol, accountId) };
}

function accountPositionV2(instrument: Instrument, position: PositionRiskView, extras: PositionExtras): Record<string, unknown> {
  return {
    symbol: position.symbol,
    initialMargin: money(position.initialMarginE8 + position.openOrderMarginE8),
    maintMargin: money(position.maintenanceMarginE8),
    unrealizedProfit: money(position.unrealizedPnlE8),
    positionInitialMargin: money(position.initialMarginE8),
    openOrderInitialMargin: money(position.openOrderMarginE8),
    leverage: String(position.leverage),
    isolated: position.marginType === 'ISOLATED',
    entryPrice: positionRiskV2(instrument, position)['entryPrice'],
    breakEvenPrice: positionRiskV2(instrument, position)['breakEvenPrice'],
    maxNotional: money(position.maxNotionalE8),
    bidNotional: money(extras.bidE8),
    askNotional: money(extras.askE8),
    positionSide: 'BOTH',
    positionAmt: qty(instrument, position.sizeLots),
    notional: money(position.notionalE8),
    isolatedWallet: money(position.isolatedWalletE8),
    updateTime: position.updatedAtMs,
  };
}

function accountPositionV3(instrument: Instrument, position: PositionRiskView): Record<string, unknown> {
  return {
    symbol: position.symbol,
    positionSide: 'BOTH',
    positionAmt: qty(instrument, position.sizeLots),
    unrealizedProfit: money(position.unrealizedPnlE8),
    isolatedMargin: money(isolatedMarginE8(position)),
    notional: money(position.notionalE8),
    isolatedWallet: money(position.isolatedWalletE8),
    initialMargin: money(position.initialMarginE8 + position.openOrderMarginE8),
    maintMargin: money(position.maintenanceMarginE8),
    updateTime: position.updatedAtMs,
  };
}

export function registerAccountRoutes(app: RouteHost, ctx: ApiContext): void {
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v2/balance', '/fapi/v3/balance'], security: 'USER_DATA', weight: 5,
    handler: ({ accountId, nowMs }) => {
      const view = accountOf(ctx, accountId);
      return [{
        accountAlias: `perpx${accountId}`, asset: 'USDT', balance: money(view.walletBalanceE8),
        crossWalletBalance: money(view.crossWalletE8), crossUnPnl: money(view.crossUnrealizedPnlE8),
        availableBalance: money(view.availableE8), maxWithdrawAmount: money(view.withdrawableE8), marginAvailable: true,
        updateTime: nowMs,
      }];
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v2/account'], security: 'USER_DATA', weight: 5,
    handler: ({ accountId, nowMs }) => {
      const view = accountOf(ctx, accountId);
      return {
        feeTier: 0, feeBurn: false, canTrade: true, canDeposit: true, canWithdraw: true, updateTime: 0,
        multiAssetsMargin: false, tradeGroupId: -1, ...totals(view), assets: [assetRow(view, nowMs)],
        positions: allPositions(ctx, view).map((position) => {
          const instrument = instrumentFor(ctx, position.symbol);
          return accountPositionV2(instrument, position, extrasOf(ctx, accountId, instrument));
        }),
      };
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v3/account'], security: 'USER_DATA', weight: 5,
    handler: ({ accountId, nowMs }) => {
      const view = accountOf(ctx, accountId);
      return {
        ...totals(view), assets: [assetRow(view, nowMs)],
        positions: view.positions.filter((position) => position.sizeLots !== 0)
          .map((position) => accountPositionV3(instrumentFor(ctx, position.symbol), position)),
      };
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v2/positionRisk'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId }) => {
      const only = optionalSymbol(ctx, params);
      return allPositions(ctx, accountOf(ctx, accountId))
        .filter((position) => only === undefined || position.symbol === only.symbol)
        .map((position) => positionRiskV2(instrumentFor(ctx, position.symbol), position));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v3/positionRisk'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId }) => {
      const only = optionalSymbol(ctx, params);
      return accountOf(ctx, accountId).positions
        .filter((position) => (position.sizeLots !== 0 || position.openOrderMarginE8 !== 0n) &&
          (only === undefined || position.symbol === only.symbol))
        .map((position) => {
          const instrument = instrumentFor(ctx, position.symbol);
          return positionRiskV3(instrument, position, extrasOf(ctx, accountId, instrument));
        });
    },
  });
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/leverage'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const leverage = params.uint('leverage', { required: true, min: 1, max: 125 });
      const outcome = await submit(ctx, { type: 'SetLeverage', accountId, symbol: instrument.symbol, leverage });
      throwIfRejected(outcome);
      const event = outcome.events.find((candidate) => candidate.type === 'LeverageChanged');
      const maxNotional = event?.type === 'LeverageChanged' ? event.maxNotionalE8 : 0n;
      return { leverage, maxNotionalValue: money(maxNotional), symbol: instrument.symbol };
    },
  });
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/marginType'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const marginType = params.enumOf('marginType', ['ISOLATED', 'CROSSED'] as const,
        () => E.illegalValue('marginType', 'ISOLATED or CROSSED'), true);
      const outcome = await submit(ctx, { type: 'SetMarginType', accountId, symbol: instrument.symbol, marginType });
      throwIfRejected(outcome);
      return { code: 200, msg: 'success' };
    },
  });
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/positionMargin'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const ps = params.optional('positionSide');
      if (ps !== undefined && ps !== 'BOTH') throw new ApiError(-4061, "Order's position side does not match user's setting.");
      const amountE8 = params.scaled('amount', QUOTE_DECIMALS, { required: true })!;
      const type = params.uint('type', { required: true, min: 1, max: 2 });
      if (amountE8 <= 0n) throw E.illegalValue('amount', 'must be positive');
      const outcome = await submit(ctx, {
        type: 'AdjustIsolatedMargin', accountId, symbol: instrument.symbol, amountE8: type === 1 ? amountE8 : -amountE8,
      });
      throwIfRejected(outcome);
      return { amount: Number(money(amountE8)), code: 200, msg: 'Successfully modify position margin.', type };
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/leverageBracket'], security: 'USER_DATA', weight: 1,
    handler: ({ params }) => {
      const only = optionalSymbol(ctx, params);
      if (only !== undefined) return leverageBrackets(only);
      return [...ctx.instruments.values()].map(leverageBrackets);
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/positionSide/dual'], security: 'USER_DATA', weight: 30,
    handler: () => ({ dualSidePosition: false }),
  });
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/positionSide/dual'], security: 'TRADE', weight: 1,
    handler: ({ params }) => {
      const dual = params.bool('dualSidePosition');
      if (dual === undefined) throw E.mandatory('dualSidePosition');
      if (dual) throw new ApiError(-4068, 'Hedge mode is not supported: perpx accounts are in one-way mode.');
      throw new ApiError(-4059, 'No need to change position side.');
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/multiAssetsMargin'], security: 'USER_DATA', weight: 30,
    handler: () => ({ multiAssetsMargin: false }),
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/commissionRate'], security: 'USER_DATA', weight: 20,
    handler: ({ params }) => {
      const instrument = symbolParam(ctx, params);
      return { symbol: instrument.symbol, makerCommissionRate: rate(instrument.makerFeeE8),
        takerCommissionRate: rate(instrument.takerFeeE8) };
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/income'], security: 'USER_DATA', weight: 30,
    handler: ({ params, accountId }) => {
      const instrument = optionalSymbol(ctx, params);
      const incomeType = params.optional('incomeType');
      if (incomeType !== undefined && !INCOME_TYPES.includes(incomeType)) throw E.illegalValue('incomeType');
      const limit = params.uint('limit', { min: 1, max: 1000 }) ?? 100;
      const page = params.uint('page', { min: 1, max: 1_000_000 });
      const startTime = params.uint('startTime');
      const endTime = params.uint('endTime');
      return ctx.store.income(accountId, {
        limit, ...(instrument === undefined ? {} : { symbol: instrument.symbol }),
        ...(incomeType === undefined ? {} : { incomeType }), ...(page === undefined ? {} : { page }),
        ...(startTime === undefined ? {} : { startTime }), ...(endTime === undefined ? {} : { endTime }),
      }).map((row) => ({
        symbol: row.symbol, incomeType: row.incomeType, income: money(row.amountE8), asset: 'USDT', info: row.incomeType,
        time: row.timeMs, tranId: row.tranId, tradeId: row.tradeId,
      }));
    },
  });
}

