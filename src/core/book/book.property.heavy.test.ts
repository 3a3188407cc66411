import fc from 'fast-check';
import { describe, it } from 'vitest';
import { COMMAND_WORDS, decodeCommand, DifferentialRun, type PriceWorld } from './book.differential.js';
import { createOrderBook, createReferenceBook } from './index.js';

// Same differential property as book.property.test.ts, with longer streams, more runs and the
// full BTCUSDT tick range (where a checkIntegrity pass scans 1.4 million bitmap words). Run counts halved
// in 2026-12 (CI time: this file was 6 of its 25 heavy minutes; the book has been unchanged since).
const DENSE: PriceWorld = { maxPriceTicks: 40, anchors: [20], spread: 20, owners: 4 };
const MEDIUM: PriceWorld = { maxPriceTicks: 5_000, anchors: [1_000, 1_024, 2_047, 2_048], spread: 30, owners: 6 };
const BTC: PriceWorld = {
  maxPriceTicks: 45_297_640, anchors: [1, 1_024, 950_000, 33_554_432, 45_297_635], spread: 10, owners: 3,
};

function streamProperty(world: PriceWorld, maxCommands: number): fc.IPropertyWithHooks<[number[][], number[]]> {
  const command = fc.array(fc.nat({ max: 0xffffff }), { minLength: COMMAND_WORDS, maxLength: COMMAND_WORDS });
  const capacities = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 8 });
  return fc.property(fc.array(command, { minLength: 1, maxLength: maxCommands, size: 'max' }), capacities, (words, caps) => {
    const run = new DifferentialRun(createOrderBook, createReferenceBook, world, caps);
    for (const w of words) run.apply(decodeCommand(w, world));
  });
}

describe('fast book equals the reference book (heavy)', () => {
  it('dense prices, long streams', () => {
    fc.assert(streamProperty(DENSE, 600), { numRuns: 1_500 });
  });

  it('medium range, many owners', () => {
    fc.assert(streamProperty(MEDIUM, 800), { numRuns: 500 });
  });

  it('full BTCUSDT tick range', () => {
    fc.assert(streamProperty(BTC, 150), { numRuns: 30 });
  });
});
