/**
 * @module cluster/engine-node
 * One engine process of a cluster: a hot standby that follows the JetStream command log, or the
 * leader that sequences. Roles change through the KV lease (cluster/leader-lease).
 *
 * Leader: takes submit requests on SUBMIT_SUBJECT (queue group, so one leader answers), answers
 * retries from the idempotency window (or waits with the in-flight original), stamps seq and atMs
 * (atMs = max(wall clock, last atMs): never backwards), and group-commits: at most one append in
 * flight, everything that arrives meanwhile goes into the next batch. After the stream acks a
 * batch it decodes the batch's records and applies them exactly as a standby does, publishes their
 * events on EVENTS_SUBJECT and replies to each requester. Nothing is applied or acknowledged before
 * it is in the replicated log.
 *
 * Standby: applies the log in order as it arrives (same window, same outcome cache, same hash).
 * On taking the lease it stops following, drains the stream to its end, and only then appends,
 * with expected-last-sequence = the end it drained to. If any append fails (fenced by another
 * writer, NATS unreachable past the timeout) or the lease is lost, the node steps down: pending
 * requesters are told to retry (their keys make the retry safe), it lets the lease go and follows
 * again. A batch whose ack was lost may still land; the next drain applies it, and the retry is
 * answered from the window.
 */
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { EngineEvent, InstrumentSpec, UnsequencedCommand } from '../core/index.js';
import { crc32c, encodeRecord, stderrLogger, type JournalLogger, type JournalRecord } from '../journal/index.js';
import { decodeCommandBody, encodeEventBatch } from '../wire/index.js';
import { forEachRecord, joinRecords } from './command-batch.js';
import { LogFencedError, type CommandBatch } from './command-log.js';
import { EngineReplica } from './engine-replica.js';
import { JetStreamCommandLog } from './jetstream-command-log.js';
import { LeaderLease } from './leader-lease.js';
import {
  decodeSubmitRequest, DEFAULT_LEASE_TTL_MS, encodeOutcomeReply, encodeRefusedReply, encodeRetryReply, EVENTS_SUBJECT, statusSubject,
  SUBMIT_QUEUE, SUBMIT_SUBJECT,
} from './protocol.js';

/** Renewals per TTL: a renewal can fail this many times minus one before the lease is in danger. */
const RENEWALS_PER_TTL = 4;
/** A batch holds at most this many commands and bytes (NATS max_payload is 1 MiB by default). */
const MAX_BATCH_COMMANDS = 4_096;
const MAX_BATCH_BYTES = 512 * 1024;
const RECONNECT_WAIT_MS = 250;
const RETRY_PAUSE_MS = 100;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type EngineNodeRole = 'standby' | 'taking-over' | 'leader' | 'stopping';

export interface EngineNodeOptions {
  readonly servers: readonly string[];
  readonly nodeId: string;
  /** 'auto': lead when the lease is free; 'standby': follow only. */
  readonly mode?: 'auto' | 'standby';
  /** Replicas of the command stream and the lease bucket when this node creates them. */
  readonly replicas?: number;
  readonly leaseTtlMs?: number;
  /** The leader appends a Tick this often (mark, funding, triggers); 0 disables. */
  readonly tickIntervalMs?: number;
  readonly instruments?: readonly InstrumentSpec[];
  readonly logger?: JournalLogger;
  readonly clock?: () => number;
  /** Pause points for failover tests; never set in production. */
  readonly testHooks?: {
    /** After the stream acknowledged a batch, before it is applied and answered. */
    readonly afterAppend?: (lastSeq: number) => Promise<void>;
  };
}

export interface EngineNodeStatus {
  readonly nodeId: string;
  readonly role: EngineNodeRole;
  readonly lastSeq: number;
  readonly stateHash: string;
  readonly logPosition: number;
  readonly leaderTerms: number;
}

interface Stamped {
  readonly seq: number;
  readonly key: string | undefined;
  readonly bodyCrc: number;
  readonly record: Uint8Array;
  /** Requesters waiting for this command (the original and any retries that came meanwhile). */
  readonly replies: Msg[];
}

export class EngineNode {
  readonly replica: EngineReplica;
  private role: EngineNodeRole = 'standby';
  private leaseRevision = 0;
  private leaseRenewedAtMs = 0;
  private leaderTerms = 0;
  private nextSeq = 1;
  private lastAtMs = 0;
  private queue: Stamped[] = [];
  private readonly inflight = new Map<string, Stamped>();
  private flushing: Promise<void> | undefined;
  private takingOver: Promise<void> | undefined;
  private submitSubscription: Subscription | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private leaseBusy = false;
  private readonly log: JournalLogger;
  private readonly clock: () => number;

