/**
 * @module api/extra/copy-routes
 * Copy trading's REST namespace `/perpx/v1/copy/…` (docs/api.md "Copy trading", docs/openapi/copy.yaml).
 * Lead portfolios and copy accounts are sub-accounts; the account a request acts on (`accountId`)
 * must be the caller's own: the key's account itself or one of its sub-accounts, so a master runs
 * its subs' copy trading without a key per sub, and a sub-account's own key still works. Anything
 * else is -1002 (the same answer whether or not the account exists). The engine then applies its
 * own rules (-9020..-9029) to the command, the same on replay.
 */
import {
  COPY_LIMITS, COPY_MODES, QUOTE_DECIMALS, type FollowerView, type LeadPortfolioView,
  type UnsequencedCommand,
} from '../../core/index.js';
import type { CommandOutcome } from '../../venue/venue.js';
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { averagePrice, money, qty } from '../format.js';
import type { Params } from '../params.js';
import { registerRoute, type RouteHost } from '../rest/route.js';
import { submit, throwIfRejected } from '../rest/submit.js';
import { noPortfolio, ownAccount, percent, PERCENT_DECIMALS } from './copy-access.js';
import type { CopyActivity, CopyActivityRow } from './copy-activity.js';
import { positionsJson, registerProfileRoutes } from './copy-profile-routes.js';

/** A follower slot setting above Bitget's largest table row is never reachable. */
const MAX_FOLLOWER_SLOTS = 500;
/** The portfolio list walks every follower of every portfolio. */
const LIST_WEIGHT = 10;
/** The activity answer scans the held copy events (copy-activity.ts). */
const ACTIVITY_WEIGHT = 5;
const ACTIVITY_DEFAULT_LIMIT = 50;
const ACTIVITY_MAX_LIMIT = 200;

/** A public portfolio row: leaderboard fields, without the master's account id. */
export function portfolioJson(view: LeadPortfolioView): Record<string, unknown> {
  return {
    accountId: view.accountId, profitShare: percent(view.profitShareBps), copyCap: money(view.copyCapE8),
    minCopy: money(view.minCopyE8), maxFollowers: view.maxFollowers, slots: view.slots, followers: view.followers,
    equity: money(view.equityE8), aum: money(view.followersEquityE8), followersPnl: money(view.followersPnlE8),
  };
}

export function followerJson(view: FollowerView): Record<string, unknown> {
  return {
    accountId: view.accountId, leadAccountId: view.leadAccountId, mode: view.mode, amount: money(view.amountE8),
    leverage: view.leverage, slippage: percent(view.slippageBps), stopLoss: percent(view.stopLossBps),
    invested: money(view.investedE8), sharedProfit: money(view.sharedE8), equity: money(view.equityE8),
    totalPnl: money(view.totalPnlE8),
  };
}

/** A percent parameter in basis points within [min, max] percent-bps (0 when absent). */
function percentBps(params: Params, name: string, minBps: number, maxBps: number): number {
  const bps = params.scaled(name, PERCENT_DECIMALS);
  if (bps === undefined) return 0;
  if (bps < BigInt(minBps) || bps > BigInt(maxBps)) throw E.illegalValue(name, `between ${percent(minBps)} and ${percent(maxBps)} percent`);
  return Number(bps);
}

/** Money leaving a copy account on a stop: the TRANSFER to its master and the profit share it paid. */
function stopFigures(outcome: CommandOutcome, accountId: number): { returned: string; profitShare: string } {
  let returned = 0n;
  let paid = 0n;
  for (const event of outcome.events) {
    if (event.type === 'BalanceChanged' && event.accountId === accountId && event.deltaE8 < 0n) {
      if (event.reason === 'TRANSFER') returned -= event.deltaE8;
      if (event.reason === 'PROFIT_SHARE') paid -= event.deltaE8;
    }
  }
  return { returned: money(returned), profitShare: money(paid) };
}

async function apply(ctx: ApiContext, command: UnsequencedCommand): Promise<CommandOutcome> {
  const outcome = await submit(ctx, command);
  throwIfRejected(outcome);
  return outcome;
}

function registerLeadRoutes(routes: RouteHost, ctx: ApiContext): void {
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/copy/portfolio'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId: callerId }) => {
      const accountId = ownAccount(ctx, callerId, params);
      const profitShareBps = percentBps(params, 'profitShare', 0, COPY_LIMITS.maxProfitShareBps);
      const copyCapE8 = params.scaled('copyCap', QUOTE_DECIMALS) ?? 0n;
      const minCopyE8 = params.scaled('minCopy', QUOTE_DECIMALS) ?? 0n;
      const maxFollowers = params.uint('maxFollowers', { min: 0, max: MAX_FOLLOWER_SLOTS }) ?? 0;
      await apply(ctx, { type: 'OpenLeadPortfolio', accountId, profitShareBps, copyCapE8, minCopyE8, maxFollowers });
      const view = ctx.engine.copyPortfolio(accountId);
      if (view === undefined) throw E.unknown();
      return portfolioJson(view);
    },
  });
  registerRoute(routes, ctx, {
    method: 'DELETE', paths: ['/perpx/v1/copy/portfolio'], security: 'TRADE', weight: 5,
    handler: async ({ params, accountId: callerId }) => {
      const accountId = ownAccount(ctx, callerId, params);
      const outcome = await apply(ctx, { type: 'CloseLeadPortfolio', accountId });
      const removed = outcome.events.filter((event) => event.type === 'FollowerChanged').map((event) => event.accountId);
      return { accountId, closed: true, removedFollowers: removed };
    },
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/copy/removeFollower'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId: callerId }) => {
      const leadAccountId = ownAccount(ctx, callerId, params);
      const followerAccountId = params.uint('followerAccountId', { required: true, min: 1 });
      const outcome = await apply(ctx, { type: 'RemoveFollower', leadAccountId, followerAccountId });
      return { accountId: followerAccountId, leadAccountId, status: 'REMOVED_BY_LEAD', ...stopFigures(outcome, followerAccountId) };
    },
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/copy/followers'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId: callerId }) => {
      const accountId = ownAccount(ctx, callerId, params);
      if (ctx.engine.copyPortfolio(accountId) === undefined) throw noPortfolio();
      return ctx.engine.copyFollowers(accountId).map(followerJson);
    },
  });
}

