/**
 * @module test/journal/crc32c.test
 * CRC-32C: the published check value, agreement of the slicing-by-8 implementation with a plain
 * bit-at-a-time reference on random inputs and split points, and single-bit-error detection.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/journal/crc32c.js';

/** Bitwise CRC-32C straight from the definition (reflected polynomial 0x82F63B78). */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc & 1) !== 0 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the CRC-32C check value of "123456789" (0xE3069283, RFC 3720 / Castagnoli)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(referenceCrc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('matches the RFC 3720 B.4 vectors: 32 zero bytes and 32 0xFF bytes', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it('agrees with the bitwise reference on random data, ranges and continuation', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      expect(crc32c(bytes)).toBe(referenceCrc32c(bytes));
      const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
      const end = start + (bytes.length === start ? 0 : b % (bytes.length - start + 1));
      expect(crc32c(bytes, start, end)).toBe(referenceCrc32c(bytes.subarray(start, end)));
      // Continuing from a prefix's CRC equals the CRC of the whole.
      expect(crc32c(bytes, start, bytes.length, crc32c(bytes, 0, start))).toBe(crc32c(bytes));
    }), { numRuns: 500 });
  });

  it('detects every single-bit flip in a 64-byte buffer', () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
    const clean = crc32c(bytes);
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      bytes[bit >> 3]! ^= 1 << (bit & 7);
      expect(crc32c(bytes)).not.toBe(clean);
      bytes[bit >> 3]! ^= 1 << (bit & 7);
    }
  });
});
