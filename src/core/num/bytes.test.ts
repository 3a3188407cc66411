/** Round trips and byte-exact encodings of the varint/zigzag codec, including the fast paths. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from './bytes.js';

/** The plain (slow-path) encoding, to check the fast path writes identical bytes. */
function slowEncode(value: bigint): number[] {
  let rest = value < 0n ? -value * 2n - 1n : value * 2n;
  const bytes: number[] = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

describe('bytes', () => {
  it('bigint round-trips and matches the reference encoding, across the fast-path boundaries', () => {
    const edges = [0n, 1n, -1n, 63n, -64n, 64n, 2n ** 48n - 1n, 2n ** 48n, -(2n ** 48n), 2n ** 52n - 1n, 2n ** 52n, -(2n ** 52n),
      2n ** 53n, -(2n ** 53n) - 1n, 2n ** 64n, -(2n ** 100n)];
    fc.assert(fc.property(fc.oneof(fc.bigInt(), fc.constantFrom(...edges)), (value) => {
      const writer = new ByteWriter(4);
      writer.big(value);
      const bytes = writer.finish();
      expect([...bytes]).toEqual(slowEncode(value));
      const reader = new ByteReader(bytes);
      expect(reader.big()).toBe(value);
      expect(reader.remaining).toBe(0);
    }), { numRuns: 2000 });
  });

  it('strings are length-prefixed UTF-8 on the ASCII fast path and off it, and round-trip', () => {
    const utf8 = new TextEncoder();
    const strings = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 70 }),
      fc.constantFrom('', 'BTCUSDT', 'a'.repeat(64), 'a'.repeat(65), 'é', `${'a'.repeat(63)}é`));
    fc.assert(fc.property(strings, (value) => {
      const writer = new ByteWriter(2);
      writer.string(value);
      const expected = new ByteWriter(2);
      const encoded = utf8.encode(value);
      expected.uint(encoded.length);
      expected.bytes(encoded);
      const bytes = writer.finish();
      expect([...bytes]).toEqual([...expected.finish()]);
      const copy = new Uint8Array(writer.size + 3);
      writer.copyTo(copy, 3);
      expect([...copy.subarray(3)]).toEqual([...bytes]);
      const reader = new ByteReader(bytes);
      // Lone surrogates become U+FFFD in UTF-8, as the encoder writes them.
      expect(reader.string()).toBe(new TextDecoder().decode(encoded));
    }), { numRuns: 2000 });
  });

  it('reset reuses the writer', () => {
    const writer = new ByteWriter(2);
    writer.string('first');
    writer.reset();
    writer.uint(300);
    expect([...writer.finish()]).toEqual([0xac, 0x02]);
  });

  it('refuses truncated input loudly', () => {
    expect(() => new ByteReader(new Uint8Array([0x80, 0x80])).big()).toThrow(/corrupt encoding/);
  });
});
