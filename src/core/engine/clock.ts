/**
 * @module engine/clock
 * Time-driven work, run at the start of every command for every instant the clock passes:
 * premium-index samples (every premiumSampleMs), mark-price samples (every mark cadence) and
 * funding settlements (interval boundaries, e.g. 00:00/08:00/16:00 UTC). Instants are processed in
 * time order across markets (premium, then mark, then funding at the same instant), always against
 * the state as it was before the command, so a replay at any speed gives the same result.
 *
 * Mark price (§1.4): median(P1, P2, last) where P1 = index × (1 + lastFundingRate × τ / interval),
 * P2 = index + moving average of basis (mid − index, one sample per cadence, basisSamples points),
 * last = last trade price (index when nothing traded). lastFundingRate is the rate of the last
 * settlement (the interest rate before the first). Rounded half away from zero to a tick.
 *
 * Funding (§1.5): premium P_i = [max(0, impactBid − index) − max(0, index − impactAsk)] / index,
 * impact prices from a market order of impactMargin / IMR(max leverage) notional (a side without
 * that much depth contributes 0); time-weighted P = Σ i·P_i / Σ i; F = P + clamp(I − P, ±clamp),
 * scaled by intervalHours / 8, capped, truncated toward zero to 1e-8. Payment = size × mark × F:
 * payers round up, receivers round down, and the residue goes to the insurance fund, so the
 * accounts' sum plus the residue is exactly zero.
 */
import { assert } from '../assert.js';
import { BUY, SELL, type Side } from '../book/types.js';
import { RATE_ONE } from '../instrument/units.js';
import { divCeil, divFloor, divFloorInt, divTrunc } from '../num/int.js';
import type { EngineContext } from './context.js';
import { settle } from './settle.js';
import { touchSponsoredHolders } from './sponsor.js';
import { fireNextTimer, nextTimerMs } from './timers.js';
import { processTriggers } from './triggers.js';
import type { Market } from './state.js';

/** Premium samples are kept at 1e-12 so the average loses nothing before the final rounding. */
const PREMIUM_ONE = 1_000_000_000_000n;
const PREMIUM_PER_RATE = PREMIUM_ONE / RATE_ONE;

const KIND_PREMIUM = 0;
const KIND_MARK = 1;

/** Runs every due instant up to and including `atMs`. */
export function advanceClock(ctx: EngineContext, atMs: number): void {
  // Most commands arrive between instants; the cached earliest due instant answers them at once.
  if (atMs < ctx.earliestDueMs) return;
  skipStaleSamples(ctx, atMs);
  // Bound: each instant moves one schedule forward by at least its period (≥ 100 ms); each timer fires once.
  const maxInstants = ctx.markets.length * 3 * (divFloorInt(atMs - ctx.clockMs, 100) + 2) + ctx.timers.length;
  for (let instant = 0; ; instant++) {
    assert(instant <= maxInstants, 'clock advances a bounded number of instants');
    let dueMs = Number.MAX_SAFE_INTEGER;
    let dueKind = -1;
    let dueMarket: Market | undefined;
    for (const market of ctx.markets) {
      if (market.nextMarkMs === 0) continue;
      // Strict < keeps the order premium, mark, funding at equal instants, then market order.
      for (let kind = 0; kind < 3; kind++) {
        const at = kind === KIND_PREMIUM ? market.nextPremiumMs : kind === KIND_MARK ? market.nextMarkMs
          : market.nextFundingMs;
        if (at < dueMs) {
          dueMs = at;
          dueKind = kind;
          dueMarket = market;
        }
      }
    }
    const timerMs = nextTimerMs(ctx);
    if (timerMs < dueMs && timerMs <= atMs) {
      // Rules read the clock (policy.ts): inside the catch-up it is the instant being processed.
      ctx.clockMs = timerMs;
      fireNextTimer(ctx);
      settle(ctx, timerMs);
      continue;
    }
    if (dueMarket === undefined || dueMs > atMs) {
      ctx.earliestDueMs = timerMs < dueMs ? timerMs : dueMs;
      return;
    }
    ctx.clockMs = dueMs;
    if (dueKind === KIND_PREMIUM) {
      const oldestMs = atMs - ctx.limits.maxSampleCatchUpMs;
      if (dueMs < oldestMs) samplePremiumRun(ctx, dueMarket, dueMs, oldestMs - 1);
      else samplePremium(dueMarket, dueMs);
    } else if (dueKind === KIND_MARK) sampleMark(ctx, dueMarket, dueMs);
    else settleFunding(ctx, dueMarket, dueMs);
    settle(ctx, dueMs);
  }
}

