/**
 * @module instrument/instrument
 * Instruments are configuration, not code: `InstrumentSpec` holds human decimals (as Binance's
 * exchangeInfo / leverageBracket / fundingInfo publish them); `compileInstrument` validates it and
 * turns it into the integer units the engine computes with. A spec that is inconsistent (a
 * bracket table whose maintenance amounts do not chain, a tick×lot that is not a whole number of
 * quote E8 units) fails loudly at engine creation.
 */
import { assert } from '../assert.js';
import { decimalToScaled, decimalToUnits, parseDecimal, type ScaledDecimal } from '../num/decimal.js';
import { QUOTE_DECIMALS, RATE_DECIMALS, RATE_ONE } from './units.js';

/**
 * Auto-deleveraging policies, a venue setting per instrument (docs/MECHANICS.md "ADL policies"):
 * BINANCE ranks by PnL% × margin ratio, HYPERLIQUID by (price ratio in the profit direction) ×
 * notional / account value, PRO_RATA spreads the lots over every opposite position by size, and
 * MIN_OVERSHOOT closes the profitable positions with the least unrealized profit per lot first.
 */
export const ADL_POLICIES = ['BINANCE', 'HYPERLIQUID', 'PRO_RATA', 'MIN_OVERSHOOT'] as const;
export type AdlPolicyName = (typeof ADL_POLICIES)[number];

export interface BracketSpec {
  readonly notionalFloor: string;
  readonly notionalCap: string;
  readonly maxLeverage: number;
  readonly maintMarginRatio: string;
  /** Maintenance amount ("cum"). */
  readonly cum: string;
}

export interface FundingSpec {
  readonly intervalHours: number;
  /** Interest rate per 8 hours (0.0001 = 0.01%). */
  readonly interestRate: string;
  /** Clamp on (interest − premium), 0.0005 = ±0.05%. */
  readonly premiumClamp: string;
  readonly rateCap: string;
  readonly rateFloor: string;
  /** Impact margin notional = impactMargin / IMR at max leverage (Binance: 200 USDT). */
  readonly impactMargin: string;
  /** Premium index sampling period. */
  readonly premiumSampleMs: number;
}

export interface MarkSpec {
  /** Mark price is recomputed at every multiple of this period. */
  readonly cadenceMs: number;
  /** Points in the moving average of basis (sampled once per cadence). */
  readonly basisSamples: number;
}

export interface InstrumentSpec {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly marginAsset: string;
  readonly onboardDateMs: number;
  readonly tickSize: string;
  readonly minPrice: string;
  readonly maxPrice: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly maxQty: string;
  readonly marketMaxQty: string;
  readonly minNotional: string;
  /** PERCENT_PRICE against mark: BUY limit ≤ mark × up, SELL limit ≥ mark × down. */
  readonly percentPriceUp: string;
  readonly percentPriceDown: string;
  /** Market-order protection: a market order never trades beyond mark × (1 ± bound). */
  readonly marketTakeBound: string;
  /**
   * Liquidation orders may take liquidity down to mark × (1 ± this bound) (wider than the market
   * order band, because the mark trails a crashing market); the insurance-fund budget limits them too.
   */
  readonly liquidationTakeBound: string;
  /** priceProtect: max |mark − last| / mark at trigger time. */
  readonly triggerProtect: string;
  readonly maxOpenOrders: number;
  readonly maxAlgoOrders: number;
  readonly makerFeeRate: string;
  readonly takerFeeRate: string;
  readonly liquidationFeeRate: string;
  /** §1.2 short "assuming price" buffer over last price (0.0015). */
  readonly shortAssumingBuffer: string;
  readonly defaultLeverage: number;
  /**
   * Positions whose notional sits in this bracket or higher are liquidated in steps (down to the
   * previous bracket's floor) instead of all at once; 0 disables partial liquidation.
   */
  readonly partialLiquidationFromBracket: number;
  readonly brackets: readonly BracketSpec[];
  readonly funding: FundingSpec;
  readonly mark: MarkSpec;
  /** Who auto-deleveraging closes against (docs/MECHANICS.md "ADL policies"); absent: BINANCE. */
  readonly adlPolicy?: AdlPolicyName;
}

export interface Bracket {
  /** 1-based, as in /fapi/v1/leverageBracket. */
  readonly bracket: number;
  readonly floorE8: bigint;
  readonly capE8: bigint;
  readonly maxLeverage: number;
  readonly mmrE8: bigint;
  readonly cumE8: bigint;
}