  private constructor(
    private readonly options: EngineNodeOptions,
    private readonly connection: NatsConnection,
    private readonly commands: JetStreamCommandLog,
    private readonly lease: LeaderLease,
  ) {
    this.replica = new EngineReplica(options.instruments);
    this.log = options.logger ?? stderrLogger;
    this.clock = options.clock ?? Date.now;
  }

  static async start(options: EngineNodeOptions): Promise<EngineNode> {
    const connection = await connect({
      servers: [...options.servers], name: `perpx-engine-${options.nodeId}`, maxReconnectAttempts: -1,
      reconnectTimeWait: RECONNECT_WAIT_MS,
    });
    const replicas = options.replicas ?? 1;
    const commands = await JetStreamCommandLog.open({ connection, replicas });
    const lease = await LeaderLease.open({
      connection, nodeId: options.nodeId, ttlMs: options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS, replicas,
    });
    const node = new EngineNode(options, connection, commands, lease);
    connection.subscribe(statusSubject(options.nodeId), {
      callback: (_error, msg) => {
        msg.respond(JSON.stringify(node.status()));
      },
    });
    await node.follow();
    const ttlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    node.leaseTimer = setInterval(() => void node.leaseStep(), Math.max(50, Math.floor(ttlMs / RENEWALS_PER_TTL)));
    return node;
  }

  status(): EngineNodeStatus {
    return {
      nodeId: this.options.nodeId, role: this.role, lastSeq: this.replica.lastSeq, stateHash: this.replica.engine.stateHash(),
      logPosition: this.commands.position, leaderTerms: this.leaderTerms,
    };
  }

  get currentRole(): EngineNodeRole {
    return this.role;
  }

  /** Applies a record read from the log; a record that does not apply is fatal (crash-only core). */
  private readonly applyFromLog = (record: JournalRecord): void => {
    try {
      this.replica.apply(record);
    } catch (error) {
      this.fatal(`applying seq ${record.seq} from the command log failed`, error as Error);
    }
  };

  /**
   * Catches up and follows the log again, retrying while NATS cannot answer (a server restarting,
   * a stream leader election); apply failures never reach here (applyFromLog exits).
   */
  private async follow(): Promise<void> {
    while (this.role === 'standby') {
      try {
        await this.commands.stopFollowing();
        await this.commands.catchUp(this.applyFromLog);
        await this.commands.follow(this.applyFromLog, (error) => {
          this.log.warn({ nodeId: this.options.nodeId, error: error.message }, 'following interrupted; resuming');
          void this.follow();
        });
        return;
      } catch (error) {
        this.log.warn({ nodeId: this.options.nodeId, error: (error as Error).message }, 'cannot read the command log yet; retrying');
        await delay(RETRY_PAUSE_MS);
      }
    }
  }

  private fatal(message: string, error: Error): never {
    // The state may be half-updated: exit and let a restart rebuild it from the log.
    this.log.error({ nodeId: this.options.nodeId, error: error.message }, `${message}; exiting (crash-only)`);
    process.exit(1);
  }

  /** One lease round: renew while leading, try to take it while standing by. */
  private async leaseStep(): Promise<void> {
    if (this.leaseBusy || this.role === 'stopping') return;
    this.leaseBusy = true;
    try {
      if (this.role === 'leader' || this.role === 'taking-over') {
        const renewed = await this.lease.renew(this.leaseRevision);
        if (typeof renewed === 'number') {
          this.leaseRevision = renewed;
          this.leaseRenewedAtMs = performance.now();
        } else if (renewed === 'lost' || performance.now() - this.leaseRenewedAtMs > (this.options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS)) {
          await this.stepDown(`lease ${renewed}`);
        }
      } else if (this.role === 'standby' && (this.options.mode ?? 'auto') === 'auto') {
        const revision = await this.lease.tryAcquire();
        // Not awaited: the lease keeps being renewed while the drain runs.
        if (revision !== undefined) {
          this.takingOver = this.takeOver(revision).finally(() => {
            this.takingOver = undefined;
          });
        }
      }
    } finally {
      this.leaseBusy = false;
    }
  }

