/**
 * @module test/journal/durable-venue.test
 * The durable venue in one process: acknowledgement strictly after the group fsync and in seq
 * order, group commit, exactly-once (duplicates, in-flight duplicates, conflicts, after a crash,
 * re-derived events), the dedupe window's bounds, the clock rule, ticks, failing closed on I/O or
 * engine failure, refusing unjournalable commands, replay for read models, recovery equal to a
 * full replay, snapshots (cadence, retention, never ahead of the journal), and the data
 * directory's lock and instrument manifest. A "crash" here is a copy of the data directory taken
 * while the venue is running (what a SIGKILL leaves); the real kill tests are crash.heavy.test.ts.
 */
import { cpSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { AssertionFailure, DEFAULT_INSTRUMENTS, type Command, type EngineEvent, type UnsequencedCommand } from '../../src/core/index.js';
import {
  CodecError, DataDirLockedError, IdempotencyConflictError, JournalFailedError, listSnapshots, openDurableVenue, recover,
  silentLogger, verifyDataDir, VenueClosedError, type DurableVenue, type DurableVenueOptions,
} from '../../src/journal/index.js';
import type { CommandOutcome, CommittedEntry } from '../../src/venue/venue.js';
import { NARROW_INSTRUMENTS, steppingClock, tempDir } from './support/fixtures.js';
import { Workload } from './support/workload.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(options: Partial<DurableVenueOptions> = {}, dataDir?: string): Promise<DurableVenue> {
  let path = dataDir;
  if (path === undefined) {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    path = dir.path;
  }
  const venue = await openDurableVenue({
    dataDir: path, instruments: NARROW_INSTRUMENTS, fsync: false, tickIntervalMs: 0, logger: silentLogger, clock: steppingClock(),
    ...options,
  });
  cleanups.push(() => venue.close().catch(() => undefined));
  return venue;
}

/** What a SIGKILL leaves behind: the directory as it is right now, minus the lock's owner. */
function crashCopy(venue: DurableVenue): string {
  const dir = tempDir('perpx-crash-copy-');
  cleanups.push(() => dir.remove());
  cpSync(venue.dataDir, dir.path, { recursive: true });
  return dir.path;
}

function gate(): { wait: () => Promise<void>; open: () => void; waiting: () => boolean } {
  let release: (() => void) | undefined;
  let blocked = new Promise<void>((resolve) => {
    release = resolve;
  });
  let count = 0;
  return {
    wait: () => {
      count++;
      return blocked;
    },
    open: () => {
      release?.();
      blocked = Promise.resolve();
    },
    waiting: () => count > 0,
  };
}

const tick: UnsequencedCommand = { type: 'Tick' };
const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

async function drive(venue: DurableVenue, workload: Workload, count: number, concurrency = 16): Promise<Map<string, CommandOutcome>> {
  const outcomes = new Map<string, CommandOutcome>();
  let left = count;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (left-- > 0) {
      const item = workload.next();
      outcomes.set(item.idempotencyKey, await venue.submit(item.command, { idempotencyKey: item.idempotencyKey }));
    }
  }));
  return outcomes;
}

describe('acknowledgement and group commit', () => {
  it('applies at once but resolves and publishes only after the fsync, in seq order, in shared batches', async () => {
    const hold = gate();
    const venue = await open({ testHooks: { beforeSync: hold.wait } });
    cleanups.push(hold.open);
    const published: number[] = [];
    const resolved: number[] = [];
    venue.subscribe((entry) => published.push(entry.command.seq));
    const first = venue.submit(tick).then((outcome) => resolved.push(outcome.seq));
    await flush();
    expect(hold.waiting()).toBe(true);
    const rest = Array.from({ length: 50 }, () => venue.submit(tick).then((outcome) => resolved.push(outcome.seq)));
    await flush();
    expect(venue.engine.lastSeq).toBe(51);
    expect(venue.durableSeq).toBe(0);
    expect(published).toEqual([]);
    expect(resolved).toEqual([]);
    hold.open();
    await Promise.all([first, ...rest]);
    const expected = Array.from({ length: 51 }, (_, i) => i + 1);
    expect(published).toEqual(expected);
    expect(resolved).toEqual(expected);
    // The 50 commands that arrived during the first fsync shared the second one.
    expect(venue.stats().writer.batches).toBe(2);
  });

  it('never publishes a snapshot ahead of the durable journal', async () => {
    const hold = gate();
    const venue = await open({ testHooks: { beforeSync: hold.wait } });
    cleanups.push(hold.open);
    const pending = venue.submit(tick);
    await flush();
    const snapshot = venue.snapshot();
    await flush();
    expect(await listSnapshots(venue.dataDir)).toEqual([]);
    hold.open();
    await pending;
    await snapshot;
    expect((await listSnapshots(venue.dataDir)).map((file) => file.seq)).toEqual([1]);
  });
});

