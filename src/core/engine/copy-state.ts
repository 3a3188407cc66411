/**
 * @module engine/copy-state
 * Copy trading's state: lead portfolios, their followers, and the deferred copy work a command
 * leaves for its risk pass. A lead's fill only notes the change here (it is on the hot path of
 * every fill); the settle loop drains the notes once the lead's own order is done, so followers
 * copy the lead's whole order, not each of its fills. The work list is empty between commands.
 */
import { divFloor } from '../num/int.js';
import type { CopyModeName } from '../schema/enums.js';
import type { Account } from './state.js';

/** Venue limits of copy trading (Binance's where it publishes them; docs/MECHANICS.md "Copy trading"). */
export const COPY_LIMITS = {
  /** A lead portfolio opens with at least this equity (Binance: 500 USDT). */
  leadMinimumE8: 500n * 100_000_000n,
  /** The least a follower may invest unless the lead sets more (Binance: 10 USDT). */
  followMinimumE8: 10n * 100_000_000n,
  /** The most a follower may invest (Binance: 200,000 USDT). */
  followMaximumE8: 200_000n * 100_000_000n,
  /** Profit share ceiling (Binance: up to 30 %). */
  maxProfitShareBps: 3_000,
  /** Fixed leverage a follower may choose (Binance: 1x to 10x). */
  maxFollowerLeverage: 10,
  /** Open-slippage guard bounds and defaults (Binance: 0.5 % BTC/ETH, 1.5 % others). */
  minSlippageBps: 10,
  maxSlippageBps: 300,
  majorSlippageBps: 50,
  otherSlippageBps: 150,
  /** Settlement is skipped while the lead portfolio's unrealized PnL is at or below this (Binance: −20,000 USDT). */
  leadLossSkipE8: -20_000n * 100_000_000n,
  /** A week, and the Monday 00:00 UTC the weekly settlement is aligned to (1970-01-05 was a Monday). */
  weekMs: 7 * 86_400_000,
  firstMondayMs: 4 * 86_400_000,
} as const;

/** Symbols with the tighter default slippage guard. */
const MAJOR_SYMBOLS: ReadonlySet<string> = new Set(['BTCUSDT', 'ETHUSDT']);

export function defaultSlippageBps(symbol: string): number {
  return MAJOR_SYMBOLS.has(symbol) ? COPY_LIMITS.majorSlippageBps : COPY_LIMITS.otherSlippageBps;
}

/** Bitget's follower slots by the lead's futures assets (USDT): under 100 → 0, 1,000 → 100, 5,000 → 300, else 500. */
export function followerSlotsFor(equityE8: bigint): number {
  const usdt = 100_000_000n;
  if (equityE8 < 100n * usdt) return 0;
  if (equityE8 < 1_000n * usdt) return 100;
  if (equityE8 < 5_000n * usdt) return 300;
  return 500;
}

/** The first Monday 00:00 UTC strictly after `atMs`. */
export function nextSettlementMs(atMs: number): number {
  const weeks = divFloor(BigInt(atMs - COPY_LIMITS.firstMondayMs), BigInt(COPY_LIMITS.weekMs)) + 1n;
  return COPY_LIMITS.firstMondayMs + Number(weeks) * COPY_LIMITS.weekMs;
}

export class LeadPortfolio {
  /** Follower account ids, ascending (the canonical order of every walk over them). */
  readonly followerIds: number[] = [];

  constructor(
    readonly accountId: number,
    readonly profitShareBps: number,
    readonly copyCapE8: bigint,
    readonly minCopyE8: bigint,
    readonly maxFollowers: number,
  ) {}
}

export class Follower {
  /** Net investment: equity when it joined, then transfers in minus transfers out. */
  investedE8 = 0n;
  /** Profit share paid so far (Binance's SharedProfit). */
  sharedE8 = 0n;

  constructor(
    readonly accountId: number,
    readonly leadAccountId: number,
    readonly mode: CopyModeName,
    readonly amountE8: bigint,
    /** FIXED_RATIO's factor: amountE8 / the lead's equity when it joined. */
    readonly ratioDenE8: bigint,
    readonly leverage: number,
    readonly slippageBps: number,
    readonly stopLossBps: number,
  ) {}
}

/** A lead's position change in one market since the last drain: what followers will copy. */
export class CopyWork {
  leadLots = 0;
  leadNotionalE8 = 0n;

  constructor(
    readonly lead: LeadPortfolio,
    readonly market: number,
    readonly beforeLots: number,
    readonly causeTradeId: number,
  ) {}
}

export class CopyBook {
  readonly portfolios = new Map<number, LeadPortfolio>();
  readonly followers = new Map<number, Follower>();
  /** Deferred work of the current command (always empty between commands). */
  readonly pending: CopyWork[] = [];
  /** When the weekly settlement timer is due (0: none set). */
  settlementAtMs = 0;
}

/**
 * Notes a fill of a lead portfolio's account (positions.ts calls this for every fill of a lead with
 * followers). One entry per lead and market, holding the size before the first fill.
 */
export function noteLeadFill(
  pending: CopyWork[], lead: LeadPortfolio, market: number, beforeLots: number, signedLots: number, notionalE8: bigint,
  refId: number,
): void {
  let work: CopyWork | undefined;
  for (const entry of pending) {
    if (entry.lead === lead && entry.market === market) {
      work = entry;
      break;
    }
  }
  if (work === undefined) {
    work = new CopyWork(lead, market, beforeLots, refId);
    pending.push(work);
  }
  work.leadLots += signedLots < 0 ? -signedLots : signedLots;
  work.leadNotionalE8 += notionalE8;
}

/** Links an account to its copy role (used by the commands and by snapshot restore). */
export function linkLead(account: Account, portfolio: LeadPortfolio): void {
  account.copyLead = portfolio;
}

export function linkFollower(account: Account, follower: Follower): void {
  account.copyFollower = follower;
}
