/**
 * @module api/ws/listen-keys
 * User-data-stream keys (Binance USER_STREAM): one active key per API key, valid 60 minutes from
 * creation or the last keep-alive. POST returns the active key (and extends it) or makes a new one;
 * PUT extends; DELETE closes. Keys live in memory: after a restart clients get -1125 on keep-alive
 * or a closed socket and recreate the key, as they do on Binance when a key expires.
 */
import { randomBytes } from 'node:crypto';

export const LISTEN_KEY_TTL_MS = 60 * 60_000;

export interface ListenKeyRecord {
  readonly listenKey: string;
  readonly apiKey: string;
  readonly accountId: number;
  expiresAtMs: number;
}

export class ListenKeys {
  private readonly byListenKey = new Map<string, ListenKeyRecord>();
  private readonly byApiKey = new Map<string, ListenKeyRecord>();
  /** Called when a key expires or is closed (the hub tells its sockets). */
  onExpired: (record: ListenKeyRecord, nowMs: number) => void = () => undefined;

  constructor(private readonly ttlMs = LISTEN_KEY_TTL_MS) {}

  createOrExtend(apiKey: string, accountId: number, nowMs: number): ListenKeyRecord {
    this.expire(nowMs);
    const existing = this.byApiKey.get(apiKey);
    if (existing !== undefined) {
      existing.expiresAtMs = nowMs + this.ttlMs;
      return existing;
    }
    const record: ListenKeyRecord = { listenKey: randomBytes(32).toString('hex'), apiKey, accountId,
      expiresAtMs: nowMs + this.ttlMs };
    this.byListenKey.set(record.listenKey, record);
    this.byApiKey.set(apiKey, record);
    return record;
  }

  /** Extends the key of `apiKey`; undefined when it has none (-1125). */
  keepAlive(apiKey: string, nowMs: number): ListenKeyRecord | undefined {
    this.expire(nowMs);
    const record = this.byApiKey.get(apiKey);
    if (record !== undefined) record.expiresAtMs = nowMs + this.ttlMs;
    return record;
  }

  close(apiKey: string, nowMs: number): boolean {
    const record = this.byApiKey.get(apiKey);
    if (record === undefined) return false;
    this.remove(record);
    this.onExpired(record, nowMs);
    return true;
  }

  get(listenKey: string, nowMs: number): ListenKeyRecord | undefined {
    this.expire(nowMs);
    return this.byListenKey.get(listenKey);
  }

  /** Drops expired keys and notifies; the hub calls this on a timer as well. */
  expire(nowMs: number): void {
    for (const record of this.byListenKey.values()) {
      if (record.expiresAtMs > nowMs) continue;
      this.remove(record);
      this.onExpired(record, nowMs);
    }
  }

  private remove(record: ListenKeyRecord): void {
    this.byListenKey.delete(record.listenKey);
    if (this.byApiKey.get(record.apiKey) === record) this.byApiKey.delete(record.apiKey);
  }
}