/**
 * Moves the mark schedules past instants older than the catch-up window (see EngineLimits): after
 * downtime the mark stays as it was until the window starts, so the first command after a long gap
 * costs at most a window of mark samples. Premium samples are not skipped: see samplePremiumRun.
 */
function skipStaleSamples(ctx: EngineContext, atMs: number): void {
  const oldestMs = atMs - ctx.limits.maxSampleCatchUpMs;
  for (const market of ctx.markets) {
    if (market.nextMarkMs === 0) continue;
    if (market.nextMarkMs < oldestMs) market.nextMarkMs = nextMultiple(oldestMs - 1, market.instrument.markCadenceMs);
  }
}

/** First index price: the mark starts at the index and the schedules begin. */
export function startMarket(ctx: EngineContext, market: Market, atMs: number): void {
  const instrument = market.instrument;
  market.markTicks = market.indexTicks;
  market.nextMarkMs = nextMultiple(atMs, instrument.markCadenceMs);
  market.nextPremiumMs = nextMultiple(atMs, instrument.premiumSampleMs);
  market.nextFundingMs = nextMultiple(atMs, instrument.fundingIntervalMs);
  ctx.earliestDueMs = 0;
  emitMark(ctx, market, atMs);
}

function nextMultiple(atMs: number, periodMs: number): number {
  return atMs - (atMs % periodMs) + periodMs;
}

function emitMark(ctx: EngineContext, market: Market, atMs: number): void {
  ctx.log.markPriceUpdated(market.marketIndex, atMs, market.markTicks, market.indexTicks, estimatedFundingRateE8(market),
    market.lastFundingRateE8, market.nextFundingMs);
}

// ---- Mark price ---------------------------------------------------------------------------------

function sampleMark(ctx: EngineContext, market: Market, atMs: number): void {
  const instrument = market.instrument;
  market.nextMarkMs = atMs + instrument.markCadenceMs;
  const bid = market.book.bestBid();
  const ask = market.book.bestAsk();
  const basisHalfTicks = bid !== -1 && ask !== -1 ? bid + ask - 2 * market.indexTicks : 0;
  const ring = market.basisRing;
  if (market.basisCount === ring.length) market.basisSumHalfTicks -= ring[market.basisCursor]!;
  else market.basisCount++;
  ring[market.basisCursor] = basisHalfTicks;
  market.basisSumHalfTicks += basisHalfTicks;
  market.basisCursor = (market.basisCursor + 1) % ring.length;
  const mark = computeMarkTicks(market, atMs);
  if (mark === market.markTicks) {
    // A sponsored account still closing out retries at every sample (the book may have refilled).
    if (ctx.sponsor.closingCount > 0) touchSponsoredHolders(ctx, market, false);
    return;
  }
  market.markTicks = mark;
  emitMark(ctx, market, atMs);
  processTriggers(ctx, market, true, atMs);
  checkAtRisk(ctx, market);
  if (ctx.sponsor.accountIds.length > 0) touchSponsoredHolders(ctx, market, true);
}

/** Exact median of the three §1.4 prices, rounded half away from zero to a tick. */
export function computeMarkTicks(market: Market, atMs: number): number {
  const instrument = market.instrument;
  const index = BigInt(market.indexTicks);
  const intervalMs = BigInt(instrument.fundingIntervalMs);
  const untilFundingMs = BigInt(market.nextFundingMs - atMs);
  assert(untilFundingMs >= 0n, 'mark is sampled before the next funding');
  // Common denominator D = 2 × count × RATE_ONE × interval for all three prices.
  const count = BigInt(market.basisCount > 0 ? market.basisCount : 1);
  const denominator = 2n * count * RATE_ONE * intervalMs;
  const price1 = index * (RATE_ONE * intervalMs + market.lastFundingRateE8 * untilFundingMs) * 2n * count;
  const price2 = (index * 2n * count + BigInt(market.basisSumHalfTicks)) * RATE_ONE * intervalMs;
  const last = market.lastTicks > 0 ? BigInt(market.lastTicks) : index;
  const price3 = last * denominator;
  const median = medianOf(price1, price2, price3);
  return Number(divFloor(median * 2n + denominator, denominator * 2n));
}

