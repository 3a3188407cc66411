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
