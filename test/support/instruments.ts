/**
 * Instrument specs for tests that reproduce published examples: Binance's 2021-era tables and
 * two-decimal BTC prices, zero fees or interest where an example ignores them. Everything here is
 * configuration, exactly as a deployment would pass it.
 */
import { BTCUSDT, ETHUSDT } from '../../src/core/instrument/catalog.js';
import type { BracketSpec, InstrumentSpec } from '../../src/core/instrument/instrument.js';

/** Binance BTCUSDT brackets of 2021 (MMR 2.5%, cum 16,300 at 1M–5M, as in the §1.3 example). */
export const BTC_2021_BRACKETS: BracketSpec[] = [
  { notionalFloor: '0', notionalCap: '50000', maxLeverage: 125, maintMarginRatio: '0.004', cum: '0' },
  { notionalFloor: '50000', notionalCap: '250000', maxLeverage: 100, maintMarginRatio: '0.005', cum: '50' },
  { notionalFloor: '250000', notionalCap: '1000000', maxLeverage: 50, maintMarginRatio: '0.01', cum: '1300' },
  { notionalFloor: '1000000', notionalCap: '5000000', maxLeverage: 20, maintMarginRatio: '0.025', cum: '16300' },
  { notionalFloor: '5000000', notionalCap: '20000000', maxLeverage: 10, maintMarginRatio: '0.05', cum: '141300' },
  { notionalFloor: '20000000', notionalCap: '50000000', maxLeverage: 5, maintMarginRatio: '0.1', cum: '1141300' },
  { notionalFloor: '50000000', notionalCap: '100000000', maxLeverage: 4, maintMarginRatio: '0.125', cum: '2391300' },
  { notionalFloor: '100000000', notionalCap: '200000000', maxLeverage: 3, maintMarginRatio: '0.15', cum: '4891300' },
  { notionalFloor: '200000000', notionalCap: '300000000', maxLeverage: 2, maintMarginRatio: '0.25', cum: '24891300' },
  { notionalFloor: '300000000', notionalCap: '9223372036854', maxLeverage: 1, maintMarginRatio: '0.5', cum: '99891300' },
];

/** Binance ETHUSDT brackets of 2021 (MMR 10%, cum 135,365 at 2M–5M, as in the §1.3 example). */
export const ETH_2021_BRACKETS: BracketSpec[] = [
  { notionalFloor: '0', notionalCap: '10000', maxLeverage: 100, maintMarginRatio: '0.005', cum: '0' },
  { notionalFloor: '10000', notionalCap: '100000', maxLeverage: 75, maintMarginRatio: '0.0065', cum: '15' },
  { notionalFloor: '100000', notionalCap: '500000', maxLeverage: 50, maintMarginRatio: '0.01', cum: '365' },
  { notionalFloor: '500000', notionalCap: '1000000', maxLeverage: 25, maintMarginRatio: '0.02', cum: '5365' },
  { notionalFloor: '1000000', notionalCap: '2000000', maxLeverage: 10, maintMarginRatio: '0.05', cum: '35365' },
  { notionalFloor: '2000000', notionalCap: '5000000', maxLeverage: 5, maintMarginRatio: '0.1', cum: '135365' },
  { notionalFloor: '5000000', notionalCap: '10000000', maxLeverage: 4, maintMarginRatio: '0.125', cum: '260365' },
  { notionalFloor: '10000000', notionalCap: '20000000', maxLeverage: 3, maintMarginRatio: '0.15', cum: '510365' },
  { notionalFloor: '20000000', notionalCap: '9223372036854', maxLeverage: 2, maintMarginRatio: '0.25', cum: '2510365' },
];

const ZERO_FEES = { makerFeeRate: '0', takerFeeRate: '0' } as const;

/** Mark = index when the book is empty and nothing has funding: interest 0 removes the P1 drift. */
export function exampleBtc(overrides: Partial<InstrumentSpec> = {}): InstrumentSpec {
  return {
    ...BTCUSDT, ...ZERO_FEES, tickSize: '0.01', minPrice: '556.8', maxPrice: '4529764', minNotional: '5',
    maxQty: '100000', brackets: BTC_2021_BRACKETS, funding: { ...BTCUSDT.funding, interestRate: '0' },
    percentPriceUp: '1.5', percentPriceDown: '0.5', ...overrides,
  };
}

export function exampleEth(overrides: Partial<InstrumentSpec> = {}): InstrumentSpec {
  return {
    ...ETHUSDT, ...ZERO_FEES, maxQty: '1000000', marketMaxQty: '1000000', minNotional: '5',
    brackets: ETH_2021_BRACKETS, funding: { ...ETHUSDT.funding, interestRate: '0' }, percentPriceUp: '1.5',
    percentPriceDown: '0.5', ...overrides,
  };
}