function medianOf(a: bigint, b: bigint, c: bigint): bigint {
  if (a > b) [a, b] = [b, a];
  if (b > c) b = c;
  return a > b ? a : b;
}

/**
 * The positions whose index key the new mark crossed are touched, in account-id order (so the
 * order of events does not depend on index internals); the risk pass that follows every clock
 * instant re-files each under a fresh key and checks it exactly, liquidating where due.
 */
function checkAtRisk(ctx: EngineContext, market: Market): void {
  const found = market.liquidations.collectAccountsAtRisk(market.markTicks);
  if (found.length === 0) return;
  // One market holds one position per account, so the ids are distinct. Copied: touching accounts
  // runs nothing that walks the index again, but the buffer is the index's to reuse.
  const ids = found.slice().sort();
  for (let i = 0; i < ids.length; i++) ctx.touch(ctx.account(ids[i]!));
}

// ---- Premium index and funding -----------------------------------------------------------------

function samplePremium(market: Market, atMs: number): void {
  const instrument = market.instrument;
  market.nextPremiumMs = atMs + instrument.premiumSampleMs;
  const intervalStart = market.nextFundingMs - instrument.fundingIntervalMs;
  const weight = BigInt(divFloorInt(atMs - intervalStart, instrument.premiumSampleMs));
  if (weight <= 0n) return;
  const premium = premiumSample(market);
  market.premiumWeightedSum += weight * premium;
  market.premiumWeightSum += weight;
}

/**
 * The premium samples of a quiet stretch older than the catch-up window, from `firstMs` up to
 * `lastMs` at most, in closed form. Nothing runs in such a stretch but premium samples and funding
 * settlements (mark samples there are skipped), so the book and index, and with them every sample,
 * are those of the stretch's start; the weights are consecutive integers. The run stops before any
 * funding settlement that the instant loop would order first (its own market's at the same instant
 * comes after the sample; an earlier-listed market's comes before), so settlements see exactly the
 * sums that one-by-one sampling would give them.
 */
function samplePremiumRun(ctx: EngineContext, market: Market, firstMs: number, lastMs: number): void {
  let endMs = lastMs < market.nextFundingMs ? lastMs : market.nextFundingMs;
  for (const other of ctx.markets) {
    if (other === market || other.nextMarkMs === 0) continue;
    const limit = other.marketIndex < market.marketIndex ? other.nextFundingMs - 1 : other.nextFundingMs;
    if (limit < endMs) endMs = limit;
  }
  const instrument = market.instrument;
  const periodMs = instrument.premiumSampleMs;
  assert(endMs >= firstMs, 'a premium run holds the due sample');
  const samples = divFloorInt(endMs - firstMs, periodMs) + 1;
  market.nextPremiumMs = firstMs + samples * periodMs;
  const intervalStart = market.nextFundingMs - instrument.fundingIntervalMs;
  const firstWeight = divFloorInt(firstMs - intervalStart, periodMs);
  const lastWeight = firstWeight + samples - 1;
  // A weight of 0 (the interval's first instant) is not a sample, as in samplePremium.
  const fromWeight = firstWeight < 1 ? 1 : firstWeight;
  if (lastWeight < fromWeight) return;
  const counted = lastWeight - fromWeight + 1;
  const weightSum = divFloor(BigInt(fromWeight + lastWeight) * BigInt(counted), 2n);
  market.premiumWeightedSum += weightSum * premiumSample(market);
  market.premiumWeightSum += weightSum;
}

