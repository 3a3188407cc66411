/**
 * Time-driven work (perp-mechanics.md §1.4–§1.5, docs/MECHANICS.md "Prices and funding"):
 * premium samples (every premiumSampleMs), mark samples (every mark cadence) and funding
 * settlements (interval boundaries, aligned to the epoch) at every instant a command's time passes.
 * Instants run in time order; at one instant, market by market (in instrument order) premium, then
 * mark, then funding (an engine choice); the risk pass runs after each instant.
 *
 * After a quiet gap, mark samples older than limits.maxSampleCatchUpMs before the command are
 * skipped: the mark stays frozen until the window starts. Premium samples all run (R4), so a
 * funding settlement inside the gap, and any liquidation it causes, is seen by the samples after it.
 */
import { BUY, SELL, type Side } from '../../../src/core/book/types.js';
import { divCeil, divFloor, divTrunc } from '../../../src/core/num/int.js';
import { ONE_E8, type Fraction } from './formulas.js';
import { changeInsurance, changePositionWallet, touch } from './ledger.js';
import { atRiskAccounts, runRiskPass } from './risk-pass.js';
import { processTriggers } from './triggers.js';
import { accountOf, openPositions, type RefMarket, type RefState } from './state.js';

/** Premium samples are kept at 1e-12. */
const PREMIUM_ONE = 1_000_000_000_000n;
const PREMIUM_PER_RATE = PREMIUM_ONE / ONE_E8;

/** The first multiple of `periodMs` strictly after `atMs`. */
function nextMultiple(atMs: number, periodMs: number): number {
  return atMs - (atMs % periodMs) + periodMs;
}

/** Runs every due instant up to and including `atMs`. */
export function advanceClock(state: RefState, atMs: number): void {
  skipStaleSamples(state, atMs);
  for (;;) {
    let due: { atMs: number; market: RefMarket; kind: 0 | 1 | 2 } | undefined;
    for (const market of state.markets) {
      if (market.nextMarkMs === 0) continue;
      const times = [market.nextPremiumMs, market.nextMarkMs, market.nextFundingMs];
      times.forEach((time, kind) => {
        if (due === undefined || time < due.atMs) due = { atMs: time, market, kind: kind as 0 | 1 | 2 };
      });
    }
    if (due === undefined || due.atMs > atMs) return;
    if (due.kind === 0) samplePremium(due.market, due.atMs);
    else if (due.kind === 1) sampleMark(state, due.market, due.atMs);
    else settleFunding(state, due.market, due.atMs);
    runRiskPass(state, due.atMs);
  }
}

/**
 * After a quiet gap the mark stays frozen until the catch-up window starts (its samples before the
 * window are skipped). R4: premium samples are never skipped — the reference takes every one, one
 * by one, like a venue that received a command every second (the engine sums them in closed form).
 */
function skipStaleSamples(state: RefState, atMs: number): void {
  const oldestMs = atMs - state.limits.maxSampleCatchUpMs;
  for (const market of state.markets) {
    if (market.nextMarkMs === 0) continue;
    if (market.nextMarkMs < oldestMs) market.nextMarkMs = nextMultiple(oldestMs - 1, market.instrument.markCadenceMs);
  }
}

/** The first index price opens the market: mark = index, and the schedules start. */
export function startMarket(state: RefState, market: RefMarket, atMs: number): void {
  const instrument = market.instrument;
  market.markTicks = market.indexTicks;
  market.nextMarkMs = nextMultiple(atMs, instrument.markCadenceMs);
  market.nextPremiumMs = nextMultiple(atMs, instrument.premiumSampleMs);
  market.nextFundingMs = nextMultiple(atMs, instrument.fundingIntervalMs);
  emitMark(state, market, atMs);
}

