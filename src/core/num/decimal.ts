/**
 * @module num/decimal
 * Decimal strings <-> scaled integers. The only place where human decimals ("0.10", "43000.5")
 * become integers. Parsing is strict: no exponents, no signs unless allowed, no excess precision.
 */
import { assert } from '../assert.js';

const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

/** A parsed decimal: value = digits / 10^scale. */
export interface ScaledDecimal {
  readonly digits: bigint;
  readonly scale: number;
}

/** Parses a plain decimal string; returns undefined when it is not one. */
export function parseDecimal(text: string): ScaledDecimal | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  const match = DECIMAL_RE.exec(text);
  if (match === null) return undefined;
  const fraction = match[3] ?? '';
  const digits = BigInt((match[2] ?? '0') + fraction);
  return { digits: match[1] === '-' ? -digits : digits, scale: fraction.length };
}

/**
 * Converts a decimal string to an integer count of `unit` (e.g. "43000.5" in ticks of "0.1" → 430005).
 * Returns undefined if the text is not a decimal or is not an exact multiple of the unit.
 */
export function decimalToUnits(text: string, unit: ScaledDecimal): bigint | undefined {
  const value = parseDecimal(text);
  if (value === undefined) return undefined;
  const scale = Math.max(value.scale, unit.scale);
  const numerator = value.digits * 10n ** BigInt(scale - value.scale);
  const denominator = unit.digits * 10n ** BigInt(scale - unit.scale);
  if (denominator <= 0n) return undefined;
  if (numerator % denominator !== 0n) return undefined;
  return numerator / denominator;
}

/** Exact integer of 10^-scale units from a decimal, or undefined if more decimals than `scale`. */
export function decimalToScaled(text: string, scale: number): bigint | undefined {
  return decimalToUnits(text, { digits: 1n, scale });
}

/** Formats `units` of 10^-scale as a decimal string with exactly `scale` fraction digits. */
export function formatScaled(units: bigint, scale: number, fractionDigits: number = scale): string {
  assert(scale >= 0 && fractionDigits >= 0, 'scale must be non-negative');
  const negative = units < 0n;
  let abs = negative ? -units : units;
  if (fractionDigits < scale) {
    // Display truncation toward zero; formatting never rounds money up or down silently elsewhere.
    abs = abs / 10n ** BigInt(scale - fractionDigits);
  } else if (fractionDigits > scale) {
    abs = abs * 10n ** BigInt(fractionDigits - scale);
  }
  const text = abs.toString().padStart(fractionDigits + 1, '0');
  const whole = text.slice(0, text.length - fractionDigits);
  const fraction = text.slice(text.length - fractionDigits);
  const body = fractionDigits === 0 ? whole : `${whole}.${fraction}`;
  return negative && abs !== 0n ? `-${body}` : body;
}

/** Formats `count` units of `unit` (e.g. ticks of "0.10") as a decimal with the unit's scale. */
export function formatUnits(count: bigint | number, unit: ScaledDecimal, fractionDigits: number = unit.scale): string {
  return formatScaled(BigInt(count) * unit.digits, unit.scale, fractionDigits);
}
