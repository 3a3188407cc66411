/**
 * @module assert
 * Assertions that stay on in production. A failed assertion means a broken invariant or a
 * programmer error, never a business-rule failure (those are reject events). Crash-only: nothing
 * in the core catches AssertionFailure; the process dies and recovers from snapshot + journal.
 */

export class AssertionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionFailure';
  }
}

/** Throws AssertionFailure when `condition` is false. */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AssertionFailure(message);
}

/** For exhaustive switches: the compiler proves the default is unreachable; this proves it at run time. */
export function assertNever(value: never, what: string): never {
  throw new AssertionFailure(`unexpected ${what}: ${String(value)}`);
}

/** Asserts an integer JS number within the safe range (used for ticks, lots, ids). */
export function assertSafeInt(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new AssertionFailure(`${what} must be a safe integer, got ${value}`);
}
