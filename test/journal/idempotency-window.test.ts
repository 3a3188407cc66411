/**
 * @module test/journal/idempotency-window.test
 * Idempotency window: both bounds (key count, command-time age) evict oldest-first; serialize +
 * restore reproduces the window exactly, so the window rebuilt from a snapshot and then fed the
 * same tail equals the live one (checked against a naive model with fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdempotencyWindow } from '../../src/journal/index.js';
import { windowKeyHash } from '../../src/journal/idempotency-window.js';

/** The obvious model: an array of entries, trimmed from the front. */
function model(entries: { key: string; seq: number; atMs: number }[], maxKeys: number, maxAgeMs: number) {
  const live: { key: string; seq: number; atMs: number }[] = [];
  for (const entry of entries) {
    live.push(entry);
    while (live.length > maxKeys) live.shift();
    while (live.length > 0 && live[0]!.atMs < entry.atMs - maxAgeMs) live.shift();
  }
  return live;
}

const stream = fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 40 })), { maxLength: 400 })
  .map((steps) => {
    let atMs = 1_000;
    return steps.map(([key, gap], index) => {
      atMs += gap;
      // Keys are unique per entry (the venue never adds a key that is still present).
      return { key: `k${key}-${index}`, seq: index + 1, atMs };
    });
  });

/**
 * Feeds `entries` (restoring from serialize() before entry `cut` mod length), then checks every key
 * against the model: the newest live entry answers for it, or none when it left the window.
 */
function checkAgainstModel(entries: { key: string; seq: number; atMs: number }[], maxKeys: number, maxAgeMs: number,
  cut: number): void {
  const options = { maxKeys, maxAgeMs };
  let window = new IdempotencyWindow(options);
  const split = entries.length === 0 ? 0 : cut % entries.length;
  entries.forEach((entry, index) => {
    if (index === split) window = IdempotencyWindow.restore(window.serialize(), options);
    window.advance(entry.atMs);
    window.add(entry.key, entry.seq, entry.atMs, entry.seq * 7);
  });
  const live = model(entries, maxKeys, maxAgeMs);
  expect(window.size).toBe(live.length);
  const newest = new Map(live.map((entry) => [entry.key, entry]));
  for (const { key } of entries) {
    const expected = newest.get(key);
    expect(window.get(key)).toEqual(expected === undefined ? undefined
      : { seq: expected.seq, atMs: expected.atMs, bodyCrc: expected.seq * 7 });
  }
  expect(IdempotencyWindow.restore(window.serialize(), options).serialize()).toEqual(window.serialize());
}

describe('idempotency window', () => {
  it('matches the model for any bounds, and survives serialize/restore at any point', () => {
    fc.assert(fc.property(stream, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 300 }), fc.nat(),
      checkAgainstModel), { numRuns: 300 });
  });

  it('matches the model with repeated keys (the newest answers), any characters, and short and long keys', () => {
    // Well-formed text: snapshots and journal records carry keys as UTF-8, as the venue's keys are.
    const keyText = fc.oneof(fc.constantFrom('', 'a', 'b', 'order:1:x', 'é€😀'), fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ maxLength: 3000 }));
    const entries = fc.array(fc.tuple(keyText, fc.integer({ min: 0, max: 30 })), { maxLength: 300 }).map((steps) => {
      let atMs = 5_000;
      return steps.map(([key, gap], index) => ({ key, seq: index + 1, atMs: (atMs += gap) }));
    });
    fc.assert(fc.property(entries, fc.integer({ min: 1, max: 80 }), fc.integer({ min: 0, max: 400 }), fc.nat(), checkAgainstModel),
      { numRuns: 300 });
  });

  it('serializes keys that wrap around the end of its character ring', () => {
    const options = { maxKeys: 3, maxAgeMs: 1_000_000 };
    const window = new IdempotencyWindow(options);
    const key = (i: number): string => `${i}:`.padEnd(5_000 + (i % 7) * 333, String.fromCharCode(97 + (i % 26)));
    for (let i = 0; i < 60; i++) {
      window.add(key(i), i + 1, i, i);
      // A window built fresh from the same live keys lays them out from offset 0, without wrapping.
      const fresh = new IdempotencyWindow(options);
      for (let j = Math.max(0, i - 2); j <= i; j++) fresh.add(key(j), j + 1, j, j);
      expect(window.serialize()).toEqual(fresh.serialize());
      expect(IdempotencyWindow.restore(window.serialize(), options).get(key(i))).toEqual({ seq: i + 1, atMs: i, bodyCrc: i });
    }
  });

  it('keeps two different keys with the same hash apart', () => {
    const byHash = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const key = `order:${i}:collide`;
      const other = byHash.get(windowKeyHash(key));
      if (other !== undefined) pair = [other, key];
      byHash.set(windowKeyHash(key), key);
    }
    const window = new IdempotencyWindow({ maxKeys: 10, maxAgeMs: 1_000_000 });
    window.add(pair[0], 1, 1, 11);
    expect(window.get(pair[1])).toBeUndefined();
    window.add(pair[1], 2, 2, 22);
    expect(window.get(pair[0])).toEqual({ seq: 1, atMs: 1, bodyCrc: 11 });
    expect(window.get(pair[1])).toEqual({ seq: 2, atMs: 2, bodyCrc: 22 });
    for (let i = 3; i <= 11; i++) window.add(`filler-${i}`, i, i, 0);
    expect(window.get(pair[0])).toBeUndefined();
    expect(window.get(pair[1])?.seq).toBe(2);
  });

  it('evicts by count across many compactions', () => {
    const window = new IdempotencyWindow({ maxKeys: 1000, maxAgeMs: Number.MAX_SAFE_INTEGER });
    for (let i = 1; i <= 50_000; i++) window.add(`key-${i}`, i, i, i);
    expect(window.size).toBe(1000);
    expect(window.get('key-49000')).toBeUndefined();
    expect(window.get('key-49001')).toEqual({ seq: 49_001, atMs: 49_001, bodyCrc: 49_001 });
    expect(window.get('key-50000')?.seq).toBe(50_000);
  });

  it('evicts by command time, not wall time', () => {
    const window = new IdempotencyWindow({ maxKeys: 10, maxAgeMs: 100 });
    window.add('a', 1, 1_000, 0);
    window.add('b', 2, 1_050, 0);
    window.advance(1_100);
    expect(window.get('a')).toBeDefined();
    window.advance(1_101);
    expect(window.get('a')).toBeUndefined();
    expect(window.get('b')).toBeDefined();
  });

  it('applies smaller bounds to a restored window', () => {
    const window = new IdempotencyWindow({ maxKeys: 100, maxAgeMs: 1_000_000 });
    for (let i = 1; i <= 50; i++) window.add(`k${i}`, i, i, 0);
    const smaller = IdempotencyWindow.restore(window.serialize(), { maxKeys: 10, maxAgeMs: 1_000_000 });
    expect(smaller.size).toBe(10);
    expect(smaller.get('k40')).toBeUndefined();
    expect(smaller.get('k41')?.seq).toBe(41);
  });
});
