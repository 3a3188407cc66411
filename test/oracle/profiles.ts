/**
 * Instrument sets the differential run trades: the shipped Binance-like pair, and odd ones
 * (tiny ticks, large lots, two or three brackets with a low first cap, so most positions are
 * liquidated in steps from the second bracket,
 * 1 h and 4 h funding, a short basis window, zero and high fees, wide and narrow bands), so rules
 * meet unusual scales; and both pairs again under the other ADL policies. Each profile names the price its markets start at.
 */
import { BTCUSDT, DEFAULT_INSTRUMENTS, ETHUSDT } from '../../src/core/instrument/catalog.js';
import type { InstrumentSpec } from '../../src/core/instrument/instrument.js';

export interface Profile {
  readonly name: string;
  readonly instruments: readonly InstrumentSpec[];
  /** Starting index of each market, in ticks. */
  readonly startTicks: readonly number[];
}

/**
 * k = tick × step × 1e8 = 100 units per tick-lot, with fee, maintenance and liquidation-fee rates
 * that do not divide it: every rounding direction shows (on the shipped instruments most products
 * are exact multiples of 1e-8 and a flipped rounding changes nothing).
 */
const TINY: InstrumentSpec = {
  ...BTCUSDT,
  symbol: 'TINYUSDT', baseAsset: 'TINY', tickSize: '0.00001', minPrice: '0.00001', maxPrice: '100', stepSize: '0.1',
  minQty: '0.1', maxQty: '1000000', marketMaxQty: '200000', minNotional: '1', makerFeeRate: '0.00013',
  takerFeeRate: '0.00037', liquidationFeeRate: '0.0173', shortAssumingBuffer: '0.0017', defaultLeverage: 10,
  partialLiquidationFromBracket: 2,
  brackets: [
    { notionalFloor: '0', notionalCap: '500', maxLeverage: 50, maintMarginRatio: '0.0113', cum: '0' },
    { notionalFloor: '500', notionalCap: '1000000', maxLeverage: 10, maintMarginRatio: '0.0567', cum: '22.7' },
  ],
  funding: { ...BTCUSDT.funding, intervalHours: 1, impactMargin: '50', rateCap: '0.005', rateFloor: '-0.005' },
  mark: { cadenceMs: 500, basisSamples: 3 },
};

const LOT: InstrumentSpec = {
  ...ETHUSDT,
  symbol: 'LOTUSDT', baseAsset: 'LOT', tickSize: '0.5', minPrice: '0.5', maxPrice: '50000', stepSize: '10', minQty: '10',
  maxQty: '100000', marketMaxQty: '50000', minNotional: '10', makerFeeRate: '0.0001', takerFeeRate: '0.0003',
  percentPriceUp: '1.1', percentPriceDown: '0.9', marketTakeBound: '0.08', liquidationTakeBound: '0.3',
  triggerProtect: '0.02', maxOpenOrders: 6, maxAlgoOrders: 3, defaultLeverage: 20, partialLiquidationFromBracket: 2,
  brackets: [
    { notionalFloor: '0', notionalCap: '2000', maxLeverage: 50, maintMarginRatio: '0.01', cum: '0' },
    { notionalFloor: '2000', notionalCap: '100000', maxLeverage: 20, maintMarginRatio: '0.025', cum: '30' },
    { notionalFloor: '100000', notionalCap: '10000000', maxLeverage: 5, maintMarginRatio: '0.1', cum: '7530' },
  ],
  funding: { ...ETHUSDT.funding, intervalHours: 4, interestRate: '0', impactMargin: '100', premiumSampleMs: 10_000 },
  mark: { cadenceMs: 1_000, basisSamples: 5 },
};

export const PROFILES: readonly Profile[] = [
  { name: 'binance', instruments: DEFAULT_INSTRUMENTS, startTicks: [430_000, 300_000] },
  { name: 'odd', instruments: [TINY, LOT], startTicks: [100_000, 200] },
  // The other ADL policies: the odd pair under PRO_RATA and MIN_OVERSHOOT, the shipped pair under Hyperliquid's ranking.
  { name: 'odd-adl', instruments: [{ ...TINY, adlPolicy: 'PRO_RATA' }, { ...LOT, adlPolicy: 'MIN_OVERSHOOT' }], startTicks: [100_000, 200] },
  { name: 'hyperliquid', instruments: DEFAULT_INSTRUMENTS.map((spec) => ({ ...spec, adlPolicy: 'HYPERLIQUID' as const })),
    startTicks: [430_000, 300_000] },
];

export function profileNamed(name: string): Profile {
  const profile = PROFILES.find((candidate) => candidate.name === name);
  if (profile === undefined) throw new Error(`unknown profile ${name}`);
  return profile;
}