export interface Instrument {
  readonly spec: InstrumentSpec;
  readonly symbol: string;
  readonly tick: ScaledDecimal;
  readonly lot: ScaledDecimal;
  readonly minPriceTicks: number;
  readonly maxPriceTicks: number;
  readonly minQtyLots: number;
  readonly maxQtyLots: number;
  readonly marketMaxQtyLots: number;
  readonly minNotionalE8: bigint;
  readonly percentUpE8: bigint;
  readonly percentDownE8: bigint;
  readonly marketTakeBoundE8: bigint;
  readonly liquidationTakeBoundE8: bigint;
  readonly triggerProtectE8: bigint;
  readonly maxOpenOrders: number;
  readonly maxAlgoOrders: number;
  readonly makerFeeE8: bigint;
  readonly takerFeeE8: bigint;
  readonly liquidationFeeE8: bigint;
  readonly shortAssumingBufferE8: bigint;
  readonly defaultLeverage: number;
  readonly maxLeverage: number;
  readonly partialLiquidationFromBracket: number;
  readonly brackets: readonly Bracket[];
  readonly adlPolicy: AdlPolicyName;
  /** Quote E8 per (1 tick × 1 lot): notionalE8 = priceTicks × qtyLots × quotePerTickLotE8. */
  readonly quotePerTickLotE8: bigint;
  readonly fundingIntervalMs: number;
  readonly interestRateE8: bigint;
  readonly premiumClampE8: bigint;
  readonly fundingCapE8: bigint;
  readonly fundingFloorE8: bigint;
  readonly impactNotionalE8: bigint;
  readonly premiumSampleMs: number;
  readonly markCadenceMs: number;
  readonly basisSamples: number;
}

const HOUR_MS = 3_600_000;

function rateE8(text: string, what: string): bigint {
  const value = decimalToScaled(text, RATE_DECIMALS);
  assert(value !== undefined, `${what}: "${text}" is not a decimal with at most ${RATE_DECIMALS} places`);
  return value;
}

function quoteE8(text: string, what: string): bigint {
  const value = decimalToScaled(text, QUOTE_DECIMALS);
  assert(value !== undefined, `${what}: "${text}" is not a decimal with at most ${QUOTE_DECIMALS} places`);
  return value;
}

function unitCount(text: string, unit: ScaledDecimal, what: string): number {
  const value = decimalToUnits(text, unit);
  assert(value !== undefined, `${what}: "${text}" is not a multiple of the unit`);
  assert(value <= BigInt(Number.MAX_SAFE_INTEGER), `${what}: too large`);
  return Number(value);
}

function positiveUnit(text: string, what: string): ScaledDecimal {
  const unit = parseDecimal(text);
  assert(unit !== undefined && unit.digits > 0n, `${what}: "${text}" must be a positive decimal`);
  return unit;
}

function compileBrackets(specs: readonly BracketSpec[], symbol: string): Bracket[] {
  assert(specs.length > 0, `${symbol}: at least one leverage bracket`);
  const brackets: Bracket[] = [];
  let previous: Bracket | undefined;
  for (const [index, spec] of specs.entries()) {
    const bracket: Bracket = {
      bracket: index + 1,
      floorE8: quoteE8(spec.notionalFloor, `${symbol} bracket ${index + 1} floor`),
      capE8: quoteE8(spec.notionalCap, `${symbol} bracket ${index + 1} cap`),
      maxLeverage: spec.maxLeverage,
      mmrE8: rateE8(spec.maintMarginRatio, `${symbol} bracket ${index + 1} MMR`),
      cumE8: quoteE8(spec.cum, `${symbol} bracket ${index + 1} cum`),
    };
    assert(bracket.capE8 > bracket.floorE8, `${symbol} bracket ${bracket.bracket}: cap must exceed floor`);
    assert(Number.isInteger(bracket.maxLeverage) && bracket.maxLeverage >= 1 && bracket.maxLeverage <= 125,
      `${symbol} bracket ${bracket.bracket}: leverage 1..125`);
    assert(bracket.mmrE8 > 0n && bracket.mmrE8 < RATE_ONE, `${symbol} bracket ${bracket.bracket}: 0 < MMR < 1`);
    if (previous === undefined) {
      assert(bracket.floorE8 === 0n && bracket.cumE8 === 0n, `${symbol}: first bracket starts at 0 with cum 0`);
    } else {
      assert(bracket.floorE8 === previous.capE8, `${symbol} bracket ${bracket.bracket}: floor must equal previous cap`);
      assert(bracket.maxLeverage <= previous.maxLeverage, `${symbol}: max leverage must not rise with notional`);
      assert(bracket.mmrE8 >= previous.mmrE8, `${symbol}: MMR must not fall with notional`);
      // cum_n = cum_{n-1} + floor_n × (MMR_n − MMR_{n-1}) keeps MM continuous at the boundary.
      const chained = previous.cumE8 + (bracket.floorE8 * (bracket.mmrE8 - previous.mmrE8)) / RATE_ONE;
      assert((bracket.floorE8 * (bracket.mmrE8 - previous.mmrE8)) % RATE_ONE === 0n && chained === bracket.cumE8,
        `${symbol} bracket ${bracket.bracket}: cum ${spec.cum} does not chain (expected ${chained})`);
    }
    brackets.push(bracket);
    previous = bracket;
  }
  return brackets;
}

