/**
 * @module api/auth/keys
 * API keys. HMAC needs the secret itself on the server (a hash would not do), so secrets are kept
 * in `<dataDir>/api-keys.json`, written atomically (temp file + rename) with mode 0600 and nothing
 * else in it that is not needed to verify a request: key, secret, account, permissions, IP list.
 * Without a data directory the store lives in memory (tests, ephemeral servers).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Permission = 'read' | 'trade';
export const PERMISSIONS: readonly Permission[] = ['read', 'trade'];

export interface ApiKeyRecord {
  readonly apiKey: string;
  readonly secret: string;
  readonly accountId: number;
  readonly permissions: readonly Permission[];
  /** Empty: any address. Entries are exact IPs (IPv4 or IPv6 text as the socket reports it). */
  readonly ipAllowList: readonly string[];
  readonly createdAtMs: number;
  /**
   * The account holding this key when it is not the account's owner: the trader of a sponsored
   * account (api/extra/sponsor-keys.ts revokes it when the sponsorship settles). Absent otherwise.
   */
  readonly heldBy?: number;
}

interface KeyFile {
  readonly version: 1;
  readonly keys: ApiKeyRecord[];
}

export const API_KEY_RE = /^[A-Za-z0-9]{16,128}$/;

export class KeyStore {
  private readonly byKey = new Map<string, ApiKeyRecord>();
  /** Key strings by account, so per-account questions never walk every key. */
  private readonly byAccount = new Map<number, Set<string>>();
  private readonly path: string | undefined;

  constructor(dataDir: string | undefined) {
    this.path = dataDir === undefined ? undefined : join(dataDir, 'api-keys.json');
    if (this.path !== undefined && existsSync(this.path)) {
      const file = JSON.parse(readFileSync(this.path, 'utf8')) as KeyFile;
      for (const record of file.keys) this.add(record);
      chmodSync(this.path, 0o600);
    }
  }

  get(apiKey: string): ApiKeyRecord | undefined {
    return this.byKey.get(apiKey);
  }

  /** Keys of one account (for the operator API). */
  ofAccount(accountId: number): ApiKeyRecord[] {
    return [...(this.byAccount.get(accountId) ?? [])].map((apiKey) => this.byKey.get(apiKey)!);
  }

  countOfAccount(accountId: number): number {
    return this.byAccount.get(accountId)?.size ?? 0;
  }

  create(
    accountId: number, permissions: readonly Permission[], ipAllowList: readonly string[], nowMs: number, heldBy?: number,
  ): ApiKeyRecord {
    const record: ApiKeyRecord = {
      apiKey: randomBytes(32).toString('hex'),
      secret: randomBytes(32).toString('hex'),
      accountId,
      permissions: [...new Set(permissions)],
      ipAllowList: [...ipAllowList],
      createdAtMs: nowMs,
      ...(heldBy === undefined ? {} : { heldBy }),
    };
    this.add(record);
    this.save();
    return record;
  }

  revoke(apiKey: string): boolean {
    const removed = this.remove(apiKey);
    if (removed) this.save();
    return removed;
  }

  /** Revokes every key of `accountId` that `keep` does not keep, saving once; returns how many. */
  revokeOfAccount(accountId: number, keep: (record: ApiKeyRecord) => boolean = () => false): number {
    let removed = 0;
    for (const record of this.ofAccount(accountId)) {
      if (keep(record)) continue;
      this.remove(record.apiKey);
      removed += 1;
    }
    if (removed > 0) this.save();
    return removed;
  }

  private add(record: ApiKeyRecord): void {
    this.byKey.set(record.apiKey, record);
    let keys = this.byAccount.get(record.accountId);
    if (keys === undefined) this.byAccount.set(record.accountId, keys = new Set());
    keys.add(record.apiKey);
  }

  private remove(apiKey: string): boolean {
    const record = this.byKey.get(apiKey);
    if (record === undefined) return false;
    this.byKey.delete(apiKey);
    const keys = this.byAccount.get(record.accountId)!;
    keys.delete(apiKey);
    if (keys.size === 0) this.byAccount.delete(record.accountId);
    return true;
  }

  private save(): void {
    if (this.path === undefined) return;
    const file: KeyFile = { version: 1, keys: [...this.byKey.values()] };
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, JSON.stringify(file, null, 2), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }
}
