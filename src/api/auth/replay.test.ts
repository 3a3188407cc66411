/**
 * The replay guard against a model: a signature is refused while an earlier admit of the same
 * (scope, signature) has not expired (expiry at the end of the one-second bucket holding
 * expiresAt), with the bound dropping the earliest-expiring bucket first. Signatures come from a
 * small pool so repeats, scope clashes and expiries all happen; the pool is large enough that the
 * typed arrays grow and entries are freed and reused.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayGuard, scopeHash } from './replay.js';

/** Signature number n: a SHA-256, as uniform as the HMACs the guard sees. */
const signatures = Array.from({ length: 2_501 }, (_, n) => createHash('sha256').update(String(n)).digest('hex'));
const hex = (n: number): string => signatures[n]!;

describe('replay guard', () => {
  it('refuses exactly the unexpired repeats of a (scope, signature)', () => {
    const step = fc.tuple(fc.integer({ min: 0, max: 2_500 }), fc.constantFrom('POST /a ', 'DELETE /a ', 'POST /b '),
      fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 6_000 }));
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 4_000 }), fc.integer({ min: 50, max: 5_000 }),
      (steps, maxEntries) => {
        const guard = new ReplayGuard(maxEntries);
        const model = new Map<string, number>(); // key → expiry bucket
        let nowMs = 10_000;
        for (const [n, scope, advanceMs, windowMs] of steps) {
          nowMs += advanceMs;
          const current = Math.floor(nowMs / 1000);
          for (const [key, bucket] of model) if (bucket < current) model.delete(key);
          const key = scope + hex(n);
          const expected = !model.has(key);
          const expiresAtMs = nowMs + windowMs;
          expect(guard.admit(scope, hex(n), expiresAtMs, nowMs)).toBe(expected);
          if (expected) model.set(key, Math.ceil(expiresAtMs / 1000));
          while (model.size > maxEntries) {
            const oldest = Math.min(...model.values());
            for (const [k, bucket] of model) if (bucket === oldest) model.delete(k);
          }
          expect(guard.size).toBe(model.size);
        }
      }), { numRuns: 40 });
  });

  it('keeps an entry reachable when an expiry empties the slot before its home', () => {
    // The table hash is the signature's first four bytes (little-endian) mixed with the scope's:
    // these two sit in neighbouring slots 10 and 11, each at home; expiring the first must not move
    // the second.
    const guard = new ReplayGuard();
    const mix = Math.imul(scopeHash('POST /x '), 0x9e3779b1);
    const atSlot = (slot: number, filler: string): string => {
      const first = Buffer.alloc(4);
      first.writeUInt32LE((slot ^ mix) >>> 0, 0); // so that the hash is `slot`
      return `${first.toString('hex')}${filler.repeat(28)}`;
    };
    const atTen = atSlot(10, '11');
    const atEleven = atSlot(11, '22');
    expect(guard.admit('POST /x ', atTen, 2_000, 1_000)).toBe(true);
    expect(guard.admit('POST /x ', atEleven, 60_000, 1_000)).toBe(true);
    expect(guard.admit('POST /x ', atEleven, 60_000, 5_000)).toBe(false); // atTen expired meanwhile
    expect(guard.size).toBe(1);
    expect(guard.admit('POST /x ', atTen, 60_000, 5_000)).toBe(true);
  });

  it('compares all 32 bytes and the scope, not just the hash', () => {
    const guard = new ReplayGuard();
    const a = 'ab'.repeat(32);
    const b = `${'ab'.repeat(31)}ac`; // same first bytes (same table hash), different signature
    expect(guard.admit('POST /x ', a, 5_000, 1_000)).toBe(true);
    expect(guard.admit('POST /x ', b, 5_000, 1_000)).toBe(true);
    expect(guard.admit('POST /y ', a, 5_000, 1_000)).toBe(true);
    expect(guard.admit('POST /x ', a.toUpperCase(), 5_000, 1_000)).toBe(false);
    expect(guard.admit('POST /x ', b, 5_000, 1_000)).toBe(false);
    expect(() => guard.admit('POST /x ', 'zz'.repeat(32), 5_000, 1_000)).toThrow(/64 hex digits/);
  });
});
