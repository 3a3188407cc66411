/**
 * @module surveillance/delivery/audit-log
 * The persisted audit trail of every alert (MiCA Art. 92 / RTS 2025/885: every alert, its evidence
 * seq range and its disposition): `<dataDir>/surveillance.sqlite` (WAL), in memory without a data
 * directory. An alert is stored once under its deterministic id, so a restart that replays the
 * journal re-derives the same alerts and stores nothing twice. Each disposition (acknowledged,
 * escalated, dismissed, with who and why and when) is kept as history; the alert shows the latest.
 * Webhook deliveries are recorded too, and account links added at run time (with the seq they apply
 * from), so a restart that re-derives the alerts links the same accounts at the same points.
 * Exports as JSON or CSV, and the suspicious-order report.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ALERT_CODES, SEVERITIES, type Alert, type AlertCode, type Severity } from '../alert.js';
import type { AccountLink } from '../links.js';

export const DISPOSITIONS = ['acknowledged', 'escalated', 'dismissed'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export type AlertStatus = 'open' | Disposition;

export const AUDIT_FILE = 'surveillance.sqlite';
/** Longest text kept for who / why (the operator types them). */
export const MAX_NOTE_CHARS = 500;
export const MAX_PAGE = 1_000;

export interface StoredAlert {
  readonly alert: Alert;
  readonly status: AlertStatus;
  readonly dispositions: readonly DispositionRecord[];
}

export interface DispositionRecord {
  readonly status: Disposition;
  readonly by: string;
  readonly why: string;
  readonly atMs: number;
}

export interface AlertFilter {
  readonly codes?: readonly AlertCode[];
  readonly minSeverity?: Severity;
  readonly status?: AlertStatus;
  readonly accountId?: number;
  readonly symbol?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Page: alerts with a seq below this (newest first). */
  readonly beforeSeq?: number;
  readonly limit?: number;
}

export class AuditLog {
  private readonly db: Database.Database;
  private readonly insertAlert: Database.Statement;
  private readonly insertAccount: Database.Statement;

