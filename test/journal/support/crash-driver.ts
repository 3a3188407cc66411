/**
 * @module test/journal/support/crash-driver
 * Drives crash/restart cycles against a real child process (support/crash-child.ts) on a real
 * data directory, with SIGKILL at seeded random points, and checks after every restart:
 * - the child's recovered stateHash equals a clean replay of the journal from seq 1 (kept
 *   incrementally by a reference engine in this process) and its invariants hold;
 * - every command the driver saw acknowledged is in the journal at the acknowledged seq;
 * - no idempotency key occurs twice in the journal (nothing applied twice);
 * - commands in flight at the kill, retried with the same key, either come back as duplicates
 *   with the seq the journal holds (they were written) or are applied fresh (they were not);
 * - a retried acknowledged command returns the original seq, atMs and events, as a duplicate.
 * Kill points: after a random number of acks (a random moment), or in a named window via the
 * child's pause hooks (mid-record, before fsync, before ack, mid snapshot, before rename, before
 * directory fsync, right after recovery); some cycles shut down cleanly instead.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createOrderBook, Engine, DEFAULT_INSTRUMENTS } from '../../../src/core/index.js';
import { DEFAULT_WINDOW_OPTIONS, listSegments, readJournal, verifyDataDir } from '../../../src/journal/index.js';
import type { ChildMessage, ParentMessage, PauseMode } from './crash-child.js';
import { Prng, Workload, type WorkloadItem } from './workload.js';

const CHILD = resolve(import.meta.dirname, 'crash-child.ts');

export interface CrashRunOptions {
  readonly seed: number;
  readonly cycles: number;
  readonly dataDir: string;
  /** Accounts in the workload (default 40). */
  readonly accounts?: number;
  /** Concurrent submits in flight (default 24). */
  readonly concurrency?: number;
  /** Upper bound of acks before a timed kill (default 400). */
  readonly maxAcksPerCycle?: number;
  readonly fsync?: boolean;
  /** Engine time per wall time in the child (default 3000: funding every ~10 s of wall time). */
  readonly clockSpeed?: number;
  readonly log?: (line: string) => void;
}

export interface CrashRunReport {
  readonly cycles: number;
  readonly killsByMode: Record<string, number>;
  readonly cleanShutdowns: number;
  readonly acked: number;
  readonly retriedInFlight: number;
  readonly inFlightFoundDurable: number;
  readonly inFlightAppliedFresh: number;
  readonly duplicateChecks: number;
  readonly cyclesWithTruncation: number;
  readonly truncatedBytes: number;
  readonly recoveriesFromSnapshot: number;
  readonly tempFilesRemoved: number;
  readonly journalRecords: number;
  readonly trades: number;
  readonly liquidations: number;
  readonly fundingSettlements: number;
  readonly finalStateHash: string;
  readonly failures: string[];
}

interface Acked {
  readonly seq: number;
  readonly atMs: number;
  readonly digest: string;
  readonly item: WorkloadItem;
}

type Strategy = { kind: 'timed'; acks: number } | { kind: 'pause'; mode: PauseMode; at: number } | { kind: 'clean'; acks: number };

const PAUSE_MODES: readonly PauseMode[] = [
  'mid-record', 'mid-record', 'before-sync', 'before-ack', 'snapshot-mid-write', 'snapshot-before-rename',
  'snapshot-before-dir-sync', 'after-recovery',
];

