/**
 * @module api/extra/copy-profile-routes
 * Public lead profiles and the leaderboard under `/perpx/v1/copy/…`, and the lead's opt-in to live
 * sharing (docs/api.md "Lead profiles", docs/openapi/copy.yaml). Figures are lead-profile.ts's;
 * current positions (entry and liquidation prices) appear only while the lead shares them.
 */
import type { Instrument, LeadPortfolioView } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { fractionPrice, money, price, signedQty } from '../format.js';
import { registerRoute, type RouteHost } from '../rest/route.js';
import { noPortfolio, ownAccount, percent } from './copy-access.js';
import { LeadProfiles, PAST_PERFORMANCE_WARNING, type LeadFigures } from './lead-profile.js';

/** Sharpe is shown with this many decimals. */
const SHARPE_DECIMALS = 2;
const LEADERBOARD_DEFAULT_LIMIT = 20;
const LEADERBOARD_MAX_LIMIT = 100;
/** The leaderboard computes every open portfolio's figures. */
const LEADERBOARD_WEIGHT = 20;
const PROFILE_WEIGHT = 5;

export const LEADERBOARD_SORTS = ['roi30', 'pnl30', 'drawdown', 'aum', 'copierPnl'] as const;
type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number];

function percentOrNull(bps: bigint | undefined): string | null {
  return bps === undefined ? null : percent(Number(bps));
}

function isFull(view: LeadPortfolioView): boolean {
  return view.followers >= view.slots;
}

function windowJson(figures: LeadFigures, pick: 'pnl' | 'roi'): Record<string, string | null> {
  return Object.fromEntries([...figures.windows].map(([name, window]) =>
    [name, pick === 'pnl' ? money(window.pnlE8) : percentOrNull(window.roiBps)]));
}

/** The lead's open positions, as a follower needs them: size, entry, mark and liquidation prices. */
export function positionsJson(ctx: ApiContext, accountId: number): Record<string, unknown>[] {
  const view = ctx.engine.accountView(accountId);
  if (view === undefined) return [];
  return view.positions.filter((position) => position.sizeLots !== 0).map((position) => {
    const instrument: Instrument = ctx.instruments.get(position.symbol)!;
    return {
      symbol: position.symbol, positionAmt: signedQty(instrument, position.sizeLots),
      entryPrice: fractionPrice(instrument, position.entryPrice), markPrice: price(instrument, position.markTicks),
      liquidationPrice: fractionPrice(instrument, position.liquidationPrice), leverage: position.leverage,
      marginType: position.marginType,
    };
  });
}

function profileJson(ctx: ApiContext, figures: LeadFigures): Record<string, unknown> {
  const view = figures.view;
  const sharing = ctx.copySharing.isSharing(view.accountId);
  return {
    accountId: view.accountId, asOf: figures.asOfMs, profitShare: percent(view.profitShareBps), equity: money(view.equityE8),
    pnl: windowJson(figures, 'pnl'), roi: windowJson(figures, 'roi'),
    maxDrawdown: percent(Number(figures.maxDrawdownBps)),
    sharpe: figures.sharpe === undefined ? null : figures.sharpe.toFixed(SHARPE_DECIMALS),
    winRate: percentOrNull(figures.winRateBps), closingTrades: figures.closes, winningTrades: figures.wins,
    aum: money(view.followersEquityE8), followers: view.followers, slots: view.slots, full: isFull(view),
    followersPnl: money(view.followersPnlE8), liveSharing: sharing,
    positions: sharing ? positionsJson(ctx, view.accountId) : null,
    performance: figures.curve.map((point) => ({ time: point.atMs, equity: money(point.equityE8), return: percent(Number(point.returnBps)) })),
    warning: PAST_PERFORMANCE_WARNING,
  };
}

/** Sort key (higher ranks first; drawdown: lower first). Portfolios without an ROI rank after those with one. */
function compareBy(sort: LeaderboardSort): (a: LeadFigures, b: LeadFigures) => number {
  const cmp = (x: bigint, y: bigint): number => (x > y ? -1 : x < y ? 1 : 0);
  const key = (figures: LeadFigures): bigint | undefined => {
    switch (sort) {
      case 'roi30': return figures.windows.get('30d')!.roiBps;
      case 'pnl30': return figures.windows.get('30d')!.pnlE8;
      case 'drawdown': return -figures.maxDrawdownBps;
      case 'aum': return figures.view.followersEquityE8;
      case 'copierPnl': return figures.view.followersPnlE8;
    }
  };
  return (a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
    } else if (x !== y) {
      return cmp(x, y);
    }
    return a.view.accountId - b.view.accountId;
  };
}

export function registerProfileRoutes(routes: RouteHost, ctx: ApiContext): void {
  const profiles = new LeadProfiles(ctx);
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/copy/profile'], security: 'NONE', weight: PROFILE_WEIGHT,
    handler: ({ params }) => {
      const view = ctx.engine.copyPortfolio(params.uint('accountId', { required: true, min: 1 }));
      if (view === undefined) throw noPortfolio();
      return profileJson(ctx, profiles.figures(view));
    },
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/copy/leaderboard'], security: 'NONE', weight: LEADERBOARD_WEIGHT,
    handler: ({ params }) => {
      const sort = params.enumOf('sort', LEADERBOARD_SORTS, () => E.illegalValue('sort', LEADERBOARD_SORTS.join(', '))) ?? 'roi30';
      const hideFull = params.bool('hideFull') ?? false;
      const limit = params.uint('limit', { min: 1, max: LEADERBOARD_MAX_LIMIT }) ?? LEADERBOARD_DEFAULT_LIMIT;
      profiles.prune((accountId) => ctx.engine.isLeadPortfolio(accountId));
      const rows = ctx.engine.copyPortfolios().filter((view) => !hideFull || !isFull(view))
        .map((view) => profiles.figures(view)).sort(compareBy(sort)).slice(0, limit);
      return rows.map((figures, index) => {
        const view = figures.view;
        const month = figures.windows.get('30d')!;
        return {
          rank: index + 1, accountId: view.accountId, roi30: percentOrNull(month.roiBps), pnl30: money(month.pnlE8),
          maxDrawdown: percent(Number(figures.maxDrawdownBps)), aum: money(view.followersEquityE8),
          followersPnl: money(view.followersPnlE8), followers: view.followers, slots: view.slots, full: isFull(view),
          profitShare: percent(view.profitShareBps),
        };
      });
    },
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/copy/sharing'], security: 'TRADE', weight: 1,
    handler: ({ params, accountId: callerId }) => {
      const accountId = ownAccount(ctx, callerId, params);
      const live = params.bool('live');
      if (live === undefined) throw E.mandatory('live');
      if (!ctx.engine.isLeadPortfolio(accountId)) throw noPortfolio();
      ctx.copySharing.set(accountId, live);
      return { accountId, liveSharing: live };
    },
  });
}
