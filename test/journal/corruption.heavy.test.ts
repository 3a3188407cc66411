/**
 * @module test/journal/corruption.heavy.test
 * Exhaustive versions of corruption.test.ts: every single bit of a small journal and every single
 * bit of a snapshot file is flipped in turn, with the same verdicts required (drop a damaged final
 * record; refuse damage followed by intact records; skip a damaged snapshot for an older one
 * with the same final state), on journals from two seeds.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { listSegments, listSnapshots, recover, silentLogger } from '../../src/journal/index.js';
import { flipBits, recordEnds } from './support/corruption.js';
import { buildJournal, NARROW_INSTRUMENTS, tempDir } from './support/fixtures.js';

describe('every bit', () => {
  const dirs: { remove(): void }[] = [];
  afterAll(() => dirs.forEach((dir) => dir.remove()));

  for (const [count, seed] of [[12, 5], [10, 77]] as const) {
    it(`flips every bit of a ${count}-record journal (seed ${seed})`, async () => {
      const dir = tempDir();
      dirs.push(dir);
      const journal = await buildJournal(dir.path, count, { accounts: 2, seed });
      const [segment] = await listSegments(dir.path);
      const original = await readFile(segment!.path);
      const ends = recordEnds(original);
      const checked = await flipBits(dir.path, segment!.path, original, ends, journal, () => [0, 1, 2, 3, 4, 5, 6, 7]);
      expect(checked).toBe(original.length * 8);
    });
  }

  it('flips every bit of a snapshot', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const journal = await buildJournal(dir.path, 40, { accounts: 1, snapshotEveryCommands: 15, keepSnapshots: true });
    const [newest, older] = await listSnapshots(dir.path);
    const bytes = await readFile(newest!.path);
    let errors = 0;
    const log = { ...silentLogger, error: () => void errors++ };
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const mutated = Buffer.from(bytes);
      mutated[bit >> 3]! ^= 1 << (bit & 7);
      await writeFile(newest!.path, mutated);
      const recovered = await recover({ dataDir: dir.path, instruments: NARROW_INSTRUMENTS, log });
      expect(recovered.snapshotSeq, `bit ${bit}`).toBe(older!.seq);
      expect(recovered.engine.stateHash()).toBe(journal.prefixHashes[40]);
    }
    expect(errors).toBe(bytes.length * 8);
  });
});