/** Recovery runs once per process, so its pause point can only be the first occurrence. */
function pauseStrategy(mode: PauseMode, random: Prng): Strategy {
  return { kind: 'pause', mode, at: mode === 'after-recovery' ? 1 : 1 + random.below(4) };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

class ChildSession {
  readonly child: ChildProcess;
  private readonly waiters = new Map<number, (message: ChildMessage) => void>();
  private readonly firstMessage = deferred<ChildMessage | undefined>();
  private readonly pausedAt = deferred<PauseMode>();
  private readonly closedAt = deferred<ChildMessage | undefined>();
  private readonly exitedAt = deferred<undefined>();
  alive = true;

  constructor(dataDir: string, env: Record<string, string>) {
    this.child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, PERPX_CRASH_DIR: dataDir, ...env },
    });
    this.child.on('message', (message: ChildMessage) => {
      switch (message.type) {
        case 'ack': case 'nack': {
          const waiter = this.waiters.get(message.id);
          this.waiters.delete(message.id);
          waiter?.(message);
          return;
        }
        case 'ready': return this.firstMessage.resolve(message);
        case 'paused':
          this.firstMessage.resolve(message);
          return this.pausedAt.resolve(message.where);
        case 'closed': return this.closedAt.resolve(message);
      }
    });
    this.child.on('error', () => undefined);
    this.child.on('exit', () => {
      this.alive = false;
      this.firstMessage.resolve(undefined);
      this.closedAt.resolve(undefined);
      this.exitedAt.resolve(undefined);
    });
  }

  /** 'ready', or 'paused' when the pause point is inside open, or undefined if the child died. */
  get first(): Promise<ChildMessage | undefined> {
    return this.firstMessage.promise;
  }

  get paused(): Promise<PauseMode> {
    return this.pausedAt.promise;
  }

  get closed(): Promise<ChildMessage | undefined> {
    return this.closedAt.promise;
  }

  get exited(): Promise<undefined> {
    return this.exitedAt.promise;
  }

  /** The child's answer, or undefined when it died first. */
  submit(id: number, item: WorkloadItem): Promise<ChildMessage | undefined> {
    if (!this.alive) return Promise.resolve(undefined);
    const answer = new Promise<ChildMessage>((resolveAck) => this.waiters.set(id, resolveAck));
    const message: ParentMessage = { type: 'submit', id, command: item.command, key: item.idempotencyKey };
    this.send(message);
    return Promise.race([answer, this.exited]);
  }

  /** Sends unless the child is gone; a send racing the kill fails quietly (the exit tells the rest). */
  send(message: ParentMessage): void {
    if (this.alive) this.child.send(message, (error) => void error);
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }
}