/** Validates a spec and converts it to integer units. Throws AssertionFailure on any inconsistency. */
export function compileInstrument(spec: InstrumentSpec): Instrument {
  const symbol = spec.symbol;
  assert(/^[A-Z0-9]{2,20}$/.test(symbol), `symbol "${symbol}" must be 2..20 upper-case letters or digits`);
  const tick = positiveUnit(spec.tickSize, `${symbol} tickSize`);
  const lot = positiveUnit(spec.stepSize, `${symbol} stepSize`);
  // quotePerTickLot = tick × lot × 10^8 must be a whole number so every notional is exact.
  const scale = tick.scale + lot.scale;
  assert(scale <= QUOTE_DECIMALS, `${symbol}: tickSize × stepSize needs more than ${QUOTE_DECIMALS} decimals`);
  const quotePerTickLotE8 = tick.digits * lot.digits * 10n ** BigInt(QUOTE_DECIMALS - scale);
  const brackets = compileBrackets(spec.brackets, symbol);
  const minPriceTicks = unitCount(spec.minPrice, tick, `${symbol} minPrice`);
  const maxPriceTicks = unitCount(spec.maxPrice, tick, `${symbol} maxPrice`);
  assert(minPriceTicks >= 1 && maxPriceTicks > minPriceTicks && maxPriceTicks < 2 ** 31,
    `${symbol}: 1 <= minPrice < maxPrice < 2^31 ticks`);
  const minQtyLots = unitCount(spec.minQty, lot, `${symbol} minQty`);
  const maxQtyLots = unitCount(spec.maxQty, lot, `${symbol} maxQty`);
  const marketMaxQtyLots = unitCount(spec.marketMaxQty, lot, `${symbol} marketMaxQty`);
  assert(minQtyLots >= 1 && maxQtyLots >= minQtyLots && marketMaxQtyLots >= minQtyLots, `${symbol}: quantity limits`);
  const funding = spec.funding;
  assert(Number.isInteger(funding.intervalHours) && funding.intervalHours >= 1 && 24 % funding.intervalHours === 0,
    `${symbol}: funding interval must divide 24 hours`);
  assert(Number.isInteger(funding.premiumSampleMs) && funding.premiumSampleMs >= 1000, `${symbol}: premium sample`);
  assert((funding.intervalHours * HOUR_MS) % funding.premiumSampleMs === 0, `${symbol}: samples must tile the interval`);
  assert(Number.isInteger(spec.mark.cadenceMs) && spec.mark.cadenceMs >= 100 && spec.mark.cadenceMs <= 60_000,
    `${symbol}: mark cadence 100..60000 ms`);
  assert(Number.isInteger(spec.mark.basisSamples) && spec.mark.basisSamples >= 1 && spec.mark.basisSamples <= 3600,
    `${symbol}: basis samples 1..3600`);
  const maxLeverage = brackets[0]?.maxLeverage ?? 1;
  const adlPolicy = spec.adlPolicy ?? 'BINANCE';
  assert(ADL_POLICIES.includes(adlPolicy), `${symbol}: adlPolicy is one of ${ADL_POLICIES.join(', ')}`);
  assert(Number.isInteger(spec.defaultLeverage) && spec.defaultLeverage >= 1 && spec.defaultLeverage <= maxLeverage,
    `${symbol}: default leverage within brackets`);
  const topImrE8 = RATE_ONE / BigInt(maxLeverage);
  assert(RATE_ONE % BigInt(maxLeverage) === 0n, `${symbol}: 1/maxLeverage must be exact in rate E8`);
  const impactNotionalE8 = (quoteE8(funding.impactMargin, `${symbol} impactMargin`) * RATE_ONE) / topImrE8;
  const instrument: Instrument = {
    spec,
    symbol,
    tick,
    lot,
    minPriceTicks,
    maxPriceTicks,
    minQtyLots,
    maxQtyLots,
    marketMaxQtyLots,
    minNotionalE8: quoteE8(spec.minNotional, `${symbol} minNotional`),
    percentUpE8: rateE8(spec.percentPriceUp, `${symbol} percentPriceUp`),
    percentDownE8: rateE8(spec.percentPriceDown, `${symbol} percentPriceDown`),
    marketTakeBoundE8: rateE8(spec.marketTakeBound, `${symbol} marketTakeBound`),
    liquidationTakeBoundE8: rateE8(spec.liquidationTakeBound, `${symbol} liquidationTakeBound`),
    triggerProtectE8: rateE8(spec.triggerProtect, `${symbol} triggerProtect`),
    maxOpenOrders: spec.maxOpenOrders,
    maxAlgoOrders: spec.maxAlgoOrders,
    makerFeeE8: rateE8(spec.makerFeeRate, `${symbol} makerFeeRate`),
    takerFeeE8: rateE8(spec.takerFeeRate, `${symbol} takerFeeRate`),
    liquidationFeeE8: rateE8(spec.liquidationFeeRate, `${symbol} liquidationFeeRate`),
    shortAssumingBufferE8: rateE8(spec.shortAssumingBuffer, `${symbol} shortAssumingBuffer`),
    defaultLeverage: spec.defaultLeverage,
    maxLeverage,
    partialLiquidationFromBracket: spec.partialLiquidationFromBracket,
    brackets,
    adlPolicy,
    quotePerTickLotE8,
    fundingIntervalMs: funding.intervalHours * HOUR_MS,
    interestRateE8: rateE8(funding.interestRate, `${symbol} interestRate`),
    premiumClampE8: rateE8(funding.premiumClamp, `${symbol} premiumClamp`),
    fundingCapE8: rateE8(funding.rateCap, `${symbol} rateCap`),
    fundingFloorE8: rateE8(funding.rateFloor, `${symbol} rateFloor`),
    impactNotionalE8,
    premiumSampleMs: funding.premiumSampleMs,
    markCadenceMs: spec.mark.cadenceMs,
    basisSamples: spec.mark.basisSamples,
  };
  assert(instrument.makerFeeE8 >= 0n && instrument.takerFeeE8 >= 0n, `${symbol}: fee rates must be >= 0`);
  assert(instrument.percentUpE8 > RATE_ONE && instrument.percentDownE8 < RATE_ONE && instrument.percentDownE8 > 0n,
    `${symbol}: percent price multipliers`);
  assert(instrument.marketTakeBoundE8 > 0n && instrument.marketTakeBoundE8 < RATE_ONE, `${symbol}: marketTakeBound`);
  assert(instrument.liquidationTakeBoundE8 >= instrument.marketTakeBoundE8 && instrument.liquidationTakeBoundE8 < RATE_ONE,
    `${symbol}: marketTakeBound <= liquidationTakeBound < 1`);
  assert(instrument.fundingFloorE8 < 0n && instrument.fundingCapE8 > 0n, `${symbol}: funding cap/floor`);
  assert(spec.maxOpenOrders >= 1 && spec.maxOpenOrders <= 10_000 && spec.maxAlgoOrders >= 0, `${symbol}: order limits`);
  assert(spec.partialLiquidationFromBracket >= 0 && spec.partialLiquidationFromBracket <= brackets.length,
    `${symbol}: partialLiquidationFromBracket`);
  assertSafeRanges(instrument);
  return instrument;
}

