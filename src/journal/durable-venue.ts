/**
 * @module journal/durable-venue
 * The durable Venue: a data directory holding journal segments, snapshots and an instruments
 * manifest; the single engine; group commit; snapshots; exactly-once submits; replay for read
 * models.
 *
 * submit(): refuse if failed/closed → dedupe by idempotency key → encode the record (a command
 * that cannot be journaled faithfully is refused before it gets a seq) → sequence (seq = last + 1,
 * atMs = max(clock, engine clock)) → apply the decoded record (so the live engine runs exactly the
 * bytes a replay will) → queue for the next group write+fsync → after that fsync: publish to
 * subscribers and resolve, in seq order. Nothing observable through the Venue precedes
 * durability; direct engine reads do see applied-but-not-yet-durable state (single writer, one
 * thread), which is the price of applying before the fsync instead of after it.
 *
 * Failure: any journal/snapshot I/O error, or an engine assertion, fails the venue closed:
 * pending submits are rejected, new ones refused, the fsync is never retried. The one exception is
 * a snapshot that fails for lack of a resource that comes back (a descriptor, memory: see
 * isTransientResourceError): the journal holds everything, so the venue keeps running and retries
 * the snapshot with a doubling back-off (1 s … 60 s). An engine assertion
 * (crash-only core) does not journal the command that raised it, so a restart recovers the state
 * before it instead of tripping over it forever (a "poison pill").
 *
 * Exactly-once: keys live in a bounded window (journal/idempotency-window) rebuilt from snapshot +
 * tail after a crash. A duplicate gets the original seq, atMs and events with duplicate: true and
 * is not applied. Events come from a cache of recent outcomes, else are re-derived by replaying
 * the journal from the newest snapshot below the original seq on a scratch engine (deterministic,
 * so they are the original events). A key reused for a different command is refused
 * (IdempotencyConflictError).
 */
import { mkdir, open, unlink } from 'node:fs/promises';
import {
  DEFAULT_INSTRUMENTS, type Command, type Engine, type EngineEvent, type InstrumentSpec, type UnsequencedCommand,
} from '../core/index.js';
import type { CommandOutcome, CommitListener, CommittedEntry, SubmitOptions, Venue } from '../venue/venue.js';
import { encodeCommandBody } from '../wire/index.js';
import { crc32c } from './crc32c.js';
import {
  IdempotencyConflictError, isTransientResourceError, JournalFailedError, VenueClosedError,
} from './errors.js';
import { decodePayload, encodeRecord, RECORD_FRAME_BYTES, segmentFileName } from './format.js';
import { fsyncDir, lockDataDir } from './fs-util.js';
import { DEFAULT_WINDOW_OPTIONS, IdempotencyWindow, type IdempotencyWindowOptions } from './idempotency-window.js';
import { listSegments } from './journal-reader.js';
import { JournalWriter, type JournalWriteHooks, type WriterStats } from './journal-writer.js';
import { stderrLogger, type JournalLogger } from './logger.js';
import { ensureManifest } from './manifest.js';
import { recover, replayRange } from './recovery.js';
import {
  pruneSnapshots, removeTempFiles, writeSnapshot, type SnapshotWriteHooks,
} from './snapshot.js';

export interface DurableVenueOptions {
  /** Directory for segments, snapshots and the manifest (created if missing). */
  readonly dataDir: string;
  readonly instruments?: readonly InstrumentSpec[];
  /** Snapshot after this many commands since the last one (default 100,000). */
  readonly snapshotEveryCommands?: number;
  /** Submit a Tick command this often in wall time (default 1000; 0 disables). */
  readonly tickIntervalMs?: number;
  /** Wall clock in ms; commands are stamped max(clock(), last atMs). Default Date.now. */
  readonly clock?: () => number;
  /** fdatasync every batch and fsync directories (default true). Off only for tests and benchmarks. */
  readonly fsync?: boolean;
  /** Rotate to a new segment once the active one reaches this size (default 64 MiB). */
  readonly segmentSizeBytes?: number;
  /** Snapshots kept on disk (default 3). */
  readonly snapshotsToKeep?: number;
  /** Dedupe window bounds (default 1,000,000 keys and 24 h of command time). */
  readonly idempotency?: Partial<IdempotencyWindowOptions>;
  /** Recent keyed outcomes (with events) kept in memory for instant duplicate answers (default 10,000). */
  readonly outcomeCacheSize?: number;
  /** Run engine.checkInvariants() after recovery and refuse to start on a violation (default true). */
  readonly verifyOnOpen?: boolean;
  readonly logger?: JournalLogger;
  /** Pause points for crash tests; never set in production. */
  readonly testHooks?: JournalWriteHooks & SnapshotWriteHooks & { readonly afterRecovery?: () => Promise<void> };
}

