/**
 * @module instrument/units
 * The integer units money is kept in. Quote amounts (balances, fees, PnL, notional) are bigint
 * counts of 1e-8 of the margin asset ("E8"); rates (fees, MMR, funding) are bigint counts of 1e-8
 * ("rate E8": 0.0005 → 50_000n). Prices are JS-number ticks, sizes JS-number lots, both safe ints.
 */

/** Decimal places of quote amounts; 8 like Binance balances. */
export const QUOTE_DECIMALS = 8;
/** 1 unit of the margin asset in E8. */
export const QUOTE_ONE = 100_000_000n;
/** Decimal places of rates. */
export const RATE_DECIMALS = 8;
/** Rate 1.0 in rate E8. */
export const RATE_ONE = 100_000_000n;
