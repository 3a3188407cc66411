/**
 * @module test/journal/support/fixtures
 * Shared helpers for journal tests: temp data directories, narrow-range copies of the default
 * instruments (same symbols and rules, much smaller order-book bitmaps, so a test can build
 * thousands of engines), a journal built through the real venue, and the stateHash after every
 * prefix of it (the only states a recovery may ever return).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BTCUSDT, createOrderBook, Engine, ETHUSDT, type Command, type InstrumentSpec,
} from '../../../src/core/index.js';
import { listSegments, openDurableVenue, readJournal, silentLogger, type DurableVenueOptions } from '../../../src/journal/index.js';
import { Workload } from './workload.js';

/** BTCUSDT and ETHUSDT with price ranges just wide enough for the workload's random walk. */
export const NARROW_INSTRUMENTS: readonly InstrumentSpec[] = [
  { ...BTCUSDT, maxPrice: '60000' },
  { ...ETHUSDT, maxPrice: '4000' },
];

export function tempDir(prefix = 'perpx-journal-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function newEngine(instruments: readonly InstrumentSpec[] = NARROW_INSTRUMENTS): Engine {
  return new Engine({ instruments, bookFactory: createOrderBook });
}

/** A deterministic clock for venues under test: 25 ms per reading. */
export function steppingClock(startMs = Date.UTC(2024, 0, 1)): () => number {
  let now = startMs;
  return () => (now += 25);
}

export interface BuiltJournal {
  readonly commands: Command[];
  readonly keys: (string | undefined)[];
  /** prefixHashes[k] = stateHash after applying the first k commands (k = 0..n). */
  readonly prefixHashes: string[];
}

/**
 * Writes `count` workload commands through a real venue (fsync off: the bytes are the same), closes
 * it, and returns what was journaled. Snapshots are removed unless `keepSnapshots`.
 */
export async function buildJournal(dataDir: string, count: number, options: Partial<DurableVenueOptions> & {
  keepSnapshots?: boolean; accounts?: number; seed?: number;
} = {}): Promise<BuiltJournal> {
  const { keepSnapshots, accounts, seed, ...venueOptions } = options;
  const venue = await openDurableVenue({
    dataDir, instruments: NARROW_INSTRUMENTS, fsync: false, tickIntervalMs: 0, logger: silentLogger, clock: steppingClock(),
    ...venueOptions,
  });
  const workload = new Workload({ seed: seed ?? 5, accounts: accounts ?? 3 });
  for (let i = 0; i < count; i++) {
    const item = workload.next();
    // Every third command without a key, so keyless records are covered too.
    await venue.submit(item.command, i % 3 === 2 ? {} : { idempotencyKey: item.idempotencyKey });
  }
  await venue.close();
  if (keepSnapshots !== true) {
    for (const name of await readdir(dataDir)) if (name.endsWith('.snap')) await unlink(join(dataDir, name));
  }
  const commands: Command[] = [];
  const keys: (string | undefined)[] = [];
  await readJournal(await listSegments(dataDir), {
    fromSeq: 1,
    onRecord: (record) => {
      commands.push(record.command);
      keys.push(record.idempotencyKey);
    },
  });
  const engine = newEngine(venueOptions.instruments ?? NARROW_INSTRUMENTS);
  const prefixHashes = [engine.stateHash()];
  for (const command of commands) {
    engine.apply(command);
    prefixHashes.push(engine.stateHash());
  }
  return { commands, keys, prefixHashes };
}
