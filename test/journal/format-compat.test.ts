/**
 * On-disk formats stay readable: a data directory written by main at de8f6a3 (journal records of
 * command codec 1, snapshots of state format 1, at seq 1,801 and 3,000; test/journal/fixtures)
 * recovers with today's code from either snapshot or from the journal alone, passes the auditor,
 * and the state restored from the newest snapshot holds exactly the balances, positions and
 * orders the old engine reported when it wrote it.
 */
import { cpSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDurableVenue, silentLogger, type DurableVenue } from '../../src/journal/index.js';
import { NARROW_INSTRUMENTS, tempDir } from './support/fixtures.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'main-de8f6a3');

interface ExpectedView {
  readonly accountId: number;
  readonly crossWalletE8: string;
  readonly walletBalanceE8: string;
  readonly positions: readonly { symbol: string; sizeLots: number; costE8: string; isolatedWalletE8: string }[];
}

const expected = JSON.parse(readFileSync(`${FIXTURE}.expected.json`, 'utf8')) as {
  seq: number; ledger: Record<string, string | number>; openOrders: number; views: ExpectedView[];
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function openVenue(path: string): Promise<DurableVenue> {
  const venue = await openDurableVenue({ dataDir: path, instruments: NARROW_INSTRUMENTS, fsync: false, tickIntervalMs: 0,
    logger: silentLogger, verifyOnOpen: true });
  cleanups.push(() => void venue.close());
  return venue;
}

async function recoverCopy(keepSnapshots: (name: string) => boolean): Promise<{ venue: DurableVenue; path: string }> {
  const dir = tempDir('perpx-compat-');
  cleanups.push(() => dir.remove());
  cpSync(FIXTURE, dir.path, { recursive: true });
  for (const name of readdirSync(dir.path)) if (name.endsWith('.snap') && !keepSnapshots(name)) unlinkSync(join(dir.path, name));
  return { venue: await openVenue(dir.path), path: dir.path };
}

describe('files written by main de8f6a3', () => {
  it('restore from the newest format-1 snapshot to the state the old engine reported', async () => {
    const { venue, path } = await recoverCopy(() => true);
    expect(venue.recovery.snapshotSeq).toBe(3000);
    const engine = venue.engine;
    expect(engine.lastSeq).toBe(expected.seq);
    expect(engine.checkInvariants(true)).toEqual([]);
    const ledger = engine.ledger();
    for (const key of ['depositsE8', 'withdrawalsE8', 'walletsE8', 'unrealizedPnlE8', 'insuranceFundE8', 'feePoolE8']) {
      expect(String(ledger[key as keyof typeof ledger])).toBe(String(expected.ledger[key]));
    }
    expect(engine.allOpenOrders()).toHaveLength(expected.openOrders);
    for (const view of expected.views) {
      const now = engine.accountView(view.accountId)!;
      expect(String(now.crossWalletE8)).toBe(view.crossWalletE8);
      expect(String(now.walletBalanceE8)).toBe(view.walletBalanceE8);
      const positions = (list: readonly { symbol: string; sizeLots: number; costE8: unknown; isolatedWalletE8: unknown }[]) =>
        list.map((p) => [p.symbol, p.sizeLots, String(p.costE8), String(p.isolatedWalletE8)]).sort();
      expect(positions(now.positions)).toEqual(positions(view.positions));
    }
    // The next snapshot is written in today's format and restores to the same state.
    const hash = engine.stateHash();
    await venue.snapshot();
    await venue.close();
    const reopened = await openVenue(path);
    expect(reopened.recovery.snapshotSeq).toBe(3000);
    expect(reopened.engine.stateHash()).toBe(hash);
    await reopened.close();
  });

  it('recover from the older format-1 snapshot plus the journal tail, and from the journal alone', async () => {
    for (const keep of [(name: string) => name.includes('1801'), () => false]) {
      const { venue } = await recoverCopy(keep);
      expect(venue.engine.lastSeq).toBe(expected.seq);
      expect(venue.recovery.snapshotSeq).toBe(keep('snapshot-0000000000001801.snap') ? 1801 : 0);
      expect(venue.engine.checkInvariants(true)).toEqual([]);
      expect(venue.engine.ledger().depositsE8).toBe(BigInt(expected.ledger['depositsE8']!));
      await venue.close();
    }
  });
});