describe('exactly-once', () => {
  it('answers a retried key with the original outcome and does not apply it again', async () => {
    const venue = await open();
    const workload = new Workload({ seed: 3, accounts: 4 });
    const outcomes = await drive(venue, workload, 200);
    const lastSeq = venue.engine.lastSeq;
    const hash = venue.engine.stateHash();
    const again = new Workload({ seed: 3, accounts: 4 });
    for (let i = 0; i < 200; i++) {
      const item = again.next();
      const original = outcomes.get(item.idempotencyKey)!;
      const retry = await venue.submit(item.command, { idempotencyKey: item.idempotencyKey });
      expect(retry).toEqual({ ...original, duplicate: true });
    }
    expect(venue.engine.lastSeq).toBe(lastSeq);
    expect(venue.engine.stateHash()).toBe(hash);
  });

  it('keeps no request text alive through a remembered key (a key sliced from a body holds the whole body)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const venue = await open({ outcomeCacheSize: 0 });
    const account = (await venue.submit({ type: 'CreateAccount', parentAccountId: 0 })).events[0] as { accountId: number };
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200; i++) {
      // What the API does: the key embeds a client order id parsed out of a (here 500 KB) request body.
      const body = `newClientOrderId=client-order-${i.toString().padStart(8, '0')}&${'x'.repeat(500_000 + i)}`;
      const clientOrderId = body.slice('newClientOrderId='.length, body.indexOf('&'));
      await venue.submit({ type: 'Deposit', accountId: account.accountId, amountE8: 1n }, { idempotencyKey: `order:1:${clientOrderId}` });
    }
    gc();
    // 200 retained bodies would be ~100 MB (a plain Map keyed by such slices keeps them all); the
    // keys alone are ~10 KB. The window copies keys out of the string they came in.
    expect(venue.stats().windowKeys).toBe(200);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20_000_000);
  });

  it('answers a duplicate of a command still in flight once the original is durable', async () => {
    const hold = gate();
    const venue = await open({ testHooks: { beforeSync: hold.wait } });
    cleanups.push(hold.open);
    const deposit: UnsequencedCommand = { type: 'FundInsurance', amountE8: 5n };
    const first = venue.submit(deposit, { idempotencyKey: 'fund-1' });
    const second = venue.submit(deposit, { idempotencyKey: 'fund-1' });
    await flush();
    expect(venue.engine.lastSeq).toBe(1);
    hold.open();
    const [a, b] = await Promise.all([first, second]);
    expect(a.duplicate).toBe(false);
    expect(b).toEqual({ ...a, duplicate: true });
  });

  it('refuses a key reused for a different command', async () => {
    const venue = await open();
    await venue.submit({ type: 'FundInsurance', amountE8: 5n }, { idempotencyKey: 'k' });
    await expect(venue.submit({ type: 'FundInsurance', amountE8: 6n }, { idempotencyKey: 'k' })).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(venue.engine.lastSeq).toBe(1);
  });

  it('after a crash: the window is rebuilt and events are re-derived by replay', async () => {
    const venue = await open({ snapshotEveryCommands: 70 });
    const workload = new Workload({ seed: 9, accounts: 5 });
    const outcomes = await drive(venue, workload, 400);
    // Snapshots are written in the background: copy once one is on disk, so recovery starts from it.
    while (venue.stats().lastSnapshotSeq === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const copy = crashCopy(venue);
    await venue.close();
    // No outcome cache: every duplicate answer comes from a replay on a scratch engine.
    const recovered = await open({ outcomeCacheSize: 0, clock: steppingClock(Date.UTC(2024, 0, 1, 1)) }, copy);
    expect(recovered.recovery.snapshotSeq).toBeGreaterThan(0);
    const again = new Workload({ seed: 9, accounts: 5 });
    for (let i = 0; i < 400; i++) {
      const item = again.next();
      if (i % 7 !== 0) continue;
      const retry = await recovered.submit(item.command, { idempotencyKey: item.idempotencyKey });
      expect(retry).toEqual({ ...outcomes.get(item.idempotencyKey)!, duplicate: true });
    }
    expect(recovered.engine.lastSeq).toBe(venue.engine.lastSeq);
  });

  it('forgets keys beyond the window bounds (and applies such a retry as new, as documented)', async () => {
    const venue = await open({ idempotency: { maxKeys: 5 } });
    const first = await venue.submit({ type: 'FundInsurance', amountE8: 1n }, { idempotencyKey: 'old' });
    for (let i = 0; i < 5; i++) await venue.submit({ type: 'FundInsurance', amountE8: 1n }, { idempotencyKey: `k${i}` });
    expect((await venue.submit({ type: 'FundInsurance', amountE8: 1n }, { idempotencyKey: 'k0' })).duplicate).toBe(true);
    const late = await venue.submit({ type: 'FundInsurance', amountE8: 1n }, { idempotencyKey: 'old' });
    expect(late.duplicate).toBe(false);
    expect(late.seq).toBeGreaterThan(first.seq);
    expect(venue.stats().windowKeys).toBe(5);

    let now = Date.UTC(2024, 0, 1);
    const aging = await open({ idempotency: { maxAgeMs: 60_000 }, clock: () => now });
    await aging.submit(tick, { idempotencyKey: 'a' });
    now += 60_000;
    expect((await aging.submit(tick, { idempotencyKey: 'a' })).duplicate).toBe(true);
    now += 1;
    await aging.submit(tick);
    expect((await aging.submit(tick, { idempotencyKey: 'a' })).duplicate).toBe(false);
  });
});