function registerFollowerRoutes(routes: RouteHost, ctx: ApiContext): void {
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/copy/follow'], security: 'TRADE', weight: 5,
    handler: async ({ params, accountId: callerId }) => {
      const accountId = ownAccount(ctx, callerId, params);
      const leadAccountId = params.uint('leadAccountId', { required: true, min: 1 });
      const mode = params.enumOf('mode', COPY_MODES, () => E.illegalValue('mode', 'FIXED_RATIO or FIXED_AMOUNT'), true);
      const amountE8 = params.scaled('amount', QUOTE_DECIMALS, { required: true })!;
      if (amountE8 <= 0n) throw E.illegalValue('amount', 'must be positive');
      const leverage = params.uint('leverage', { min: 0, max: COPY_LIMITS.maxFollowerLeverage }) ?? 0;
      const slippageBps = percentBps(params, 'slippage', COPY_LIMITS.minSlippageBps, COPY_LIMITS.maxSlippageBps);
      // A stop at 100 % of the investment would never fire before the account is empty.
      const stopLossBps = percentBps(params, 'stopLoss', 0, 9_999);
      const copyExisting = params.bool('copyExisting') ?? false;
      await apply(ctx, { type: 'Follow', accountId, leadAccountId, mode, amountE8, leverage, slippageBps, stopLossBps, copyExisting });
      const view = ctx.engine.copyFollower(accountId);
      if (view === undefined) throw E.unknown();
      return followerJson(view);
    },
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/copy/unfollow'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId: callerId }) => {
      const accountId = ownAccount(ctx, callerId, params);
      const leadAccountId = ctx.engine.copyFollower(accountId)?.leadAccountId ?? 0;
      const outcome = await apply(ctx, { type: 'Unfollow', accountId });
      return { accountId, leadAccountId, status: 'UNFOLLOWED', ...stopFigures(outcome, accountId) };
    },
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/copy/following'], security: 'USER_DATA', weight: 5,
    handler: ({ accountId }) => ctx.engine.copyFollowersUnder(accountId).map(followerJson),
  });
}

function registerPublicRoutes(routes: RouteHost, ctx: ApiContext): void {
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/copy/portfolios'], security: 'NONE', weight: LIST_WEIGHT,
    handler: () => ctx.engine.copyPortfolios().map(portfolioJson),
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/copy/portfolio'], security: 'NONE', weight: 1,
    handler: ({ params }) => {
      const view = ctx.engine.copyPortfolio(params.uint('accountId', { required: true, min: 1 }));
      if (view === undefined) throw noPortfolio();
      return portfolioJson(view);
    },
  });
}

function activityJson(ctx: ApiContext, row: CopyActivityRow): Record<string, unknown> {
  const event = row.event;
  const instrument = ctx.instruments.get(event.symbol)!;
  const common = { time: row.atMs, seq: row.seq, leadAccountId: event.leadAccountId, symbol: event.symbol, side: event.side,
    qty: qty(instrument, event.qtyLots), causeTradeId: event.causeTradeId };
  return event.type === 'CopyFill'
    ? { ...common, price: averagePrice(instrument, event.notionalE8, event.qtyLots), notional: money(event.notionalE8), fee: money(event.feeE8),
      realizedPnl: money(event.realizedPnlE8) }
    : { ...common, reason: event.reason };
}

/** A copy account's open positions and its recent copy fills and skipped copies (copy-activity.ts). */
function registerActivityRoute(routes: RouteHost, ctx: ApiContext, activity: CopyActivity): void {
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/copy/activity'], security: 'USER_DATA', weight: ACTIVITY_WEIGHT,
    handler: ({ params, accountId: callerId }) => {
      const accountId = ownAccount(ctx, callerId, params);
      const limit = params.uint('limit', { min: 1, max: ACTIVITY_MAX_LIMIT }) ?? ACTIVITY_DEFAULT_LIMIT;
      const rows = activity.recent(accountId, limit);
      return {
        accountId, leadAccountId: ctx.engine.copyFollower(accountId)?.leadAccountId ?? null, positions: positionsJson(ctx, accountId),
        fills: rows.filter((row) => row.event.type === 'CopyFill').map((row) => activityJson(ctx, row)),
        skipped: rows.filter((row) => row.event.type === 'CopySkipped').map((row) => activityJson(ctx, row)),
      };
    },
  });
}

export function registerCopyRoutes(routes: RouteHost, ctx: ApiContext, activity: CopyActivity): void {
  registerLeadRoutes(routes, ctx);
  registerFollowerRoutes(routes, ctx);
  registerActivityRoute(routes, ctx, activity);
  registerPublicRoutes(routes, ctx);
  registerProfileRoutes(routes, ctx);
}