export interface RecoveryReport {
  /** Seq of the snapshot recovery started from (0: none, full replay). */
  readonly snapshotSeq: number;
  readonly replayedCommands: number;
  /** Bytes of torn final write removed from the journal. */
  readonly truncatedBytes: number;
  readonly ms: number;
}

export interface DurableVenueStats {
  readonly lastSeq: number;
  readonly durableSeq: number;
  readonly lastSnapshotSeq: number;
  readonly pendingCommands: number;
  readonly windowKeys: number;
  readonly writer: Readonly<WriterStats>;
  readonly snapshots: number;
}

export interface DurableVenue extends Venue {
  /** Takes a snapshot now (after the journal is durable up to the current seq). */
  snapshot(): Promise<void>;
  readonly recovery: RecoveryReport;
  /**
   * Re-derives committed entries with seq ≥ fromSeq (up to the durable seq at the time of the call)
   * on a scratch engine; yields to the event loop periodically. Subscribe first, then replay, and
   * drop entries by seq to join the live stream without a gap.
   */
  replay(fromSeq: number, listener: (entry: CommittedEntry) => void): Promise<void>;
  readonly dataDir: string;
  readonly durableSeq: number;
  /** Set once the venue has failed closed. */
  readonly failure: Error | undefined;
  stats(): DurableVenueStats;
}

interface Pending {
  readonly command: Command;
  readonly events: EngineEvent[];
  readonly key: string | undefined;
  resolve(outcome: CommandOutcome): void;
  reject(error: Error): void;
}

interface Settings {
  readonly dataDir: string;
  readonly instruments: readonly InstrumentSpec[];
  readonly snapshotEveryCommands: number;
  readonly snapshotsToKeep: number;
  readonly fsync: boolean;
  readonly clock: () => number;
  readonly outcomeCacheSize: number;
  readonly log: JournalLogger;
  readonly hooks: NonNullable<DurableVenueOptions['testHooks']>;
}

const REPLAY_YIELD_EVERY = 2_000;
const SNAPSHOT_RETRY_FIRST_MS = 1_000;
const SNAPSHOT_RETRY_LONGEST_MS = 60_000;