describe('time', () => {
  it('stamps max(clock, last atMs): time never goes backwards', async () => {
    const readings = [5_000, 7_000, 6_000, 6_500, 9_000, 1_000];
    const venue = await open({ clock: () => readings.shift() ?? 0 });
    const stamps: number[] = [];
    for (let i = 0; i < 6; i++) stamps.push((await venue.submit(tick)).atMs);
    expect(stamps).toEqual([5_000, 7_000, 7_000, 7_000, 9_000, 9_000]);
  });

  it('submits a Tick every tickIntervalMs', async () => {
    const venue = await open({ tickIntervalMs: 5, clock: Date.now });
    const seen: Command[] = [];
    venue.subscribe((entry) => seen.push(entry.command));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((command) => command.type === 'Tick')).toBe(true);
  });
});

describe('failing closed', () => {
  it('on a failed fsync: rejects what is pending, refuses new commands, never syncs again', async () => {
    let batches = 0;
    const venue = await open({
      testHooks: {
        beforeSync: () => {
          batches++;
          return batches === 2 ? Promise.reject(new Error('EIO: simulated fsync failure')) : Promise.resolve();
        },
      },
      fsync: true,
    });
    const ok = await venue.submit(tick);
    const doomed = [venue.submit(tick), venue.submit(tick)];
    for (const promise of doomed) await expect(promise).rejects.toBeInstanceOf(JournalFailedError);
    expect(venue.failure?.message).toMatch(/EIO: simulated fsync failure/);
    await expect(venue.submit(tick)).rejects.toBeInstanceOf(JournalFailedError);
    const syncs = venue.stats().writer.syncs;
    await flush();
    expect(venue.stats().writer.syncs).toBe(syncs);
    await venue.close();
    const reopened = await open({}, venue.dataDir);
    expect(reopened.engine.lastSeq).toBeGreaterThanOrEqual(ok.seq);
  });

  it('on an engine assertion: the command is not journaled, so a restart does not trip over it', async () => {
    const venue = await open();
    await venue.submit(tick);
    const apply = venue.engine.apply.bind(venue.engine);
    venue.engine.apply = (command: Command): EngineEvent[] => {
      if (command.type === 'FundInsurance') throw new AssertionFailure('simulated broken invariant');
      return apply(command);
    };
    await expect(venue.submit({ type: 'FundInsurance', amountE8: 1n })).rejects.toThrow(/engine assertion while applying seq 2/);
    await expect(venue.submit(tick)).rejects.toBeInstanceOf(JournalFailedError);
    await venue.close();
    const reopened = await open({}, venue.dataDir);
    expect(reopened.engine.lastSeq).toBe(1);
  });

  it('refuses a command it cannot journal faithfully, before giving it a seq', async () => {
    const venue = await open();
    await expect(venue.submit({ type: 'SetIndexPrice', symbol: 'BTC\ud800', priceTicks: 1 })).rejects.toBeInstanceOf(CodecError);
    expect(venue.engine.lastSeq).toBe(0);
    expect((await venue.submit(tick)).seq).toBe(1);
  });

  it('refuses commands after close', async () => {
    const venue = await open();
    await venue.close();
    await expect(venue.submit(tick)).rejects.toBeInstanceOf(VenueClosedError);
  });
});