function emitMark(state: RefState, market: RefMarket, atMs: number): void {
  state.events.push({
    type: 'MarkPriceUpdated', symbol: market.instrument.symbol, atMs, markTicks: market.markTicks,
    indexTicks: market.indexTicks, estimatedFundingRateE8: estimatedFundingRate(market),
    lastFundingRateE8: market.lastFundingRateE8, nextFundingMs: market.nextFundingMs,
  });
}

// ---- Mark price (§1.4) --------------------------------------------------------------------------

function sampleMark(state: RefState, market: RefMarket, atMs: number): void {
  market.nextMarkMs = atMs + market.instrument.markCadenceMs;
  const bid = market.book.bestBid();
  const ask = market.book.bestAsk();
  // Basis in half-ticks: mid − index = (bid + ask − 2 × index) / 2; a side-less book samples 0.
  market.basis.push(bid !== -1 && ask !== -1 ? bid + ask - 2 * market.indexTicks : 0);
  if (market.basis.length > market.instrument.basisSamples) market.basis.shift();
  const mark = markPrice(market, atMs);
  if (mark === market.markTicks) return;
  market.markTicks = mark;
  emitMark(state, market, atMs);
  processTriggers(state, market, true, atMs);
  for (const account of atRiskAccounts(state, market)) touch(state, account);
}

/**
 * Mark = median(P1, P2, last), rounded half away from zero to a tick:
 * P1 = index × (1 + lastFundingRate × timeUntilFunding / interval),
 * P2 = index + average basis, last = the last trade price (the index before any trade).
 */
export function markPrice(market: RefMarket, atMs: number): number {
  const instrument = market.instrument;
  const index = BigInt(market.indexTicks);
  const interval = BigInt(instrument.fundingIntervalMs);
  const untilFunding = BigInt(market.nextFundingMs - atMs);
  const count = BigInt(Math.max(1, market.basis.length));
  const basisSum = BigInt(market.basis.reduce((sum, sample) => sum + sample, 0));
  const p1: Fraction = { num: index * (ONE_E8 * interval + market.lastFundingRateE8 * untilFunding), den: ONE_E8 * interval };
  const p2: Fraction = { num: 2n * count * index + basisSum, den: 2n * count };
  const p3: Fraction = { num: market.lastTicks > 0 ? BigInt(market.lastTicks) : index, den: 1n };
  const sorted = [p1, p2, p3].sort((a, b) => {
    const left = a.num * b.den;
    const right = b.num * a.den;
    return left < right ? -1 : left > right ? 1 : 0;
  });
  const median = sorted[1]!;
  return Number(divFloor(2n * median.num + median.den, 2n * median.den));
}

// ---- Premium index and funding (§1.5) -----------------------------------------------------------

function samplePremium(market: RefMarket, atMs: number): void {
  const instrument = market.instrument;
  market.nextPremiumMs = atMs + instrument.premiumSampleMs;
  // Sample i of the interval (counted from its start) has weight i; the one at the start has 0.
  const weight = BigInt(Math.floor((atMs - (market.nextFundingMs - instrument.fundingIntervalMs)) / instrument.premiumSampleMs));
  if (weight <= 0n) return;
  market.premiumWeightedSum += weight * premiumSample(market);
  market.premiumWeightSum += weight;
}

/**
 * P = [max(0, impact bid − index) − max(0, index − impact ask)] / index at 1e-12, truncated toward
 * zero; a side without the impact notional's depth contributes 0.
 */
export function premiumSample(market: RefMarket): bigint {
  const index = BigInt(market.indexTicks);
  if (index === 0n) return 0n;
  const bid = impactPrice(market, BUY);
  const ask = impactPrice(market, SELL);
  // Each term as a fraction over its own denominator; the difference over their product.
  const bidTerm: Fraction = bid !== undefined && bid.num > index * bid.den ? { num: bid.num - index * bid.den, den: bid.den }
    : { num: 0n, den: 1n };
  const askTerm: Fraction = ask !== undefined && index * ask.den > ask.num ? { num: index * ask.den - ask.num, den: ask.den }
    : { num: 0n, den: 1n };
  const num = bidTerm.num * askTerm.den - askTerm.num * bidTerm.den;
  return divTrunc(num * PREMIUM_ONE, index * bidTerm.den * askTerm.den);
}

