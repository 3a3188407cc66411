/**
 * @module test/journal/support/corruption
 * Helpers for the corruption tests: record boundaries of a segment file, recovery's verdict as a
 * plain value (a prefix with its stateHash, or a loud refusal), and the bit-flip sweep.
 */
import { writeFile } from 'node:fs/promises';
import { expect } from 'vitest';
import {
  JournalCorruptionError, recover, RECORD_FRAME_BYTES, SEGMENT_HEADER_BYTES, silentLogger, type JournalLogger,
} from '../../../src/journal/index.js';
import { NARROW_INSTRUMENTS, type BuiltJournal } from './fixtures.js';

/** End offsets of the records of a single-segment journal file. */
export function recordEnds(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [];
  for (let offset = SEGMENT_HEADER_BYTES; offset < bytes.length;) {
    offset += RECORD_FRAME_BYTES + view.getUint32(offset, true);
    ends.push(offset);
  }
  return ends;
}

export type Outcome = { kind: 'prefix'; records: number; stateHash: string; tornBytes: number } | { kind: 'refused'; message: string };

export async function recoverOutcome(dataDir: string, log: JournalLogger = silentLogger): Promise<Outcome> {
  try {
    const recovered = await recover({ dataDir, instruments: NARROW_INSTRUMENTS, log });
    return { kind: 'prefix', records: recovered.lastSeq, stateHash: recovered.engine.stateHash(), tornBytes: recovered.torn?.tornBytes ?? 0 };
  } catch (error) {
    if (error instanceof JournalCorruptionError) return { kind: 'refused', message: error.message };
    throw error;
  }
}

/**
 * Flips, one at a time, the bits `bitsOf(byte)` of every byte of a single-segment journal and
 * checks recovery's verdict for each; returns how many flips were checked.
 */
export async function flipBits(dataDir: string, segmentPath: string, original: Buffer, ends: number[], journal: BuiltJournal,
  bitsOf: (byte: number) => number[]): Promise<number> {
  const lastStart = ends.length >= 2 ? ends[ends.length - 2]! : SEGMENT_HEADER_BYTES;
  const mutated = Buffer.from(original);
  let checked = 0;
  for (let byte = 0; byte < original.length; byte++) {
    for (const bit of bitsOf(byte)) {
      mutated[byte] = original[byte]! ^ (1 << bit);
      await writeFile(segmentPath, mutated);
      const outcome = await recoverOutcome(dataDir);
      mutated[byte] = original[byte]!;
      checked++;
      if (byte >= lastStart) {
        const n = journal.commands.length - 1;
        expect(outcome, `byte ${byte} bit ${bit} (final record)`).toEqual({
          kind: 'prefix', records: n, stateHash: journal.prefixHashes[n], tornBytes: original.length - lastStart,
        });
      } else {
        expect(outcome.kind, `byte ${byte} bit ${bit}`).toBe('refused');
        if (outcome.kind === 'refused') expect(outcome.message).toMatch(/journal-0000000000000001\.seg at byte \d+/);
      }
    }
  }
  return checked;
}

