/**
 * @module test/journal/support/emfile-child
 * Runs in a child process started with a small descriptor limit (prlimit). Opens a durable venue,
 * takes every descriptor left (opening /dev/null until the kernel says EMFILE), submits commands
 * until a snapshot falls due — its temp file cannot be opened — checks that the venue still takes
 * commands, gives the descriptors back and waits for the snapshot's retry. Prints one JSON line.
 */
import { closeSync, openSync } from 'node:fs';
import { openDurableVenue, type JournalLogger } from '../../../src/journal/index.js';
import { NARROW_INSTRUMENTS, steppingClock } from './fixtures.js';
import { Workload } from './workload.js';

const SNAPSHOT_EVERY = 200;

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (dataDir === undefined) throw new Error('usage: emfile-child <data-dir>');
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger: JournalLogger = {
    info: () => undefined,
    warn: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`),
    error: (fields, message) => errors.push(`${message} ${JSON.stringify(fields)}`),
  };
  const venue = await openDurableVenue({ dataDir, instruments: NARROW_INSTRUMENTS, fsync: true, tickIntervalMs: 0,
    snapshotEveryCommands: SNAPSHOT_EVERY, logger, clock: steppingClock() });
  const workload = new Workload({ seed: 7, accounts: 20 });
  const submit = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const item = workload.next();
      await venue.submit(item.command, { idempotencyKey: item.idempotencyKey });
    }
  };
  await submit(SNAPSHOT_EVERY - 10);
  const held: number[] = [];
  for (;;) {
    try {
      held.push(openSync('/dev/null', 'r'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EMFILE') break;
      throw error;
    }
  }
  // The snapshot falls due within these and fails for want of a descriptor.
  await submit(50);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const during = { ...venue.stats(), failed: venue.failure?.message };
  await submit(50);
  for (const fd of held) closeSync(fd);
  const deadline = Date.now() + 10_000;
  while (venue.stats().snapshots === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const after = { ...venue.stats(), failed: venue.failure?.message };
  await submit(10);
  const lastSeq = venue.engine.lastSeq;
  await venue.close();
  process.stdout.write(`${JSON.stringify({ heldDescriptors: held.length, during, after, lastSeq, warnings, errors })}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ crashed: error instanceof Error ? error.stack : String(error) })}\n`);
  process.exitCode = 1;
});
