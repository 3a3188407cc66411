/**
 * @module cluster/cluster-client
 * Submits commands to whichever engine node leads, by NATS request, and retries with the same
 * idempotency key until an outcome comes back: through "no responders" (no leader subscribed
 * yet), timeouts (the leader died with the request in flight) and "retry" replies (it stepped
 * down). The key makes every retry safe: a command that reached the log is answered from the
 * window, one that did not is applied once by whoever leads next.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { UnsequencedCommand } from '../core/index.js';
import type { CommandOutcome } from '../venue/venue.js';
import { decodeSubmitReply, encodeSubmitRequest, SUBMIT_SUBJECT } from './protocol.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 2_000;
const DEFAULT_GIVE_UP_AFTER_MS = 30_000;
const RETRY_PAUSE_MS = 50;

/** The leader refused the command itself (it would be refused again): a codec error or a key conflict. */
export class SubmitRefusedError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'SubmitRefusedError';
  }
}

export interface ClusterSubmitOutcome extends CommandOutcome {
  /** Requests sent for this command (1 = no retry). */
  readonly attempts: number;
  /** False for an old duplicate whose events left the leader's cache (seq and atMs are still exact). */
  readonly eventsKnown: boolean;
}

export interface ClusterClientOptions {
  readonly requestTimeoutMs?: number;
  /** Stop retrying after this long and reject (default 30 s). */
  readonly giveUpAfterMs?: number;
}

export class ClusterClient {
  private readonly requestTimeoutMs: number;
  private readonly giveUpAfterMs: number;

  constructor(readonly connection: NatsConnection, options: ClusterClientOptions = {}) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.giveUpAfterMs = options.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS;
  }

  static async connect(servers: readonly string[], options: ClusterClientOptions = {}): Promise<ClusterClient> {
    const connection = await connect({ servers: [...servers], maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    return new ClusterClient(connection, options);
  }

  /** Resolves once the command is in the replicated log and applied; the key is required. */
  async submit(command: UnsequencedCommand, idempotencyKey: string): Promise<ClusterSubmitOutcome> {
    const request = encodeSubmitRequest(idempotencyKey, command);
    const deadline = performance.now() + this.giveUpAfterMs;
    let lastProblem = 'no attempt';
    for (let attempts = 1; performance.now() < deadline; attempts++) {
      try {
        const reply = decodeSubmitReply((await this.connection.request(SUBMIT_SUBJECT, request, { timeout: this.requestTimeoutMs })).data);
        if (reply.kind === 'outcome') return { ...reply.outcome, attempts, eventsKnown: reply.eventsKnown };
        if (reply.kind === 'refused') throw new SubmitRefusedError(reply.code, reply.message);
        lastProblem = reply.reason;
      } catch (error) {
        if (error instanceof SubmitRefusedError) throw error;
        lastProblem = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    }
    throw new Error(`gave up on ${idempotencyKey} after ${this.giveUpAfterMs} ms: ${lastProblem}`);
  }

  async close(): Promise<void> {
    await this.connection.drain();
  }
}