/** One premium sample at 1e-12, truncated toward zero. */
export function premiumSample(market: Market): bigint {
  const index = BigInt(market.indexTicks);
  if (index === 0n) return 0n;
  const impactBid = impactPrice(market, BUY);
  const impactAsk = impactPrice(market, SELL);
  let numerator = 0n;
  let denominator = 1n;
  // Each impact price is num/den ticks; combine the two terms over a common denominator.
  if (impactBid !== undefined && impactBid.num > index * impactBid.den) {
    numerator = impactBid.num - index * impactBid.den;
    denominator = impactBid.den;
  }
  if (impactAsk !== undefined && index * impactAsk.den > impactAsk.num) {
    const askTerm = index * impactAsk.den - impactAsk.num;
    numerator = numerator * impactAsk.den - askTerm * denominator;
    denominator *= impactAsk.den;
  }
  return divTrunc(numerator * PREMIUM_ONE, index * denominator);
}

interface Fraction {
  num: bigint;
  den: bigint;
}

/**
 * Average price (ticks, as a fraction) at which a market order of the impact notional would fill
 * against `restingSide` (BUY = bids → impact bid, SELL = asks → impact ask).
 */
function impactPrice(market: Market, restingSide: Side): Fraction | undefined {
  const book = market.book;
  const k = market.instrument.quotePerTickLotE8;
  const target = market.instrument.impactNotionalE8;
  let notional = 0n;
  let lots = 0n;
  for (let price = book.firstLevel(restingSide); price !== -1; price = book.nextLevel(restingSide, price)) {
    const p = BigInt(price);
    const levelNotional = BigInt(book.levelTotalLots(restingSide, price)) * p * k;
    if (notional + levelNotional >= target) {
      // avg = target / (k × (lots + rest / (p × k))) = target × p / (k × lots × p + rest)
      const rest = target - notional;
      return { num: target * p, den: k * lots * p + rest };
    }
    notional += levelNotional;
    lots += BigInt(book.levelTotalLots(restingSide, price));
  }
  return undefined;
}

/** The funding rate a settlement now would use (rate E8). */
export function estimatedFundingRateE8(market: Market): bigint {
  const instrument = market.instrument;
  const premium = market.premiumWeightSum > 0n ? divTrunc(market.premiumWeightedSum, market.premiumWeightSum) : 0n;
  const interest = instrument.interestRateE8 * PREMIUM_PER_RATE;
  const clamp = instrument.premiumClampE8 * PREMIUM_PER_RATE;
  let spread = interest - premium;
  if (spread > clamp) spread = clamp;
  if (spread < -clamp) spread = -clamp;
  let rate = divTrunc((premium + spread) * BigInt(instrument.spec.funding.intervalHours), 8n);
  const cap = instrument.fundingCapE8 * PREMIUM_PER_RATE;
  const floor = instrument.fundingFloorE8 * PREMIUM_PER_RATE;
  if (rate > cap) rate = cap;
  if (rate < floor) rate = floor;
  return divTrunc(rate, PREMIUM_PER_RATE);
}

function settleFunding(ctx: EngineContext, market: Market, atMs: number): void {
  const instrument = market.instrument;
  const rate = estimatedFundingRateE8(market);
  market.nextFundingMs = atMs + instrument.fundingIntervalMs;
  market.premiumWeightedSum = 0n;
  market.premiumWeightSum = 0n;
  market.lastFundingRateE8 = rate;
  const mark = BigInt(market.markTicks);
  const k = instrument.quotePerTickLotE8;
  let paid = 0n;
  let received = 0n;
  let count = 0;
  if (rate !== 0n) {
    const positions = [...market.openPositions.values()].sort((a, b) => a.accountId - b.accountId);
    for (const position of positions) {
      const raw = BigInt(position.sizeLots) * mark * k * rate;
      const account = ctx.account(position.accountId);
      count++;
      if (raw > 0n) {
        const amount = divCeil(raw, RATE_ONE);
        paid += amount;
        ctx.changePositionWallet(account, position, -amount, 'FUNDING_FEE', 0);
      } else {
        const amount = divFloor(-raw, RATE_ONE);
        received += amount;
        ctx.changePositionWallet(account, position, amount, 'FUNDING_FEE', 0);
      }
    }
  }
  const residue = paid - received;
  assert(residue >= 0n, 'funding rounding never costs the venue');
  if (residue > 0n) ctx.changeInsurance(residue, 'FUNDING_RESIDUE', instrument.symbol, 0);
  ctx.log.fundingSettled(market.marketIndex, atMs, rate, market.markTicks, paid, received, residue, count);
}