class DurableVenueImpl implements DurableVenue {
  private readonly listeners = new Set<CommitListener>();
  private pending: Pending[] = [];
  private pendingHead = 0;
  private readonly inflight = new Map<string, Promise<CommandOutcome>>();
  /** Recent keyed outcomes by seq; `outcomeOrder[outcomeHead..]` lists their seqs oldest first. */
  private readonly outcomes = new Map<number, CommandOutcome>();
  private outcomeOrder: number[] = [];
  private outcomeHead = 0;
  private readonly rederiving = new Map<number, Promise<readonly EngineEvent[]>>();
  private durableWaiters: { seq: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  private failed: Error | undefined;
  private closing = false;
  private closePromise: Promise<void> | undefined;
  private snapshotInFlight: Promise<void> | undefined;
  private lastSnapshotSeq: number;
  private snapshotCount = 0;
  /** Back-off after a snapshot failed for lack of a resource (0: none pending). */
  private snapshotRetryMs = 0;
  private snapshotRetryAtMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private tickInFlight = false;
  writer!: JournalWriter;

  constructor(
    readonly engine: Engine,
    private readonly window: IdempotencyWindow,
    private readonly settings: Settings,
    readonly recovery: RecoveryReport,
    private readonly releaseLock: () => Promise<void>,
    recentOutcomes: readonly CommandOutcome[],
  ) {
    this.lastSnapshotSeq = recovery.snapshotSeq;
    for (const outcome of recentOutcomes) this.remember(outcome);
  }

  get dataDir(): string {
    return this.settings.dataDir;
  }

  get durableSeq(): number {
    return this.writer.durableSeq;
  }

  get failure(): Error | undefined {
    return this.failed;
  }

  startTicks(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.tickInFlight || this.closing || this.failed !== undefined) return;
      this.tickInFlight = true;
      this.submit({ type: 'Tick' }).catch(() => undefined).finally(() => {
        this.tickInFlight = false;
      });
    }, intervalMs);
    this.timer.unref();
  }

  submit(command: UnsequencedCommand, options: SubmitOptions = {}): Promise<CommandOutcome> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    if (this.closing) return Promise.reject(new VenueClosedError());
    const key = options.idempotencyKey;
    if (key !== undefined) {
      const known = this.window.get(key);
      const inflight = this.inflight.get(key);
      if (known !== undefined || inflight !== undefined) return this.duplicate(key, command, known, inflight);
    }
    const engine = this.engine;
    const seq = engine.lastSeq + 1;
    // Time never goes backwards: a clock step back (NTP, VM migration) stamps the last time again.
    const now = Math.floor(this.settings.clock());
    const atMs = Number.isSafeInteger(now) && now > engine.clockMs ? now : engine.clockMs;
    let bytes: Uint8Array;
    try {
      bytes = encodeRecord(seq, atMs, key, command);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const record = decodePayload(bytes, RECORD_FRAME_BYTES, bytes.length);
    let events: EngineEvent[];
    try {
      events = engine.apply(record.command);
    } catch (error) {
      // The core is crash-only: its state may be half-updated. Do not journal the command.
      const failure = new JournalFailedError(`engine assertion while applying seq ${seq}; venue closed: ${(error as Error).message}`, error);
      this.failClosed(failure, false);
      return Promise.reject(failure);
    }
    this.window.advance(record.atMs);
    if (key !== undefined) this.window.add(key, seq, record.atMs, record.bodyCrc);
    const promise = new Promise<CommandOutcome>((resolve, reject) => {
      this.pending.push({ command: record.command, events, key, resolve, reject });
    });
    if (key !== undefined) this.inflight.set(key, promise);
    this.writer.append(seq, bytes);
    return promise;
  }

  private async duplicate(key: string, command: UnsequencedCommand, known: ReturnType<IdempotencyWindow['get']>,
    inflight: Promise<CommandOutcome> | undefined): Promise<CommandOutcome> {
    if (known !== undefined) {
      const body = encodeCommandBody(command);
      if (crc32c(body) !== known.bodyCrc) throw new IdempotencyConflictError(key, known.seq);
    }
    if (inflight !== undefined) return { ...(await inflight), duplicate: true };
    const entry = known!;
    const cached = this.outcomes.get(entry.seq);
    if (cached !== undefined) return { ...cached, duplicate: true };
    const events = await this.rederive(entry.seq);
    return { seq: entry.seq, atMs: entry.atMs, events, duplicate: true };
  }

  /** Events of a durable seq, by replay on a scratch engine (coalesced per seq). */
  private rederive(seq: number): Promise<readonly EngineEvent[]> {
    const running = this.rederiving.get(seq);
    if (running !== undefined) return running;
    const task = (async () => {
      let events: readonly EngineEvent[] | undefined;
      await replayRange({
        dataDir: this.settings.dataDir, instruments: this.settings.instruments, log: this.settings.log,
        fromSeq: seq, toSeq: seq, yieldEvery: REPLAY_YIELD_EVERY,
        listener: (entry) => {
          events = entry.events;
        },
      });
      if (events === undefined) throw new Error(`seq ${seq} not found in the journal`);
      return events;
    })().finally(() => this.rederiving.delete(seq));
    this.rederiving.set(seq, task);
    return task;
  }

  private remember(outcome: CommandOutcome): void {
    if (this.settings.outcomeCacheSize <= 0) return;
    this.outcomes.set(outcome.seq, outcome);
    this.outcomeOrder.push(outcome.seq);
    // Evict through our own queue: map.keys().next() on a Map used as a FIFO walks over the
    // deleted entries V8 keeps until the next rehash, which made this O(cache size) per call.
    if (this.outcomes.size > this.settings.outcomeCacheSize) this.outcomes.delete(this.outcomeOrder[this.outcomeHead++]!);
    if (this.outcomeHead > 4096 && this.outcomeHead * 2 > this.outcomeOrder.length) {
      this.outcomeOrder = this.outcomeOrder.slice(this.outcomeHead);
      this.outcomeHead = 0;
    }
  }

  /** Writer callback: everything up to `seq` is durable. */
  onDurable(seq: number): void {
    while (this.pendingHead < this.pending.length && this.pending[this.pendingHead]!.command.seq <= seq) {
      const entry = this.pending[this.pendingHead++]!;
      const command = entry.command;
      const outcome: CommandOutcome = { seq: command.seq, atMs: command.atMs, events: entry.events, duplicate: false };
      if (entry.key !== undefined) {
        this.inflight.delete(entry.key);
        this.remember(outcome);
      }
      for (const listener of this.listeners) {
        try {
          listener({ command, events: entry.events });
        } catch (error) {
          this.settings.log.error({ seq: command.seq, error: (error as Error).message }, 'commit listener threw');
        }
      }
      entry.resolve(outcome);
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
    if (this.durableWaiters.length > 0) {
      const ready = this.durableWaiters.filter((waiter) => waiter.seq <= seq);
      this.durableWaiters = this.durableWaiters.filter((waiter) => waiter.seq > seq);
      for (const waiter of ready) waiter.resolve();
    }
    if (this.snapshotInFlight === undefined && !this.closing && this.failed === undefined &&
      this.engine.lastSeq - this.lastSnapshotSeq >= this.settings.snapshotEveryCommands &&
      (this.snapshotRetryMs === 0 || performance.now() >= this.snapshotRetryAtMs)) {
      void this.takeSnapshot().catch(() => undefined);
    }
  }

  /** Fails the venue closed: rejects everything pending, refuses new commands. */
  failClosed(error: Error, writerFailed: boolean): void {
    if (this.failed !== undefined) return;
    this.failed = error;
    this.settings.log.error({ error: error.message, lastSeq: this.engine.lastSeq, durableSeq: this.writer.durableSeq },
      'venue failed closed; restart to recover from disk');
    if (this.timer !== undefined) clearInterval(this.timer);
    if (writerFailed) {
      for (let i = this.pendingHead; i < this.pending.length; i++) this.pending[i]!.reject(error);
      this.pending = [];
      this.pendingHead = 0;
      this.inflight.clear();
    }
    for (const waiter of this.durableWaiters) waiter.reject(error);
    this.durableWaiters = [];
  }

  private waitDurable(seq: number): Promise<void> {
    if (this.writer.durableSeq >= seq) return Promise.resolve();
    const failure = this.writer.failed;
    if (failure !== undefined) return Promise.reject(failure);
    return new Promise((resolve, reject) => this.durableWaiters.push({ seq, resolve, reject }));
  }

  private takeSnapshot(): Promise<void> {
    if (this.snapshotInFlight !== undefined) return this.snapshotInFlight;
    const task = this.writeSnapshotNow().finally(() => {
      this.snapshotInFlight = undefined;
    });
    this.snapshotInFlight = task;
    return task;
  }

  private async writeSnapshotNow(): Promise<void> {
    const engine = this.engine;
    const seq = engine.lastSeq;
    if (seq === this.lastSnapshotSeq || seq === 0) return;
    // Serialized synchronously, so engine and window are captured at the same seq.
    const engineBytes = engine.serialize();
    const windowBytes = this.window.serialize();
    const clockMs = engine.clockMs;
    // A snapshot must never be ahead of the durable journal (it would hold unacknowledged state).
    await this.waitDurable(seq);
    const { dataDir, fsync, hooks, snapshotsToKeep, log } = this.settings;
    try {
      const started = performance.now();
      const sizeBytes = await writeSnapshot(dataDir, seq, clockMs, engineBytes, windowBytes, fsync, hooks);
      this.lastSnapshotSeq = Math.max(this.lastSnapshotSeq, seq);
      this.snapshotCount++;
      await pruneSnapshots(dataDir, snapshotsToKeep, fsync);
      this.snapshotRetryMs = 0;
      log.info({ seq, sizeBytes, ms: Math.round(performance.now() - started) }, 'snapshot written');
    } catch (error) {
      if (isTransientResourceError(error)) {
        this.retrySnapshotLater(error as Error);
        throw error;
      }
      const failure = new JournalFailedError(`snapshot write failed: ${(error as Error).message}`, error);
      this.failClosed(failure, false);
      throw failure;
    }
  }

  /** Schedules another attempt after a snapshot failed for lack of a resource. */
  private retrySnapshotLater(error: Error): void {
    this.snapshotRetryMs = Math.min(SNAPSHOT_RETRY_LONGEST_MS, Math.max(SNAPSHOT_RETRY_FIRST_MS, this.snapshotRetryMs * 2));
    this.snapshotRetryAtMs = performance.now() + this.snapshotRetryMs;
    this.settings.log.warn({ error: error.message, retryInMs: this.snapshotRetryMs },
      'snapshot failed for lack of a resource; the journal holds everything; retrying later');
    const timer = setTimeout(() => {
      if (!this.closing && this.failed === undefined) void this.takeSnapshot().catch(() => undefined);
    }, this.snapshotRetryMs);
    timer.unref();
  }

  async snapshot(): Promise<void> {
    if (this.failed !== undefined) throw this.failed;
    if (this.snapshotInFlight !== undefined) await this.snapshotInFlight;
    await this.takeSnapshot();
  }

  subscribe(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async replay(fromSeq: number, listener: (entry: CommittedEntry) => void): Promise<void> {
    await replayRange({
      dataDir: this.settings.dataDir, instruments: this.settings.instruments, log: this.settings.log,
      fromSeq: Math.max(1, fromSeq), toSeq: this.writer.durableSeq, yieldEvery: REPLAY_YIELD_EVERY,
      listener: (entry) => listener({ command: entry.command, events: entry.events }),
    });
  }

  stats(): DurableVenueStats {
    return {
      lastSeq: this.engine.lastSeq, durableSeq: this.writer.durableSeq, lastSnapshotSeq: this.lastSnapshotSeq,
      pendingCommands: this.pending.length - this.pendingHead, windowKeys: this.window.size, writer: { ...this.writer.stats },
      snapshots: this.snapshotCount,
    };
  }

  close(): Promise<void> {
    this.closePromise ??= this.closeOnce();
    return this.closePromise;
  }

  private async closeOnce(): Promise<void> {
    this.closing = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    try {
      await this.writer.idle();
      if (this.snapshotInFlight !== undefined) await this.snapshotInFlight.catch(() => undefined);
      // Clean shutdown snapshot: the next open replays nothing (or, without one for lack of a
      // resource, replays the journal's tail).
      if (this.failed === undefined && this.engine.lastSeq > this.lastSnapshotSeq) {
        await this.takeSnapshot().catch((error: unknown) => {
          if (!isTransientResourceError(error)) throw error;
        });
      }
    } finally {
      await this.writer.close();
      this.listeners.clear();
      await this.releaseLock();
    }
  }
}

/** Opens (creating if needed) a data directory, recovers its state and returns the venue. */
export async function openDurableVenue(options: DurableVenueOptions): Promise<DurableVenue> {
  const startedMs = performance.now();
  const dataDir = options.dataDir;
  const log = options.logger ?? stderrLogger;
  const fsync = options.fsync ?? true;
  const instruments = options.instruments ?? DEFAULT_INSTRUMENTS;
  const windowOptions: IdempotencyWindowOptions = { ...DEFAULT_WINDOW_OPTIONS, ...options.idempotency };
  const settings: Settings = {
    dataDir, instruments, fsync, log,
    snapshotEveryCommands: positive(options.snapshotEveryCommands ?? 100_000, 'snapshotEveryCommands'),
    snapshotsToKeep: positive(options.snapshotsToKeep ?? 3, 'snapshotsToKeep'),
    clock: options.clock ?? Date.now,
    outcomeCacheSize: options.outcomeCacheSize ?? 10_000,
    hooks: options.testHooks ?? {},
  };
  const segmentSizeBytes = positive(options.segmentSizeBytes ?? 64 * 1024 * 1024, 'segmentSizeBytes');
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  try {
    for (const name of await removeTempFiles(dataDir)) log.warn({ file: name }, 'removed a temp file left by a crash');
    const hasJournal = (await listSegments(dataDir)).length > 0;
    await ensureManifest(dataDir, instruments, fsync, hasJournal, () => log.warn({ dataDir },
      'the data directory has a journal but no instruments.json; recording the given instruments as its instruments'));
    const recent: CommandOutcome[] = [];
    const recovered = await recover({
      dataDir, instruments, log, window: windowOptions,
      onEntry: ({ command, events, record }) => {
        if (record.idempotencyKey === undefined) return;
        recent.push({ seq: command.seq, atMs: command.atMs, events, duplicate: false });
        if (recent.length > 2 * settings.outcomeCacheSize) recent.splice(0, recent.length - settings.outcomeCacheSize);
      },
    });
    let truncatedBytes = 0;
    let active: { firstSeq: number; validBytes: number } | undefined;
    const lastScan = recovered.segments.length === 0 ? undefined : recovered.segments[recovered.segments.length - 1];
    const torn = recovered.torn;
    if (torn !== undefined) {
      truncatedBytes = torn.tornBytes;
      log.warn({ file: torn.segment.name, offset: torn.validBytes, bytes: torn.tornBytes, reason: torn.reason },
        torn.headerTorn ? 'removing a journal segment whose header was torn by a crash' : 'truncating a torn final journal record');
      if (torn.headerTorn) {
        await unlink(torn.segment.path);
      } else {
        const handle = await open(torn.segment.path, 'r+');
        try {
          await handle.truncate(torn.validBytes);
          if (fsync) await handle.datasync();
        } finally {
          await handle.close();
        }
        active = { firstSeq: torn.segment.firstSeq, validBytes: torn.validBytes };
      }
      if (fsync) await fsyncDir(dataDir);
    } else if (lastScan !== undefined) {
      active = { firstSeq: lastScan.firstSeq, validBytes: lastScan.sizeBytes };
    }
    if (options.verifyOnOpen ?? true) {
      const violations = recovered.engine.checkInvariants();
      if (violations.length > 0) throw new Error(`recovered state violates invariants: ${violations.join('; ')}`);
    }
    const window = recovered.window ?? new IdempotencyWindow(windowOptions);
    const report: RecoveryReport = {
      snapshotSeq: recovered.snapshotSeq, replayedCommands: recovered.replayedCommands, truncatedBytes,
      ms: Math.round(performance.now() - startedMs),
    };
    const venue = new DurableVenueImpl(recovered.engine, window, settings, report, releaseLock,
      recent.slice(-settings.outcomeCacheSize));
    venue.writer = await JournalWriter.open({
      dataDir, segmentSizeBytes, fsync, hooks: settings.hooks,
      onDurable: (seq) => venue.onDurable(seq),
      onFailure: (error) => venue.failClosed(error, true),
    }, active, recovered.lastSeq);
    log.info({ dataDir, lastSeq: recovered.lastSeq, ...report, segment: segmentFileName(venue.writer.activeSegment.firstSeq) },
      'journal recovered');
    if (settings.hooks.afterRecovery !== undefined) await settings.hooks.afterRecovery();
    venue.startTicks(options.tickIntervalMs ?? 1000);
    return venue;
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}
