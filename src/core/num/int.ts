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

/** Truncating division toward zero (JS bigint semantics), named so the direction is explicit. */
export function divTrunc(a: bigint, b: bigint): bigint {
  assert(b !== 0n, 'divTrunc by zero');
  return a / b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** Integer floor division for safe-integer JS numbers (both non-negative). */
export function divFloorInt(a: number, b: number): number {
  assert(b > 0 && a >= 0, 'divFloorInt needs a >= 0 and b > 0');
  return (a - (a % b)) / b;
}
