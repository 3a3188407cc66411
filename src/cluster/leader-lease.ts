/**
 * @module cluster/leader-lease
 * Who may sequence: one key in a JetStream KV bucket whose entries expire after the lease TTL
 * (the bucket's max age). A node takes the lease by creating the key (fails while someone holds
 * it), keeps it by updating it at the revision it last wrote (fails once anyone else wrote it), and
 * lets it go by deleting it at that revision. A leader that stops renewing (killed, paused,
 * partitioned) loses it after at most the TTL. The lease only decides who tries to write: safety
 * comes from the command log's expected-last-sequence check, which refuses a writer that missed
 * an append, whatever it believes about the lease.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

export const LEASE_BUCKET = 'PERPX_LEADER';
const LEASE_KEY = 'engine';

export interface LeaderLeaseOptions {
  readonly connection: NatsConnection;
  readonly nodeId: string;
  readonly ttlMs: number;
  readonly replicas: number;
  readonly bucket?: string;
}

export class LeaderLease {
  private constructor(private readonly kv: KV, readonly nodeId: string) {}

  static async open(options: LeaderLeaseOptions): Promise<LeaderLease> {
    const kv = await new Kvm(options.connection).create(options.bucket ?? LEASE_BUCKET, {
      ttl: options.ttlMs, history: 1, replicas: options.replicas,
    });
    return new LeaderLease(kv, options.nodeId);
  }

  /** The lease's revision when this node took it; undefined when another node holds it. */
  async tryAcquire(): Promise<number | undefined> {
    try {
      return await this.kv.create(LEASE_KEY, this.nodeId);
    } catch {
      return undefined;
    }
  }

  /**
   * The new revision; 'lost' when someone else wrote the key since (or it expired and was taken);
   * 'unreachable' when NATS did not answer (a server restarting): the caller keeps the lease until
   * its own TTL runs out.
   */
  async renew(revision: number): Promise<number | 'lost' | 'unreachable'> {
    try {
      return await this.kv.update(LEASE_KEY, this.nodeId, revision);
    } catch (error) {
      return /wrong last sequence/i.test((error as Error).message) ? 'lost' : 'unreachable';
    }
  }

  /** Lets the lease go at once (only if it is still ours at this revision). */
  async release(revision: number): Promise<void> {
    await this.kv.delete(LEASE_KEY, { previousSeq: revision }).catch(() => undefined);
  }

  /** The node holding the lease now, if any. */
  async holder(): Promise<string | undefined> {
    const entry = await this.kv.get(LEASE_KEY);
    return entry === null || entry.operation !== 'PUT' ? undefined : entry.string();
  }
}
