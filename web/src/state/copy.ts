/**
 * Copy trading's answers as the UI reads them (docs/api.md "Copy trading", docs/openapi/copy.yaml),
 * and the calls. Every figure stays the API's decimal string; the pages only format it.
 */
import { get, send } from '../feed/http.js';

export const LEADERBOARD_SORTS = ['roi30', 'pnl30', 'drawdown', 'aum', 'copierPnl'] as const;
export type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number];

export interface LeaderboardRow {
  rank: number; accountId: number; roi30: string | null; pnl30: string; maxDrawdown: string; aum: string; followersPnl: string;
  followers: number; slots: number; full: boolean; profitShare: string;
}

export interface LeadPosition {
  symbol: string; positionAmt: string; entryPrice: string; markPrice: string; liquidationPrice: string; leverage: number; marginType: string;
}

export type Windows = Record<'7d' | '30d' | '90d' | 'all', string | null>;

export interface Profile {
  accountId: number; asOf: number; profitShare: string; equity: string; pnl: Windows; roi: Windows; maxDrawdown: string;
  sharpe: string | null; winRate: string | null; closingTrades: number; winningTrades: number; aum: string; followers: number;
  slots: number; full: boolean; followersPnl: string; liveSharing: boolean; positions: LeadPosition[] | null;
  performance: { time: number; equity: string; return: string }[]; warning: string;
}

export interface Portfolio {
  accountId: number; profitShare: string; copyCap: string; minCopy: string; maxFollowers: number; slots: number; followers: number;
  equity: string; aum: string; followersPnl: string;
}

export interface Follower {
  accountId: number; leadAccountId: number; mode: 'FIXED_RATIO' | 'FIXED_AMOUNT'; amount: string; leverage: number; slippage: string;
  stopLoss: string; invested: string; sharedProfit: string; equity: string; totalPnl: string;
}

interface ActivityCommon { time: number; seq: number; leadAccountId: number; symbol: string; side: string; qty: string; causeTradeId: number }
export interface CopyFill extends ActivityCommon { price: string; notional: string; fee: string; realizedPnl: string }
export interface CopySkip extends ActivityCommon { reason: string }
export interface Activity { accountId: number; leadAccountId: number | null; positions: LeadPosition[]; fills: CopyFill[]; skipped: CopySkip[] }

export interface StopAnswer { accountId: number; leadAccountId: number; status: string; returned: string; profitShare: string }

/** What each skip reason means, in words a follower reads (the engine's COPY_SKIP_REASONS). */
export const SKIP_REASONS: Readonly<Record<string, string>> = {
  ROUNDED_TO_ZERO: 'your share was below one lot',
  MIN_NOTIONAL: 'your share was below the minimum order value',
  SLIPPAGE: 'the price moved beyond your slippage guard',
  INSUFFICIENT_MARGIN: 'not enough margin in the copy account',
  POLICY: 'a venue policy refused it',
  BOOK_DEPTH: 'the order book was too thin',
  BEYOND_BANKRUPTCY: 'the fill would have been beyond your bankruptcy price',
};

export const copyApi = {
  leaderboard: (sort: LeaderboardSort, hideFull: boolean) => get<LeaderboardRow[]>('/perpx/v1/copy/leaderboard', { sort, hideFull, limit: 100 }),
  profile: (accountId: number) => get<Profile>('/perpx/v1/copy/profile', { accountId }),
  portfolio: (accountId: number) => get<Portfolio>('/perpx/v1/copy/portfolio', { accountId }),
  following: () => get<Follower[]>('/perpx/v1/copy/following'),
  followers: (accountId: number) => get<Follower[]>('/perpx/v1/copy/followers', { accountId }),
  activity: (accountId: number) => get<Activity>('/perpx/v1/copy/activity', { accountId }),
  follow: (params: Record<string, string | number | boolean>) => send<Follower>('POST', '/perpx/v1/copy/follow', params),
  unfollow: (accountId: number) => send<StopAnswer>('POST', '/perpx/v1/copy/unfollow', { accountId }),
  open: (params: Record<string, string | number>) => send<Portfolio>('POST', '/perpx/v1/copy/portfolio', params),
  close: (accountId: number) => send<{ accountId: number; closed: boolean; removedFollowers: number[] }>('DELETE', '/perpx/v1/copy/portfolio', { accountId }),
  removeFollower: (accountId: number, followerAccountId: number) =>
    send<StopAnswer>('POST', '/perpx/v1/copy/removeFollower', { accountId, followerAccountId }),
  share: (accountId: number, live: boolean) => send<{ accountId: number; liveSharing: boolean }>('POST', '/perpx/v1/copy/sharing', { accountId, live }),
};
