/**
 * @module api/format
 * Integer engine units → Binance decimal strings. Prices are ticks, quantities lots, money quote
 * E8 and rates rate E8; Binance sends all of them as JSON strings. Nothing here uses floating
 * point, so a figure on the wire is exactly the engine's figure (or a stated truncation of a ratio).
 */
import {
  formatScaled, formatUnits, QUOTE_DECIMALS, RATE_DECIMALS, type Instrument, type PriceFraction,
} from '../core/index.js';

/** Decimal places used for derived prices (averages, entry, break-even) that are ratios of ticks. */
export const DERIVED_PRICE_DECIMALS = 8;

export function price(instrument: Instrument, ticks: number): string {
  return formatUnits(ticks, instrument.tick);
}

export function qty(instrument: Instrument, lots: number): string {
  return formatUnits(lots, instrument.lot);
}

/** Signed quantity (position amount). */
export function signedQty(instrument: Instrument, lots: number): string {
  return formatUnits(lots, instrument.lot);
}

export function money(amountE8: bigint): string {
  return formatScaled(amountE8, QUOTE_DECIMALS);
}

export function rate(rateE8: bigint): string {
  return formatScaled(rateE8, RATE_DECIMALS);
}

/** A price given as a fraction of ticks, truncated toward zero to 8 decimals ("0" when undefined). */
export function fractionPrice(instrument: Instrument, fraction: PriceFraction | undefined): string {
  if (fraction === undefined || fraction.den === 0n) return '0';
  const tick = instrument.tick;
  // value = num / den ticks = num × digits / (den × 10^scale) → in units of 1e-8.
  const scaled = (fraction.num * tick.digits * 10n ** BigInt(DERIVED_PRICE_DECIMALS)) / (fraction.den * 10n ** BigInt(tick.scale));
  return formatScaled(scaled, DERIVED_PRICE_DECIMALS);
}

/** Average fill price = cumQuote / executed quantity, truncated to 8 decimals ("0" when nothing filled). */
export function averagePrice(instrument: Instrument, cumQuoteE8: bigint, executedLots: number): string {
  if (executedLots === 0) return '0';
  const lot = instrument.lot;
  // cumQuote(E8)/1e8 / (lots × digits / 10^scale) = cumQuoteE8 × 10^scale / (lots × digits) in E8.
  const avgE8 = (cumQuoteE8 * 10n ** BigInt(lot.scale)) / (BigInt(executedLots) * lot.digits);
  return formatScaled(avgE8, QUOTE_DECIMALS);
}

/** Notional (price × quantity) in quote E8 of `lots` at `ticks`. */
export function notionalE8(instrument: Instrument, ticks: number, lots: number): bigint {
  return BigInt(ticks) * BigInt(lots) * instrument.quotePerTickLotE8;
}

/** Decimal places of a unit ("0.10" → 2). */
export function decimalsOf(unitText: string): number {
  const dot = unitText.indexOf('.');
  return dot < 0 ? 0 : unitText.length - dot - 1;
}