describe('recovery, replay and snapshots', () => {
  it('recovers after a crash to the live state, which a full replay from seq 1 reproduces', async () => {
    const venue = await open({ snapshotEveryCommands: 250, segmentSizeBytes: 16 * 1024 });
    await drive(venue, new Workload({ seed: 21, accounts: 12 }), 1500);
    const live = venue.engine.stateHash();
    const copy = crashCopy(venue);
    const recovered = await open({}, copy);
    expect(recovered.engine.stateHash()).toBe(live);
    expect(recovered.recovery.snapshotSeq).toBeGreaterThan(0);
    expect(recovered.recovery.replayedCommands).toBe(venue.engine.lastSeq - recovered.recovery.snapshotSeq);
    const full = await recover({ dataDir: copy, instruments: NARROW_INSTRUMENTS, log: silentLogger, fromScratch: true });
    expect(full.engine.stateHash()).toBe(live);
    expect(full.engine.checkInvariants()).toEqual([]);
    await recovered.close();
    const report = await verifyDataDir(copy);
    expect(report.problems).toEqual([]);
    expect(report.fullReplay?.stateHash).toBe(report.snapshotRecovery?.stateHash);
  });

  it('replays committed entries (commands and events) from any seq, across snapshots', async () => {
    const venue = await open({ snapshotEveryCommands: 100 });
    const live: CommittedEntry[] = [];
    venue.subscribe((entry) => live.push(entry));
    await drive(venue, new Workload({ seed: 4, accounts: 6 }), 450, 4);
    for (const fromSeq of [1, 150, 301, venue.durableSeq, venue.durableSeq + 1]) {
      const replayed: CommittedEntry[] = [];
      await venue.replay(fromSeq, (entry) => replayed.push(entry));
      expect(replayed).toEqual(live.slice(fromSeq - 1));
    }
  });

  it('snapshots on clean shutdown (the next open replays nothing) and keeps the newest few', async () => {
    const venue = await open({ snapshotEveryCommands: 40, snapshotsToKeep: 2 });
    await drive(venue, new Workload({ seed: 8, accounts: 3 }), 300, 1);
    await venue.close();
    const snapshots = await listSnapshots(venue.dataDir);
    expect(snapshots.map((file) => file.seq)).toEqual([venue.engine.lastSeq, snapshots[1]!.seq]);
    expect(snapshots[1]!.seq).toBeLessThan(venue.engine.lastSeq);
    await writeFile(join(venue.dataDir, 'snapshot-0000000000000999.snap.tmp'), 'half a snapshot');
    // The directory is shared (read models, API keys): other components' temp files are not ours.
    await writeFile(join(venue.dataDir, 'read-model.db.tmp'), 'someone else');
    const warnings: string[] = [];
    const reopened = await open({ logger: { ...silentLogger, warn: (fields) => warnings.push(String(fields['file'])) } }, venue.dataDir);
    expect(reopened.recovery).toMatchObject({ snapshotSeq: venue.engine.lastSeq, replayedCommands: 0, truncatedBytes: 0 });
    expect(reopened.engine.stateHash()).toBe(venue.engine.stateHash());
    expect(warnings).toEqual(['snapshot-0000000000000999.snap.tmp']);
    expect((await readdir(venue.dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual(['read-model.db.tmp']);
  });
});

describe('the data directory', () => {
  it('has one owner at a time', async () => {
    const venue = await open();
    await expect(openDurableVenue({ dataDir: venue.dataDir, instruments: NARROW_INSTRUMENTS, logger: silentLogger }))
      .rejects.toBeInstanceOf(DataDirLockedError);
    await venue.close();
    const next = await open({}, venue.dataDir);
    expect(next.engine.lastSeq).toBe(0);
  });

  it('refuses instruments other than the ones its journal was written with', async () => {
    const venue = await open();
    await venue.submit(tick);
    await venue.close();
    await expect(openDurableVenue({ dataDir: venue.dataDir, instruments: DEFAULT_INSTRUMENTS, logger: silentLogger }))
      .rejects.toThrow(/instruments differ/);
  });
});