export async function runCrashCycles(options: CrashRunOptions): Promise<CrashRunReport> {
  const log = options.log ?? (() => undefined);
  const random = new Prng(options.seed * 7919 + 17);
  const workload = new Workload({ seed: options.seed, accounts: options.accounts ?? 40, jumpChance: 0.2 });
  const concurrency = options.concurrency ?? 24;
  const maxAcks = options.maxAcksPerCycle ?? 400;
  const epochMs = Date.now();
  const reference = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
  const journalKeys = new Map<string, number>();
  const journalKeyTimes = new Map<string, number>();
  const acked = new Map<string, Acked>();
  const failures: string[] = [];
  const fail = (message: string): void => {
    if (failures.length < 50) failures.push(message);
    log(`FAIL ${message}`);
  };
  const report = {
    killsByMode: {} as Record<string, number>, cleanShutdowns: 0, retriedInFlight: 0, inFlightFoundDurable: 0,
    inFlightAppliedFresh: 0, duplicateChecks: 0, cyclesWithTruncation: 0, truncatedBytes: 0, recoveriesFromSnapshot: 0,
    tempFilesRemoved: 0, trades: 0, liquidations: 0, fundingSettlements: 0,
  };
  let inFlight: WorkloadItem[] = [];
  let nextId = 1;

  /** Applies journal records up to `toSeq` to the reference engine and indexes their keys. */
  const advanceReference = async (toSeq: number): Promise<void> => {
    if (reference.lastSeq >= toSeq) return;
    await readJournal(await listSegments(options.dataDir), {
      fromSeq: reference.lastSeq + 1, toSeq,
      onRecord: (record) => {
        for (const event of reference.apply(record.command)) {
          if (event.type === 'Trade') report.trades++;
          else if (event.type === 'Liquidation') report.liquidations++;
          else if (event.type === 'FundingSettled') report.fundingSettlements++;
        }
        const key = record.idempotencyKey;
        if (key === undefined) return;
        const previous = journalKeys.get(key);
        // A key may come back only after it left the dedupe window (24 h of command time).
        if (previous !== undefined && record.atMs - (journalKeyTimes.get(key) ?? 0) < DEFAULT_WINDOW_OPTIONS.maxAgeMs) {
          fail(`key ${key} is in the journal twice (seq ${previous} and ${record.seq}): applied twice`);
        }
        journalKeys.set(key, record.seq);
        journalKeyTimes.set(key, record.atMs);
      },
    });
  };

  for (let cycle = 0; cycle < options.cycles; cycle++) {
    const last = cycle === options.cycles - 1;
    const roll = random.float();
    const strategy: Strategy = last || roll < 0.08 ? { kind: 'clean', acks: 20 + random.below(maxAcks) }
      : roll < 0.45 ? { kind: 'timed', acks: 1 + random.below(maxAcks) }
        : pauseStrategy(PAUSE_MODES[random.below(PAUSE_MODES.length)]!, random);
    const env: Record<string, string> = {
      PERPX_CRASH_EPOCH: String(epochMs), PERPX_CRASH_FSYNC: options.fsync === false ? '0' : '1',
      PERPX_CRASH_SNAPSHOT_EVERY: String(40 + random.below(160)), PERPX_CRASH_SPLIT: random.float().toFixed(3),
      PERPX_CRASH_SPEED: String(options.clockSpeed ?? 3000),
    };
    if (strategy.kind === 'pause') {
      env['PERPX_CRASH_PAUSE'] = strategy.mode;
      env['PERPX_CRASH_PAUSE_AT'] = String(strategy.at);
    }
    const session = new ChildSession(options.dataDir, env);
    let pausedAt: PauseMode | undefined;
    void session.paused.then((where) => {
      pausedAt = where;
      session.kill();
    });
    const first = await session.first;
    if (first?.type === 'paused') {
      await session.exited;
      report.killsByMode[first.where] = (report.killsByMode[first.where] ?? 0) + 1;
      log(`cycle ${cycle}: killed in ${first.where} (during open)`);
      continue;
    }
    if (first?.type !== 'ready') {
      fail(`cycle ${cycle}: child did not become ready (${JSON.stringify(first)})`);
      break;
    }
    // 1. Recovery checks against the clean replay.
    await advanceReference(first.lastSeq);
    if (reference.lastSeq !== first.lastSeq) fail(`cycle ${cycle}: journal ends at ${reference.lastSeq}, child recovered to ${first.lastSeq}`);
    const expectedHash = reference.stateHash();
    if (first.stateHash !== expectedHash) fail(`cycle ${cycle}: recovered stateHash ${first.stateHash} ≠ clean replay ${expectedHash} at seq ${first.lastSeq}`);
    if (first.invariants.length > 0) fail(`cycle ${cycle}: invariants after recovery: ${first.invariants.join('; ')}`);
    if (first.recovery.truncatedBytes > 0) {
      report.cyclesWithTruncation++;
      report.truncatedBytes += first.recovery.truncatedBytes;
    }
    if (first.recovery.snapshotSeq > 0) report.recoveriesFromSnapshot++;
    report.tempFilesRemoved += first.warnings.filter((warning) => warning.includes('temp file')).length;
    for (const [key, ack] of acked) {
      const seq = journalKeys.get(key);
      if (seq !== ack.seq) fail(`cycle ${cycle}: acknowledged ${key} (seq ${ack.seq}) is ${seq === undefined ? 'missing' : `at seq ${seq}`}`);
    }
    log(`cycle ${cycle}: ready at seq ${first.lastSeq} (snapshot ${first.recovery.snapshotSeq}, replayed ` +
      `${first.recovery.replayedCommands}, truncated ${first.recovery.truncatedBytes} B, ${first.recovery.ms} ms), ${JSON.stringify(strategy)}`);

    // 2. Retry what was in flight at the kill, then a few acknowledged commands.
    const retries = inFlight;
    inFlight = [];
    for (const [index, item] of retries.entries()) {
      const message = await session.submit(nextId++, item);
      if (message === undefined) {
        inFlight.push(...retries.slice(index));
        break;
      }
      if (message.type !== 'ack') {
        fail(`cycle ${cycle}: retry of ${item.idempotencyKey} failed: ${JSON.stringify(message)}`);
        continue;
      }
      report.retriedInFlight++;
      const journaled = journalKeys.get(item.idempotencyKey);
      if (message.duplicate) {
        report.inFlightFoundDurable++;
        if (journaled !== message.seq) fail(`cycle ${cycle}: in-flight ${item.idempotencyKey} came back as duplicate seq ${message.seq}, journal has ${journaled}`);
      } else {
        report.inFlightAppliedFresh++;
        if (journaled !== undefined) fail(`cycle ${cycle}: in-flight ${item.idempotencyKey} was applied again (journal seq ${journaled}, new seq ${message.seq})`);
      }
      acked.set(item.idempotencyKey, { seq: message.seq, atMs: message.atMs, digest: message.digest, item });
    }
    // Retries are checked for keys still inside the dedupe window (with an hour of margin); older
    // keys are documented to be applied as new commands.
    let latestAtMs = 0;
    for (const entry of acked.values()) if (entry.atMs > latestAtMs) latestAtMs = entry.atMs;
    const ackedList = [...acked.values()].filter((entry) => latestAtMs - entry.atMs < DEFAULT_WINDOW_OPTIONS.maxAgeMs - 3_600_000);
    for (let i = 0; i < 3 && ackedList.length > 0 && session.alive; i++) {
      const original = ackedList[random.below(ackedList.length)]!;
      const message = await session.submit(nextId++, original.item);
      if (message === undefined) break;
      report.duplicateChecks++;
      if (message.type !== 'ack' || !message.duplicate || message.seq !== original.seq || message.atMs !== original.atMs ||
        message.digest !== original.digest) {
        fail(`cycle ${cycle}: retry of acknowledged ${original.item.idempotencyKey} gave ${JSON.stringify(message)}, ` +
          `expected duplicate of seq ${original.seq} with the original events`);
      }
    }

    // 3. Drive new commands until the strategy stops the child; the kill lands with submits in flight.
    const sent = new Map<number, WorkloadItem>();
    let ackCount = 0;
    let draining = false;
    const pump = async (): Promise<void> => {
      while (session.alive && !draining && pausedAt === undefined && ackCount < maxAcks * 4) {
        const item = workload.next();
        const id = nextId++;
        sent.set(id, item);
        const message = await session.submit(id, item);
        if (message === undefined) return;
        sent.delete(id);
        if (message.type === 'ack') {
          ackCount++;
          acked.set(item.idempotencyKey, { seq: message.seq, atMs: message.atMs, digest: message.digest, item });
        } else {
          fail(`cycle ${cycle}: submit ${item.idempotencyKey} refused: ${JSON.stringify(message)}`);
        }
      }
    };
    const pumps = Array.from({ length: concurrency }, () => pump());
    const untilAcks = async (count: number): Promise<void> => {
      while (session.alive && pausedAt === undefined && ackCount < count) await new Promise((wake) => setTimeout(wake, 1));
    };
    if (strategy.kind === 'clean') {
      await untilAcks(strategy.acks);
      draining = true;
      await Promise.all(pumps);
      if (session.alive) session.send({ type: 'close' });
      const closed = await session.closed;
      if (closed?.type === 'closed') report.cleanShutdowns++;
      else if (pausedAt === undefined) fail(`cycle ${cycle}: clean close failed`);
    } else if (strategy.kind === 'timed') {
      await untilAcks(strategy.acks);
      // A random moment after the target: submits are in flight, a batch may be mid-write.
      await new Promise((wake) => setTimeout(wake, random.below(4)));
      session.kill();
    } else {
      await Promise.race([Promise.all(pumps), session.exited]);
      // If the window never came (e.g. no snapshot this cycle), kill at this moment instead.
      session.kill();
    }
    await session.exited;
    await Promise.all(pumps);
    const mode = pausedAt ?? (strategy.kind === 'clean' ? undefined : 'timed');
    if (mode !== undefined) report.killsByMode[mode] = (report.killsByMode[mode] ?? 0) + 1;
    inFlight.push(...sent.values());
  }

  // Final: a clean replay of everything, the tool's verdict, and the reference engine.
  const journal = await listSegments(options.dataDir);
  const verify = await verifyDataDir(options.dataDir);
  for (const problem of verify.problems) fail(`verify: ${problem}`);
  await advanceReference(Number.MAX_SAFE_INTEGER).catch((error: unknown) => fail(`final read: ${String(error)}`));
  const finalHash = reference.stateHash();
  if (verify.fullReplay !== undefined && verify.fullReplay.stateHash !== finalHash) fail('verify full replay differs from the reference');
  if (verify.snapshotRecovery !== undefined && verify.snapshotRecovery.stateHash !== finalHash) fail('snapshot recovery differs from the reference');
  const invariants = reference.checkInvariants();
  for (const violation of invariants) fail(`final invariant: ${violation}`);
  log(`done: ${options.cycles} cycles, ${journal.length} segments, seq ${reference.lastSeq}`);
  return {
    cycles: options.cycles, ...report, acked: acked.size, journalRecords: reference.lastSeq, finalStateHash: finalHash, failures,
  };
}
