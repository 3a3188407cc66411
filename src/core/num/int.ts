/**
 * @module num/int
 * Exact integer arithmetic for money. Every division names its rounding direction; callers pick
 * the one that favours the venue (fees and margins up, payouts down) and say so at the call site.
 */
import { assert } from '../assert.js';

/** floor(a / b) for bigint, any signs; b must be non-zero. */
export function divFloor(a: bigint, b: bigint): bigint {
  // Fast path for the common case (both positive): truncation is floor.
  if (a >= 0n && b > 0n) return a / b;
  assert(b !== 0n, 'divFloor by zero');
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** ceil(a / b) for bigint, any signs; b must be non-zero. */
export function divCeil(a: bigint, b: bigint): bigint {
  // Fast path for the common case (both positive): one division instead of a division and a remainder.
  if (a >= 0n && b > 0n) return (a + b - 1n) / b;
  assert(b !== 0n, 'divCeil by zero');
  const q = a / b;
  return (a % b !== 0n && (a < 0n) === (b < 0n)) ? q + 1n : q;
}

/** Rounds a / b to the nearest integer, ties away from zero (used only for published prices). */
export function divRoundHalfAway(a: bigint, b: bigint): bigint {
  assert(b !== 0n, 'divRound by zero');
  const negative = (a < 0n) !== (b < 0n);
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const q = (absA * 2n + absB) / (absB * 2n);
  return negative ? -q : q;
}

/** Truncating division toward zero (JS bigint semantics), named so the direction is explicit. */
export function divTrunc(a: bigint, b: bigint): bigint {
  assert(b !== 0n, 'divTrunc by zero');
  return a / b;
}

export function absBig(a: bigint): bigint {
  return a < 0n ? -a : a;
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function signBig(a: bigint): -1 | 0 | 1 {
  return a > 0n ? 1 : a < 0n ? -1 : 0;
}

/** Integer floor division for safe-integer JS numbers (both non-negative). */
export function divFloorInt(a: number, b: number): number {
  assert(b > 0 && a >= 0, 'divFloorInt needs a >= 0 and b > 0');
  return (a - (a % b)) / b;
}
