/**
 * @module instrument/catalog
 * The instruments perpx ships with. Values come from ../shared/reference/perp-mechanics.md:
 * brackets §1.1 (Binance leverageBracket dump of 2024-10-24), fees §1.8 (VIP 0), filters §1.10
 * (BTCUSDT exchangeInfo capture). ETHUSDT filters are not in the reference: they follow Binance's
 * published ETHUSDT precision (tick 0.01, step 0.001) with BTCUSDT's bands; see docs/instruments.md.
 * Everything here is configuration: a deployment may pass its own specs to createEngine.
 */
import type { BracketSpec, InstrumentSpec } from './instrument.js';

const BINANCE_TIER_MMR = ['0.004', '0.005', '0.0065', '0.01', '0.02', '0.025', '0.05', '0.1', '0.125', '0.15', '0.25', '0.5'];
const BINANCE_TIER_LEVERAGE = [125, 100, 75, 50, 25, 20, 10, 5, 4, 3, 2, 1];

function brackets(caps: readonly number[], cums: readonly number[]): BracketSpec[] {
  return caps.map((cap, index) => ({
    notionalFloor: String(index === 0 ? 0 : caps[index - 1]),
    notionalCap: String(cap),
    maxLeverage: BINANCE_TIER_LEVERAGE[index]!,
    maintMarginRatio: BINANCE_TIER_MMR[index]!,
    cum: String(cums[index]),
  }));
}

export const BTCUSDT_BRACKETS: readonly BracketSpec[] = brackets(
  [50_000, 600_000, 3_000_000, 12_000_000, 70_000_000, 100_000_000, 230_000_000, 480_000_000, 600_000_000,
    800_000_000, 1_200_000_000, 1_800_000_000],
  [0, 50, 950, 11_450, 131_450, 481_450, 2_981_450, 14_481_450, 26_481_450, 41_481_450, 121_481_450, 421_481_450],
);

export const ETHUSDT_BRACKETS: readonly BracketSpec[] = brackets(
  [50_000, 600_000, 3_000_000, 12_000_000, 50_000_000, 65_000_000, 150_000_000, 320_000_000, 400_000_000,
    530_000_000, 800_000_000, 1_200_000_000],
  [0, 50, 950, 11_450, 131_450, 381_450, 2_006_450, 9_506_450, 17_506_450, 27_506_450, 80_506_450, 280_506_450],
);

const COMMON = {
  quoteAsset: 'USDT',
  marginAsset: 'USDT',
  percentPriceUp: '1.05',
  percentPriceDown: '0.95',
  marketTakeBound: '0.05',
  liquidationTakeBound: '0.15',
  triggerProtect: '0.05',
  maxOpenOrders: 200,
  maxAlgoOrders: 10,
  makerFeeRate: '0.0002',
  takerFeeRate: '0.0005',
  liquidationFeeRate: '0.0125',
  shortAssumingBuffer: '0.0015',
  defaultLeverage: 20,
  partialLiquidationFromBracket: 3,
  funding: {
    intervalHours: 8,
    interestRate: '0.0001',
    premiumClamp: '0.0005',
    rateCap: '0.02',
    rateFloor: '-0.02',
    impactMargin: '200',
    premiumSampleMs: 5_000,
  },
  mark: { cadenceMs: 1_000, basisSamples: 30 },
} as const;

export const BTCUSDT: InstrumentSpec = {
  ...COMMON,
  symbol: 'BTCUSDT',
  baseAsset: 'BTC',
  onboardDateMs: 1_569_398_400_000,
  tickSize: '0.1',
  minPrice: '556.8',
  maxPrice: '4529764',
  stepSize: '0.001',
  minQty: '0.001',
  maxQty: '1000',
  marketMaxQty: '120',
  minNotional: '50',
  brackets: BTCUSDT_BRACKETS,
};

export const ETHUSDT: InstrumentSpec = {
  ...COMMON,
  symbol: 'ETHUSDT',
  baseAsset: 'ETH',
  onboardDateMs: 1_569_398_400_000,
  tickSize: '0.01',
  minPrice: '39.86',
  maxPrice: '306177',
  stepSize: '0.001',
  minQty: '0.001',
  maxQty: '10000',
  marketMaxQty: '2000',
  minNotional: '20',
  brackets: ETHUSDT_BRACKETS,
};

/** The default instrument set. */
export const DEFAULT_INSTRUMENTS: readonly InstrumentSpec[] = [BTCUSDT, ETHUSDT];