  constructor(dataDir: string | undefined) {
    this.db = new Database(dataDir === undefined ? ':memory:' : join(dataDir, AUDIT_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS alerts (
        id TEXT PRIMARY KEY, to_seq INTEGER NOT NULL, from_seq INTEGER NOT NULL, at_ms INTEGER NOT NULL, code TEXT NOT NULL,
        severity INTEGER NOT NULL, symbol TEXT, json TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open');
      CREATE INDEX IF NOT EXISTS alerts_seq ON alerts (to_seq);
      CREATE TABLE IF NOT EXISTS alert_accounts (alert_id TEXT NOT NULL, account_id INTEGER NOT NULL, PRIMARY KEY (account_id, alert_id));
      CREATE TABLE IF NOT EXISTS dispositions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL, status TEXT NOT NULL, by TEXT NOT NULL, why TEXT NOT NULL, at_ms INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS dispositions_alert ON dispositions (alert_id);
      CREATE TABLE IF NOT EXISTS deliveries (
        alert_id TEXT NOT NULL, target TEXT NOT NULL, attempts INTEGER NOT NULL, ok INTEGER NOT NULL, detail TEXT NOT NULL, at_ms INTEGER NOT NULL,
        PRIMARY KEY (alert_id, target));
      CREATE TABLE IF NOT EXISTS links (
        id INTEGER PRIMARY KEY AUTOINCREMENT, a INTEGER NOT NULL, b INTEGER NOT NULL, reason TEXT NOT NULL, from_seq INTEGER NOT NULL);
    `);
    this.insertAlert = this.db.prepare(
      'INSERT OR IGNORE INTO alerts (id, to_seq, from_seq, at_ms, code, severity, symbol, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertAccount = this.db.prepare('INSERT OR IGNORE INTO alert_accounts (alert_id, account_id) VALUES (?, ?)');
  }

  /** Stores alerts not stored yet; returns those that were new (the others were re-derived by a replay). */
  append(alerts: readonly Alert[]): Alert[] {
    const fresh: Alert[] = [];
    this.db.transaction(() => {
      for (const alert of alerts) {
        const result = this.insertAlert.run(alert.id, alert.toSeq, alert.fromSeq, alert.atMs, alert.code, SEVERITIES.indexOf(alert.severity),
          alert.symbol, JSON.stringify(alert));
        if (result.changes === 0) continue;
        fresh.push(alert);
        for (const accountId of alert.accountIds) this.insertAccount.run(alert.id, accountId);
      }
    })();
    return fresh;
  }

  recordLink(link: AccountLink): void {
    this.db.prepare('INSERT INTO links (a, b, reason, from_seq) VALUES (?, ?, ?, ?)').run(link.a, link.b, link.reason, link.fromSeq);
  }

  /** Links added at run time, in the order they were added. */
  links(): AccountLink[] {
    const rows = this.db.prepare('SELECT a, b, reason, from_seq AS fromSeq FROM links ORDER BY id').all() as AccountLink[];
    return rows.map((row) => ({ a: row.a, b: row.b, reason: row.reason, fromSeq: row.fromSeq }));
  }

  /** Highest seq of a stored alert (0 when none). */
  lastSeq(): number {
    const row = this.db.prepare('SELECT MAX(to_seq) AS seq FROM alerts').get() as { seq: number | null };
    return row.seq ?? 0;
  }

  get(id: string): StoredAlert | undefined {
    const row = this.db.prepare('SELECT json, status FROM alerts WHERE id = ?').get(id) as { json: string; status: AlertStatus } | undefined;
    if (row === undefined) return undefined;
    return { alert: JSON.parse(row.json) as Alert, status: row.status, dispositions: this.dispositionsOf(id) };
  }

  /** Newest first. */
  list(filter: AlertFilter = {}): StoredAlert[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.codes !== undefined && filter.codes.length > 0) {
      where.push(`code IN (${filter.codes.map(() => '?').join(', ')})`);
      args.push(...filter.codes);
    }
    if (filter.minSeverity !== undefined) {
      where.push('severity >= ?');
      args.push(SEVERITIES.indexOf(filter.minSeverity));
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.symbol !== undefined) {
      where.push('symbol = ?');
      args.push(filter.symbol);
    }
    if (filter.accountId !== undefined) {
      where.push('id IN (SELECT alert_id FROM alert_accounts WHERE account_id = ?)');
      args.push(filter.accountId);
    }
    if (filter.fromMs !== undefined) {
      where.push('at_ms >= ?');
      args.push(filter.fromMs);
    }
    if (filter.toMs !== undefined) {
      where.push('at_ms <= ?');
      args.push(filter.toMs);
    }
    if (filter.beforeSeq !== undefined) {
      where.push('to_seq < ?');
      args.push(filter.beforeSeq);
    }
    const limit = Math.min(filter.limit ?? 100, MAX_PAGE);
    const sql = `SELECT id, json, status FROM alerts ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY to_seq DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, limit) as { id: string; json: string; status: AlertStatus }[];
    return rows.map((row) => ({ alert: JSON.parse(row.json) as Alert, status: row.status, dispositions: this.dispositionsOf(row.id) }));
  }

  /** Records a disposition (wall-clock time: the operator's act, not an event). Undefined when the alert is unknown. */
  dispose(id: string, status: Disposition, by: string, why: string, atMs: number): StoredAlert | undefined {
    if (!DISPOSITIONS.includes(status)) throw new Error(`disposition must be one of ${DISPOSITIONS.join(', ')}`);
    const changed = this.db.transaction(() => {
      const result = this.db.prepare('UPDATE alerts SET status = ? WHERE id = ?').run(status, id);
      if (result.changes === 0) return false;
      this.db.prepare('INSERT INTO dispositions (alert_id, status, by, why, at_ms) VALUES (?, ?, ?, ?, ?)')
        .run(id, status, by.slice(0, MAX_NOTE_CHARS), why.slice(0, MAX_NOTE_CHARS), atMs);
      return true;
    })();
    return changed ? this.get(id) : undefined;
  }

  recordDelivery(alertId: string, target: string, attempts: number, ok: boolean, detail: string, atMs: number): void {
    this.db.prepare('INSERT OR REPLACE INTO deliveries (alert_id, target, attempts, ok, detail, at_ms) VALUES (?, ?, ?, ?, ?, ?)')
      .run(alertId, target, attempts, ok ? 1 : 0, detail.slice(0, MAX_NOTE_CHARS), atMs);
  }

  deliveries(alertId: string): { target: string; attempts: number; ok: boolean; detail: string; atMs: number }[] {
    const rows = this.db.prepare('SELECT target, attempts, ok, detail, at_ms FROM deliveries WHERE alert_id = ? ORDER BY target').all(alertId) as
      { target: string; attempts: number; ok: number; detail: string; at_ms: number }[];
    return rows.map((row) => ({ target: row.target, attempts: row.attempts, ok: row.ok === 1, detail: row.detail, atMs: row.at_ms }));
  }

  counts(): Record<string, number> {
    const rows = this.db.prepare('SELECT code, COUNT(*) AS n FROM alerts GROUP BY code').all() as { code: string; n: number }[];
    const counts: Record<string, number> = {};
    for (const code of ALERT_CODES) counts[code] = 0;
    for (const row of rows) counts[row.code] = row.n;
    return counts;
  }

  close(): void {
    this.db.close();
  }

  private dispositionsOf(id: string): DispositionRecord[] {
    return this.db.prepare('SELECT status, by, why, at_ms FROM dispositions WHERE alert_id = ? ORDER BY id').all(id)
      .map((row) => {
        const record = row as { status: Disposition; by: string; why: string; at_ms: number };
        return { status: record.status, by: record.by, why: record.why, atMs: record.at_ms };
      });
  }
}