  private async takeOver(revision: number): Promise<void> {
    this.role = 'taking-over';
    this.leaseRevision = revision;
    this.leaseRenewedAtMs = performance.now();
    const startedMs = performance.now();
    try {
      await this.commands.stopFollowing();
      // Everything any earlier leader appended is applied before this node stamps a seq.
      await this.commands.catchUp(this.applyFromLog);
    } catch (error) {
      this.log.warn({ nodeId: this.options.nodeId, error: (error as Error).message }, 'take-over drain failed');
      // Not awaited: stepDown waits for this take-over to end.
      void this.stepDown('drain failed');
      return;
    }
    if (this.role !== 'taking-over') return;
    this.commands.writerId = `${this.options.nodeId}-${revision}`;
    this.nextSeq = this.replica.lastSeq + 1;
    this.lastAtMs = this.replica.engine.clockMs;
    this.leaderTerms++;
    this.submitSubscription = this.connection.subscribe(SUBMIT_SUBJECT, {
      queue: SUBMIT_QUEUE, callback: (_error, msg) => this.onSubmit(msg),
    });
    const tickMs = this.options.tickIntervalMs ?? 1_000;
    if (tickMs > 0) this.tickTimer = setInterval(() => this.stampTick(), tickMs);
    this.role = 'leader';
    this.log.info({
      nodeId: this.options.nodeId, lastSeq: this.replica.lastSeq, logPosition: this.commands.position,
      drainMs: Math.round(performance.now() - startedMs),
    }, 'leading');
  }

  /** Stops sequencing: pending requesters retry elsewhere, the lease goes, the log is followed again. */
  private async stepDown(reason: string): Promise<void> {
    if (this.role === 'standby' || this.role === 'stopping') return;
    this.log.warn({ nodeId: this.options.nodeId, reason, lastSeq: this.replica.lastSeq }, 'stepping down');
    this.role = 'standby';
    this.stopServing();
    // An append in flight settles first: if it landed, its records are applied and acknowledged.
    // A drain of a take-over ends first too, so only one reader moves the log's position.
    if (this.flushing !== undefined) await this.flushing;
    if (this.takingOver !== undefined) await this.takingOver;
    this.rejectQueued(`stepped down: ${reason}`);
    await this.lease.release(this.leaseRevision);
    await this.follow();
  }

  private stopServing(): void {
    this.submitSubscription?.unsubscribe();
    this.submitSubscription = undefined;
    if (this.tickTimer !== undefined) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
  }

  private rejectQueued(reason: string): void {
    const reply = encodeRetryReply(reason);
    for (const stamped of this.queue) for (const msg of stamped.replies) msg.respond(reply);
    this.queue = [];
    this.inflight.clear();
  }

  private onSubmit(msg: Msg): void {
    if (this.role !== 'leader') {
      msg.respond(encodeRetryReply('not the leader'));
      return;
    }
    let key: string;
    let body: Uint8Array;
    try {
      ({ key, body } = decodeSubmitRequest(msg.data));
    } catch (error) {
      msg.respond(encodeRefusedReply('codec', (error as Error).message));
      return;
    }
    const bodyCrc = crc32c(body);
    const known = this.replica.window.get(key);
    const waiting = known === undefined ? this.inflight.get(key) : undefined;
    if (known !== undefined || waiting !== undefined) {
      if ((known?.bodyCrc ?? waiting!.bodyCrc) !== bodyCrc) {
        msg.respond(encodeRefusedReply('idempotency-conflict', `key ${key} was used for another command`));
      } else if (waiting !== undefined) {
        waiting.replies.push(msg);
      } else {
        const cached = this.replica.outcomeOf(known!.seq);
        msg.respond(cached === undefined
          ? encodeOutcomeReply({ seq: known!.seq, atMs: known!.atMs, events: [], duplicate: true }, false)
          : encodeOutcomeReply({ ...cached, duplicate: true }));
      }
      return;
    }
    let stamped: Stamped;
    try {
      const seq = this.nextSeq;
      const atMs = this.stampTime();
      // Decoded and re-encoded: a body that does not decode never gets a seq.
      const command = decodeCommandBody(body, seq, atMs);
      stamped = { seq, key, bodyCrc, record: encodeRecord(seq, atMs, key, command), replies: [msg] };
    } catch (error) {
      msg.respond(encodeRefusedReply('codec', (error as Error).message));
      return;
    }
    this.nextSeq++;
    this.inflight.set(key, stamped);
    this.enqueue(stamped);
  }

