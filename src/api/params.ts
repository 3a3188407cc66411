/**
 * @module api/params
 * Request parameters the way Binance reads them: the raw query string and the raw form body, each
 * a list of `name=value` pairs, merged (a name in both: the query wins). Parsing is strict and
 * bounded, and every accessor fails with the precise Binance code: missing → -1102, bad enum →
 * -1115/-1116/-1117/-1130, non-numeric or negative → -1130, more decimals than the unit → -1111.
 * Nothing here touches state, so a malformed request can never change anything.
 */
import { decimalToUnits, parseDecimal, type ScaledDecimal } from '../core/index.js';
import { E, type ApiError } from './errors.js';

export const MAX_PARAMS = 64;
export const MAX_NAME_LENGTH = 64;
export const MAX_VALUE_LENGTH = 16_384;

const NAME_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
const UINT_RE = /^\d{1,16}$/;
const INT_RE = /^-?\d{1,16}$/;

function decodeComponent(text: string, name: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw E.illegalChars(name);
  }
}

/** Splits a raw `a=1&b=2` string into pairs; rejects duplicates and oversize input. */
export function parsePairs(raw: string, into: Map<string, string>, overwrite: boolean): void {
  if (raw.length === 0) return;
  // Duplicates are per string; while `into` started empty its own keys tell them (no extra set).
  const seen = into.size === 0 ? undefined : new Set<string>();
  let count = 0;
  for (const part of raw.split('&')) {
    if (part.length === 0) continue;
    if (++count > MAX_PARAMS) throw E.tooManyParams(`Too many parameters; maximum is ${MAX_PARAMS}.`);
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const name = decodeComponent(rawName, rawName.slice(0, MAX_NAME_LENGTH));
    if (name.length === 0 || name.length > MAX_NAME_LENGTH || !NAME_RE.test(name)) {
      throw E.illegalChars(name.slice(0, MAX_NAME_LENGTH));
    }
    const value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1), name);
    if (value.length > MAX_VALUE_LENGTH) throw E.illegalValue(name, 'too long');
    if (seen === undefined) {
      if (into.has(name)) throw E.duplicateParam(name);
      into.set(name, value);
      continue;
    }
    if (seen.has(name)) throw E.duplicateParam(name);
    seen.add(name);
    if (overwrite || !into.has(name)) into.set(name, value);
  }
}

export class Params {
  constructor(readonly values: Map<string, string>) {}

  /** Query ∪ body; a name present in both takes the query's value (Binance General Info). */
  static fromRaw(rawQuery: string, rawBody: string): Params {
    const values = new Map<string, string>();
    parsePairs(rawQuery, values, true);
    parsePairs(rawBody, values, false);
    return new Params(values);
  }

  static fromObject(object: Record<string, string>): Params {
    return new Params(new Map(Object.entries(object)));
  }

  has(name: string): boolean {
    const value = this.values.get(name);
    return value !== undefined && value !== '';
  }

  /** A present, non-empty value or undefined. */
  optional(name: string): string | undefined {
    const value = this.values.get(name);
    return value === undefined || value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw E.mandatory(name);
    return value;
  }

  string(name: string, pattern: RegExp, required: true): string;
  string(name: string, pattern: RegExp, required?: false): string | undefined;
  string(name: string, pattern: RegExp, required = false): string | undefined {
    const value = required ? this.required(name) : this.optional(name);
    if (value !== undefined && !pattern.test(value)) throw E.illegalValue(name);
    return value;
  }

  /** Unsigned integer within [min, max]. */
  uint(name: string, options: { required: true; min?: number; max?: number }): number;
  uint(name: string, options?: { required?: false; min?: number; max?: number }): number | undefined;
  uint(name: string, options: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const text = options.required === true ? this.required(name) : this.optional(name);
    if (text === undefined) return undefined;
    if (!UINT_RE.test(text)) throw E.illegalValue(name, 'not an unsigned integer');
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw E.illegalValue(name, 'too large');
    if (options.min !== undefined && value < options.min) throw E.illegalValue(name, `below ${options.min}`);
    if (options.max !== undefined && value > options.max) throw E.illegalValue(name, `above ${options.max}`);
    return value;
  }

  /** Signed integer (e.g. positionMargin type codes never need it, but kept strict). */
  int(name: string): number | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    if (!INT_RE.test(text)) throw E.illegalValue(name, 'not an integer');
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw E.illegalValue(name, 'too large');
    return value;
  }

  bool(name: string): boolean | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw E.illegalValue(name, 'expected true or false');
  }

  enumOf<T extends string>(name: string, allowed: readonly T[], error: () => ApiError, required: true): T;
  enumOf<T extends string>(name: string, allowed: readonly T[], error: () => ApiError, required?: false): T | undefined;
  enumOf<T extends string>(name: string, allowed: readonly T[], error: () => ApiError, required = false): T | undefined {
    const text = required ? this.required(name) : this.optional(name);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) throw error();
    return text as T;
  }

  /**
   * A non-negative decimal as a whole number of `unit` (ticks or lots). Not a plain decimal or
   * negative → -1130; not a multiple of the unit (too many decimals) → -1111; beyond 2^53 → -1130.
   */
  units(name: string, unit: ScaledDecimal, required: true): number;
  units(name: string, unit: ScaledDecimal, required?: false): number | undefined;
  units(name: string, unit: ScaledDecimal, required = false): number | undefined {
    const text = required ? this.required(name) : this.optional(name);
    if (text === undefined) return undefined;
    return decimalUnits(name, text, unit);
  }

  /** A decimal with at most `scale` places as an integer of 10^-scale (may be negative if allowed). */
  scaled(name: string, scale: number, options: { required?: boolean; signed?: boolean } = {}): bigint | undefined {
    const text = options.required === true ? this.required(name) : this.optional(name);
    if (text === undefined) return undefined;
    const parsed = parseDecimal(text);
    if (parsed === undefined) throw E.illegalValue(name, 'not a decimal');
    if (parsed.digits < 0n && options.signed !== true) throw E.illegalValue(name, 'negative');
    if (parsed.scale > scale) {
      const value = decimalToUnits(text, { digits: 1n, scale });
      if (value === undefined) throw E.badPrecision(name);
      return value;
    }
    return parsed.digits * 10n ** BigInt(scale - parsed.scale);
  }
}

export function decimalUnits(name: string, text: string, unit: ScaledDecimal): number {
  const parsed = parseDecimal(text);
  if (parsed === undefined) throw E.illegalValue(name, 'not a decimal');
  if (parsed.digits < 0n) throw E.illegalValue(name, 'negative');
  const value = decimalToUnits(text, unit);
  if (value === undefined) throw E.badPrecision(name);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw E.illegalValue(name, 'too large');
  return Number(value);
}
