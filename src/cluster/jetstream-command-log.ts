/**
 * @module cluster/jetstream-command-log
 * The command log as a NATS JetStream stream (PERPX_COMMANDS), replicated over a cluster: one
 * message per batch of records (cluster/command-batch).
 *
 * Appends are a core NATS request to the stream's subject (the client's one muxed inbox
 * subscription collects the acks), with two headers:
 * - `Nats-Expected-Last-Sequence`: the stream sequence of the last message this instance has read
 *   or written. Another writer's message in between makes the server refuse the append (error
 *   10071), which is how a zombie leader is fenced: it can never write over a history it missed.
 * - `Nats-Msg-Id`: `<first seq>.<writer id>`. Retrying an append whose ack was lost returns the
 *   original's ack (duplicate) instead of a second copy. The writer id (node and leadership term)
 *   is part of it so two writers that stamped the same first seq never pass for each other.
 *
 * `js.publish()` of @nats-io/jetstream does the same with more work per message; issue 19 measured
 * it 4–6× slower, client-bound. Reading uses an ordered consumer (ephemeral, in-order, recreated by
 * the client on gaps), from the tail onwards.
 */
import {
  DeliverPolicy, DiscardPolicy, jetstream, jetstreamManager, JetStreamApiError, RetentionPolicy, StorageType,
  type ConsumerMessages, type JetStreamClient, type JetStreamManager,
} from '@nats-io/jetstream';
import { headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import { forEachRecord } from './command-batch.js';
import { LogFencedError, type CommandBatch, type CommandLog, type RecordListener } from './command-log.js';

export const COMMAND_STREAM = 'PERPX_COMMANDS';
export const COMMAND_SUBJECT = 'perpx.log.commands';
/** JetStream's error code for a failed Nats-Expected-Last-Sequence check. */
const WRONG_LAST_SEQUENCE = 10071;
const DEFAULT_APPEND_TIMEOUT_MS = 5_000;
/** Long enough to cover a leader's append retries across a NATS node restart. */
const DUPLICATE_WINDOW_MS = 120_000;
/** Ordered consumers pull this many messages ahead. */
const READ_AHEAD_MESSAGES = 256;

export interface JetStreamCommandLogOptions {
  readonly connection: NatsConnection;
  /** Replicas of the stream when this call creates it (1 or 3; an existing stream keeps its own). */
  readonly replicas?: number;
  readonly stream?: string;
  readonly subject?: string;
  readonly appendTimeoutMs?: number;
}

interface PubAckReply {
  readonly seq?: number;
  readonly duplicate?: boolean;
  readonly error?: { readonly code: number; readonly err_code: number; readonly description: string };
}

export class JetStreamCommandLog implements CommandLog {
  /** Stream sequence of the last message read or written by this instance. */
  private tailPosition = 0;
  private follower: ConsumerMessages | undefined;
  private following: Promise<void> | undefined;
  /** Identifies this writer's leadership term in Nats-Msg-Id (set by the sequencer on takeover). */
  writerId = 'unset';

  private constructor(
    private readonly connection: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly stream: string,
    readonly subject: string,
    private readonly appendTimeoutMs: number,
  ) {}

  /** Creates the stream if it does not exist. */
  static async open(options: JetStreamCommandLogOptions): Promise<JetStreamCommandLog> {
    const stream = options.stream ?? COMMAND_STREAM;
    const subject = options.subject ?? COMMAND_SUBJECT;
    const jsm = await jetstreamManager(options.connection);
    try {
      await jsm.streams.info(stream);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
      await jsm.streams.add({
        name: stream, subjects: [subject], storage: StorageType.File, num_replicas: options.replicas ?? 1,
        retention: RetentionPolicy.Limits, discard: DiscardPolicy.Old, duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      }).catch(async (addError: unknown) => {
        // Two nodes starting at once: the other one created it.
        if ((await jsm.streams.info(stream).catch(() => undefined)) === undefined) throw addError;
      });
    }
    return new JetStreamCommandLog(options.connection, jetstream(options.connection), jsm, stream, subject,
      options.appendTimeoutMs ?? DEFAULT_APPEND_TIMEOUT_MS);
  }

  get position(): number {
    return this.tailPosition;
  }

  async append(batch: CommandBatch): Promise<void> {
    const h = headers();
    h.set('Nats-Msg-Id', `${batch.firstSeq}.${this.writerId}`);
    h.set('Nats-Expected-Last-Sequence', String(this.tailPosition));
    const reply = await this.connection.request(this.subject, batch.bytes, { headers: h, timeout: this.appendTimeoutMs });
    const ack = reply.json<PubAckReply>();
    if (ack.error !== undefined) {
      if (ack.error.err_code === WRONG_LAST_SEQUENCE) {
        throw new LogFencedError(`append of seq ${batch.firstSeq} refused: ${ack.error.description} (expected ${this.tailPosition})`);
      }
      throw new Error(`append of seq ${batch.firstSeq} failed: ${ack.error.description} (${ack.error.err_code})`);
    }
    if (ack.seq === undefined) throw new Error(`append of seq ${batch.firstSeq}: no sequence in the ack`);
    this.tailPosition = ack.seq;
  }

  /** The stream's last sequence as the stream leader reports it now. */
  async endPosition(): Promise<number> {
    return (await this.jsm.streams.info(this.stream)).state.last_seq;
  }

  async catchUp(onRecord: RecordListener): Promise<void> {
    const end = await this.endPosition();
    if (end <= this.tailPosition) return;
    const consumer = await this.js.consumers.get(this.stream, {
      deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.tailPosition + 1,
    });
    const messages = await consumer.consume({ max_messages: READ_AHEAD_MESSAGES });
    try {
      for await (const message of messages) {
        forEachRecord(message.data, onRecord);
        this.tailPosition = message.seq;
        if (message.seq >= end) break;
      }
    } finally {
      await messages.close();
    }
  }

  /**
   * Delivers records as other writers append them, until stopFollowing(). The listener may throw to
   * stop (a record that does not decode or apply); the error is handed to onError.
   */
  async follow(onRecord: RecordListener, onError: (error: Error) => void): Promise<void> {
    if (this.following !== undefined) throw new Error('already following');
    const consumer = await this.js.consumers.get(this.stream, {
      deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.tailPosition + 1,
    });
    const messages = await consumer.consume({ max_messages: READ_AHEAD_MESSAGES });
    this.follower = messages;
    this.following = (async () => {
      try {
        for await (const message of messages) {
          forEachRecord(message.data, onRecord);
          this.tailPosition = message.seq;
        }
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    })();
  }

  async stopFollowing(): Promise<void> {
    const messages = this.follower;
    const following = this.following;
    this.follower = undefined;
    this.following = undefined;
    if (messages !== undefined) await messages.close();
    if (following !== undefined) await following;
  }

  async close(): Promise<void> {
    await this.stopFollowing();
  }
}