  private stampTime(): number {
    const now = Math.floor(this.clock());
    if (Number.isSafeInteger(now) && now > this.lastAtMs) this.lastAtMs = now;
    return this.lastAtMs;
  }

  private stampTick(): void {
    if (this.role !== 'leader') return;
    const tick: UnsequencedCommand = { type: 'Tick' };
    const seq = this.nextSeq++;
    this.enqueue({ seq, key: undefined, bodyCrc: 0, record: encodeRecord(seq, this.stampTime(), undefined, tick), replies: [] });
  }

  private enqueue(stamped: Stamped): void {
    this.queue.push(stamped);
    this.flushing ??= this.flushLoop().finally(() => {
      this.flushing = undefined;
    });
  }

  /** Appends batches one at a time while the queue is not empty (group commit, no timer). */
  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0 && this.role === 'leader') {
      let count = 0;
      let bytes = 0;
      while (count < this.queue.length && count < MAX_BATCH_COMMANDS && bytes < MAX_BATCH_BYTES) bytes += this.queue[count++]!.record.length;
      const batch = this.queue.splice(0, count);
      const joined = joinRecords(batch[0]!.seq, batch.map((stamped) => stamped.record));
      const failure = await this.appendWithRetry(joined);
      if (failure !== undefined) {
        this.queue.unshift(...batch);
        // Not awaited: stepDown awaits this loop.
        void this.stepDown(`append failed: ${failure.message}`);
        return;
      }
      const afterAppend = this.options.testHooks?.afterAppend;
      if (afterAppend !== undefined) await afterAppend(joined.lastSeq);
      this.applyAppended(joined.bytes, joined.firstSeq, joined.lastSeq, batch);
    }
  }

  /**
   * Appends, retrying the same message (same Nats-Msg-Id, same expected last sequence) while NATS
   * does not answer, for up to one lease TTL: a retry of a batch that did land is acknowledged as a
   * duplicate. A fenced append is not retried. Returns the error that ended the attempts.
   */
  private async appendWithRetry(batch: CommandBatch): Promise<Error | undefined> {
    const giveUpAt = performance.now() + (this.options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS);
    for (;;) {
      try {
        await this.commands.append(batch);
        return undefined;
      } catch (error) {
        if (error instanceof LogFencedError || performance.now() > giveUpAt || this.role !== 'leader') return error as Error;
        this.log.warn({ nodeId: this.options.nodeId, seq: batch.firstSeq, error: (error as Error).message }, 'append not acknowledged; retrying');
        await delay(RETRY_PAUSE_MS);
      }
    }
  }

  private applyAppended(bytes: Uint8Array, firstSeq: number, lastSeq: number, batch: readonly Stamped[]): void {
    const events: EngineEvent[] = [];
    let index = 0;
    let atMs = 0;
    try {
      forEachRecord(bytes, (record) => {
        const applied = this.replica.apply(record);
        const stamped = batch[index++]!;
        if (applied === undefined) throw new Error(`appended seq ${record.seq} was already applied`);
        atMs = record.atMs;
        for (const event of applied.events) events.push(event);
        if (stamped.key !== undefined) this.inflight.delete(stamped.key);
        if (stamped.replies.length === 0) return;
        const first = encodeOutcomeReply({ seq: record.seq, atMs: record.atMs, events: applied.events, duplicate: false });
        stamped.replies[0]!.respond(first);
        if (stamped.replies.length > 1) {
          const retry = encodeOutcomeReply({ seq: record.seq, atMs: record.atMs, events: applied.events, duplicate: true });
          for (let i = 1; i < stamped.replies.length; i++) stamped.replies[i]!.respond(retry);
        }
      });
    } catch (error) {
      this.fatal(`applying appended seqs ${firstSeq}..${lastSeq} failed`, error as Error);
    }
    this.connection.publish(EVENTS_SUBJECT, encodeEventBatch({ fromSeq: firstSeq, toSeq: lastSeq, atMs, events }));
  }

  async close(): Promise<void> {
    if (this.leaseTimer !== undefined) clearInterval(this.leaseTimer);
    const wasLeading = this.role === 'leader' || this.role === 'taking-over';
    this.role = 'stopping';
    this.stopServing();
    if (this.flushing !== undefined) await this.flushing;
    if (this.takingOver !== undefined) await this.takingOver;
    this.rejectQueued('engine node stopping');
    if (wasLeading) await this.lease.release(this.leaseRevision);
    await this.commands.close();
    await this.connection.drain();
  }
}