/**
 * Quantities the engine keeps in JS numbers must stay exact whatever a user sends, so a spec whose
 * ranges could pass 2^53 is refused here instead of failing an assertion on some order later. The
 * position limit bounds a position's notional by the last bracket's cap, and the lowest price
 * turns that into the most lots; the margin check adds every resting order of a side on top.
 * (Notionals are bigint; the book sums price × lots exactly at any size.)
 */
function assertSafeRanges(instrument: Instrument): void {
  const symbol = instrument.symbol;
  const maxOrderLots = BigInt(instrument.maxQtyLots > instrument.marketMaxQtyLots ? instrument.maxQtyLots
    : instrument.marketMaxQtyLots);
  const topCapE8 = instrument.brackets[instrument.brackets.length - 1]!.capE8;
  const maxPositionLots = topCapE8 / (BigInt(instrument.minPriceTicks) * instrument.quotePerTickLotE8) + 1n;
  const worstSideLots = maxPositionLots + BigInt(instrument.maxOpenOrders + 1) * maxOrderLots;
  assert(worstSideLots <= BigInt(Number.MAX_SAFE_INTEGER),
    `${symbol}: the largest position (last bracket cap at minPrice: ${maxPositionLots} lots) plus ${instrument.maxOpenOrders + 1} ` +
    `orders of maxQty must stay below 2^53 lots`);
}

/** The bracket containing `notionalE8` (floor ≤ notional < cap; beyond the last cap: the last). */
export function bracketFor(instrument: Instrument, notionalE8: bigint): Bracket {
  const brackets = instrument.brackets;
  for (let i = 0; i < brackets.length; i++) {
    const bracket = brackets[i]!;
    if (notionalE8 < bracket.capE8) return bracket;
  }
  return brackets[brackets.length - 1]!;
}

/** Largest position notional allowed at `leverage` (the cap of the last bracket that allows it). */
export function maxNotionalForLeverage(instrument: Instrument, leverage: number): bigint {
  let cap = 0n;
  for (const bracket of instrument.brackets) {
    if (bracket.maxLeverage >= leverage) cap = bracket.capE8;
  }
  return cap;
}
