/**
 * @module engine/adl
 * Whom auto-deleveraging closes against, by the instrument's ADL policy (docs/MECHANICS.md "ADL
 * policies"). The price (the bankruptcy price) and the lots (what the book did not take) are the
 * liquidation's; a policy only chooses the counterparties and how many lots each gives:
 * - BINANCE: queue by PnL% × margin ratio (highest first);
 * - HYPERLIQUID: queue by (mark / entry for a long, entry / mark for a short) × notional /
 *   account value (highest first; 0 when the account value is not positive);
 * - MIN_OVERSHOOT: profitable positions first, least unrealized profit per lot first (closing the
 *   lots that carry the least profit closes the least profit: the smallest overshoot of the
 *   deficit), then the others;
 * - PRO_RATA: not a queue; every opposite position gives its share of the lots by size (largest
 *   remainder).
 * Queues break ties by account id, are built once per command and side, and are walked with a
 * cursor taking whole positions (an engine choice the reference engine shares).
 */
import { QUOTE_ONE } from '../instrument/units.js';
import type { EngineContext } from './context.js';
import { allocateProRata } from './copy-math.js';
import { adlScore, compareAdlScores, maintenanceMarginE8, unrealizedPnlE8, type AdlScore } from './margin.js';
import { computeCross } from './metrics.js';
import type { Market, Position } from './state.js';

const ZERO_SCORE: AdlScore = { num: 0n, den: 1n };

/** Opposite positions (queue 1: shorts, 0: longs) in the order the instrument's policy closes them. */
export function adlQueue(ctx: EngineContext, market: Market, queueIndex: 0 | 1): Position[] {
  const cached = market.adlQueues[queueIndex];
  if (cached !== undefined) return cached;
  const ranked: { position: Position; score: AdlScore }[] = [];
  for (const position of market.openPositions.values()) {
    if (queueIndex === 1 ? position.sizeLots >= 0 : position.sizeLots <= 0) continue;
    ranked.push({ position, score: scoreOf(ctx, position) });
  }
  // Every policy's score ranks highest first; MIN_OVERSHOOT's score is inverted to fit.
  ranked.sort((a, b) => compareAdlScores(b.score, a.score) || a.position.accountId - b.position.accountId);
  const queue = ranked.map((entry) => entry.position);
  market.adlQueues[queueIndex] = queue;
  market.adlCursors[queueIndex] = 0;
  return queue;
}

/**
 * PRO_RATA: the lots each opposite position gives, in account-id order, summing to `lots`. Open
 * interest guarantees the opposite side holds at least `lots`, so no share exceeds its position.
 */
export function proRataTakes(market: Market, queueIndex: 0 | 1, lots: number): { position: Position; lots: number }[] {
  const positions: Position[] = [];
  for (const position of market.openPositions.values()) {
    if (queueIndex === 1 ? position.sizeLots < 0 : position.sizeLots > 0) positions.push(position);
  }
  positions.sort((a, b) => a.accountId - b.accountId);
  const shares = allocateProRata(BigInt(lots), positions.map((position) => BigInt(Math.abs(position.sizeLots))));
  const takes: { position: Position; lots: number }[] = [];
  positions.forEach((position, index) => {
    const share = Number(shares[index]!);
    if (share > 0) takes.push({ position, lots: share });
  });
  return takes;
}

function scoreOf(ctx: EngineContext, position: Position): AdlScore {
  const market = ctx.markets[position.market]!;
  const instrument = market.instrument;
  const upnl = unrealizedPnlE8(instrument, position, market.markTicks);
  switch (instrument.adlPolicy) {
    case 'BINANCE': return binanceScore(ctx, position, upnl);
    case 'HYPERLIQUID': return hyperliquidScore(ctx, position, upnl);
    case 'MIN_OVERSHOOT': return minOvershootScore(position, upnl);
    case 'PRO_RATA': return ZERO_SCORE;
  }
}

function binanceScore(ctx: EngineContext, position: Position, upnl: bigint): AdlScore {
  const market = ctx.markets[position.market]!;
  if (position.isolated) {
    return adlScore(upnl, position.isolatedWalletE8, maintenanceMarginE8(market.instrument, position, market.markTicks),
      position.isolatedWalletE8 + upnl, QUOTE_ONE);
  }
  const totals = computeCross(ctx, ctx.account(position.accountId), ctx.scratch.adlTotals);
  return adlScore(upnl, totals.walletE8, totals.maintenanceE8, totals.marginBalanceE8, QUOTE_ONE);
}

/**
 * (price ratio in the profit direction) × notional / account value. With N the notional at mark
 * and C the entry notional (the magnitude of the position's signed cost): a long's mark / entry is N / C, a short's
 * entry / mark is C / N, so the score is N² / (C·V) for a long and C / V for a short.
 */
function hyperliquidScore(ctx: EngineContext, position: Position, upnl: bigint): AdlScore {
  const market = ctx.markets[position.market]!;
  const value = position.isolated ? position.isolatedWalletE8 + upnl
    : computeCross(ctx, ctx.account(position.accountId), ctx.scratch.adlTotals).marginBalanceE8;
  if (value <= 0n) return ZERO_SCORE;
  const lots = BigInt(position.sizeLots < 0 ? -position.sizeLots : position.sizeLots);
  const notional = lots * BigInt(market.markTicks) * market.instrument.quotePerTickLotE8;
  const entryNotional = position.costE8 < 0n ? -position.costE8 : position.costE8;
  return position.sizeLots > 0
    ? { num: notional * notional, den: entryNotional * value }
    : { num: entryNotional, den: value };
}

/**
 * Least profit per lot first among the profitable, as a highest-first score: a profitable
 * position scores |size| / upnl (lots per unit of profit) plus one, so every profitable one ranks
 * above every other, which scores 0.
 */
function minOvershootScore(position: Position, upnl: bigint): AdlScore {
  if (upnl <= 0n) return ZERO_SCORE;
  const lots = BigInt(position.sizeLots < 0 ? -position.sizeLots : position.sizeLots);
  return { num: lots + upnl, den: upnl };
}