/** Average price (ticks) of a market order of the impact notional against the resting `side`. */
function impactPrice(market: RefMarket, side: Side): Fraction | undefined {
  const book = market.book;
  const k = market.instrument.quotePerTickLotE8;
  const target = market.instrument.impactNotionalE8;
  let filledNotional = 0n;
  let filledLots = 0n;
  for (let price = book.firstLevel(side); price !== -1; price = book.nextLevel(side, price)) {
    const p = BigInt(price);
    const lots = BigInt(book.levelTotalLots(side, price));
    if (filledNotional + lots * p * k >= target) {
      // target / (k × (filledLots + rest / (p × k))) ticks
      const rest = target - filledNotional;
      return { num: target * p, den: k * filledLots * p + rest };
    }
    filledNotional += lots * p * k;
    filledLots += lots;
  }
  return undefined;
}

/** F = P + clamp(I − P, ±clamp), × intervalHours / 8, capped, truncated toward zero to rate E8. */
export function estimatedFundingRate(market: RefMarket): bigint {
  const instrument = market.instrument;
  const premium = market.premiumWeightSum > 0n ? divTrunc(market.premiumWeightedSum, market.premiumWeightSum) : 0n;
  const clamp = instrument.premiumClampE8 * PREMIUM_PER_RATE;
  let spread = instrument.interestRateE8 * PREMIUM_PER_RATE - premium;
  if (spread > clamp) spread = clamp;
  if (spread < -clamp) spread = -clamp;
  let rate = divTrunc((premium + spread) * BigInt(instrument.spec.funding.intervalHours), 8n);
  if (rate > instrument.fundingCapE8 * PREMIUM_PER_RATE) rate = instrument.fundingCapE8 * PREMIUM_PER_RATE;
  if (rate < instrument.fundingFloorE8 * PREMIUM_PER_RATE) rate = instrument.fundingFloorE8 * PREMIUM_PER_RATE;
  return divTrunc(rate, PREMIUM_PER_RATE);
}

/**
 * Payment = size × mark × F: payers round up, receivers down, by account id; the residue goes to
 * the insurance fund so the settlement sums to zero.
 */
function settleFunding(state: RefState, market: RefMarket, atMs: number): void {
  const instrument = market.instrument;
  const rate = estimatedFundingRate(market);
  market.nextFundingMs = atMs + instrument.fundingIntervalMs;
  market.premiumWeightedSum = 0n;
  market.premiumWeightSum = 0n;
  market.lastFundingRateE8 = rate;
  let paid = 0n;
  let received = 0n;
  let positions = 0;
  if (rate !== 0n) {
    for (const position of openPositions(state, market.index)) {
      const raw = BigInt(position.sizeLots) * BigInt(market.markTicks) * instrument.quotePerTickLotE8 * rate;
      const account = accountOf(state, position.accountId);
      positions++;
      if (raw > 0n) {
        const amount = divCeil(raw, ONE_E8);
        paid += amount;
        changePositionWallet(state, account, position, -amount, 'FUNDING_FEE', 0);
      } else {
        const amount = divFloor(-raw, ONE_E8);
        received += amount;
        changePositionWallet(state, account, position, amount, 'FUNDING_FEE', 0);
      }
    }
  }
  changeInsurance(state, paid - received, 'FUNDING_RESIDUE', instrument.symbol, 0);
  state.events.push({
    type: 'FundingSettled', symbol: instrument.symbol, fundingTimeMs: atMs, rateE8: rate, markTicks: market.markTicks,
    paidE8: paid, receivedE8: received, residueE8: paid - received, positions,
  });
}
