import fc from 'fast-check';
import { describe, it } from 'vitest';
import { COMMAND_WORDS, decodeCommand, DifferentialRun, type PriceWorld } from './book.differential.js';
import { createOrderBook, createReferenceBook } from './index.js';

/** Few prices and owners: constant crossing, shared levels, self-trades. */
const DENSE: PriceWorld = { maxPriceTicks: 40, anchors: [20], spread: 20, owners: 4 };
/** Clusters on bitmap word, page and layer boundaries of a 2^22-tick range (6 bitmap layers). */
const WIDE: PriceWorld = {
  maxPriceTicks: 4_194_304, anchors: [1, 1_023, 1_024, 32_768, 1_048_576, 2_000_000, 4_194_300], spread: 6, owners: 3,
};

function streamProperty(world: PriceWorld, maxCommands: number): fc.IPropertyWithHooks<[number[][], number[]]> {
  const command = fc.array(fc.nat({ max: 0xffffff }), { minLength: COMMAND_WORDS, maxLength: COMMAND_WORDS });
  const capacities = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 8 });
  return fc.property(fc.array(command, { minLength: 1, maxLength: maxCommands, size: 'max' }), capacities, (words, caps) => {
    const run = new DifferentialRun(createOrderBook, createReferenceBook, world, caps);
    for (const w of words) run.apply(decodeCommand(w, world));
  });
}

describe('fast book equals the reference book on random command streams', () => {
  it('dense prices', () => {
    fc.assert(streamProperty(DENSE, 120), { numRuns: 250, seed: 20240611 });
  });

  it('wide prices across bitmap and page boundaries', () => {
    fc.assert(streamProperty(WIDE, 80), { numRuns: 60, seed: 4242 });
  });

  it('fresh seed each run (dense)', () => {
    fc.assert(streamProperty(DENSE, 100), { numRuns: 100 });
  });
});
