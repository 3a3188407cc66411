/**
 * @module test/journal/support/crash-child
 * The process the crash test kills. Runs a durable venue on PERPX_CRASH_DIR and serves submits
 * from its parent over the IPC channel (advanced serialization, so bigints cross). Reports after
 * recovery ('ready': recovery figures, stateHash, invariants, warnings logged during recovery),
 * acknowledges every submit with its outcome and an events digest, and, when PERPX_CRASH_PAUSE
 * names a pause point, stops there on its Nth occurrence and tells the parent ('paused'), so the
 * SIGKILL lands exactly in that window: in the middle of a record write, between write and fsync,
 * between fsync and acknowledgement, in the middle of a snapshot write, before the snapshot's
 * rename, before the directory fsync, or right after recovery.
 */
import { createHash } from 'node:crypto';
import type { UnsequencedCommand } from '../../../src/core/index.js';
import { openDurableVenue, type DurableVenueOptions, type JournalLogger } from '../../../src/journal/index.js';

export type PauseMode =
  | 'none' | 'mid-record' | 'before-sync' | 'before-ack' | 'snapshot-mid-write' | 'snapshot-before-rename'
  | 'snapshot-before-dir-sync' | 'after-recovery';

export type ParentMessage =
  | { readonly type: 'submit'; readonly id: number; readonly command: UnsequencedCommand; readonly key: string }
  | { readonly type: 'close' };

export type ChildMessage =
  | {
    readonly type: 'ready'; readonly lastSeq: number; readonly stateHash: string; readonly invariants: string[];
    readonly recovery: { snapshotSeq: number; replayedCommands: number; truncatedBytes: number; ms: number };
    readonly warnings: string[];
  }
  | {
    readonly type: 'ack'; readonly id: number; readonly seq: number; readonly atMs: number; readonly duplicate: boolean;
    readonly digest: string;
  }
  | { readonly type: 'nack'; readonly id: number; readonly error: string }
  | { readonly type: 'paused'; readonly where: PauseMode }
  | { readonly type: 'closed'; readonly lastSeq: number; readonly stateHash: string };

/** Stable digest of an event list (bigints as decimal strings). */
export function eventsDigest(events: readonly unknown[]): string {
  const json = JSON.stringify(events, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
  return createHash('sha256').update(json).digest('hex');
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const dataDir = process.env['PERPX_CRASH_DIR'];
  if (dataDir === undefined || process.send === undefined) throw new Error('run me from the crash driver (IPC + PERPX_CRASH_DIR)');
  const mode = (process.env['PERPX_CRASH_PAUSE'] ?? 'none') as PauseMode;
  let remaining = Number(process.env['PERPX_CRASH_PAUSE_AT'] ?? '1');
  const splitSeed = Number(process.env['PERPX_CRASH_SPLIT'] ?? '0.5');
  const epochMs = Number(process.env['PERPX_CRASH_EPOCH'] ?? String(Date.now()));
  const speed = Number(process.env['PERPX_CRASH_SPEED'] ?? '1000');
  const startMs = Date.UTC(2024, 0, 1);
  const never = new Promise<void>(() => undefined);
  /** True (and the parent told) when this is the occurrence to stop at. */
  const due = (where: PauseMode): boolean => {
    if (where !== mode) return false;
    remaining--;
    return remaining === 0;
  };
  const pause = async (where: PauseMode): Promise<void> => {
    if (!due(where)) return;
    send({ type: 'paused', where });
    await never;
  };
  let splitArmed = false;
  const warnings: string[] = [];
  const logger: JournalLogger = {
    info: () => undefined,
    warn: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`),
    error: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`),
  };
  const options: DurableVenueOptions = {
    dataDir, logger,
    fsync: process.env['PERPX_CRASH_FSYNC'] !== '0',
    snapshotEveryCommands: Number(process.env['PERPX_CRASH_SNAPSHOT_EVERY'] ?? '100'),
    segmentSizeBytes: Number(process.env['PERPX_CRASH_SEGMENT_BYTES'] ?? String(64 * 1024)),
    tickIntervalMs: Number(process.env['PERPX_CRASH_TICK_MS'] ?? '50'),
    // Engine time runs `speed` times faster than the wall clock, so funding and mark samples happen.
    clock: () => startMs + (Date.now() - epochMs) * speed,
    testHooks: {
      splitWriteAt: (batchBytes) => {
        if (mode !== 'mid-record' || batchBytes < 2 || !due('mid-record')) return undefined;
        splitArmed = true;
        return Math.min(batchBytes - 1, Math.max(1, Math.floor(batchBytes * splitSeed)));
      },
      midWrite: async () => {
        if (!splitArmed) return;
        send({ type: 'paused', where: 'mid-record' });
        await never;
      },
      beforeSync: () => pause('before-sync'),
      beforeAck: () => pause('before-ack'),
      snapshotMidWrite: () => pause('snapshot-mid-write'),
      snapshotBeforeRename: () => pause('snapshot-before-rename'),
      snapshotBeforeDirSync: () => pause('snapshot-before-dir-sync'),
      afterRecovery: () => pause('after-recovery'),
    },
  };
  const venue = await openDurableVenue(options);
  send({
    type: 'ready', lastSeq: venue.engine.lastSeq, stateHash: venue.engine.stateHash(), invariants: venue.engine.checkInvariants(),
    recovery: { ...venue.recovery }, warnings,
  });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'close') {
      void venue.close().then(() => {
        send({ type: 'closed', lastSeq: venue.engine.lastSeq, stateHash: venue.engine.stateHash() });
        process.disconnect();
      });
      return;
    }
    venue.submit(message.command, { idempotencyKey: message.key }).then(
      (outcome) => send({
        type: 'ack', id: message.id, seq: outcome.seq, atMs: outcome.atMs, duplicate: outcome.duplicate,
        digest: eventsDigest(outcome.events),
      }),
      (error: unknown) => send({ type: 'nack', id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

await main();
