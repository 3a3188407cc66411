/**
 * @module surveillance/delivery/export
 * Alert exports for operators and supervisors:
 * - the audit log as JSON (the alerts with status and disposition history) or CSV (one row per
 *   alert, figures and thresholds as JSON in their columns);
 * - the suspicious-order report (STOR, MiCA Art. 92 and RTS 2025/885): the market-abuse alerts
 *   (M1–M8) with the accounts, the orders and trades named as evidence, the reasons (figures and
 *   thresholds), the evidence seq range (to replay it) and the disposition; JSON, or CSV with one
 *   row per order named.
 */
import type { EvidenceOrder, JsonValue } from '../alert.js';
import type { StoredAlert } from './audit-log.js';

/** RFC 4180 text: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  const quote = (value: string | number | boolean | null): string => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}

export function alertsJson(stored: readonly StoredAlert[]): string {
  return JSON.stringify(stored.map((item) => ({ ...item.alert, status: item.status, dispositions: item.dispositions })));
}

export function alertsCsv(stored: readonly StoredAlert[]): string {
  return csv(
    ['id', 'time', 'code', 'name', 'severity', 'symbol', 'accounts', 'from_seq', 'to_seq', 'status', 'disposed_by', 'disposition_reason',
      'message', 'inputs', 'threshold'],
    stored.map(({ alert, status, dispositions }) => {
      const last = dispositions[dispositions.length - 1];
      return [alert.id, new Date(alert.atMs).toISOString(), alert.code, alert.name, alert.severity, alert.symbol, alert.accountIds.join(' '),
        alert.fromSeq, alert.toSeq, status, last?.by ?? null, last?.why ?? null, alert.message, JSON.stringify(alert.inputs),
        JSON.stringify(alert.threshold)];
    }),
  );
}

/** The market-abuse typologies a suspicious-order report covers. */
export const STOR_CODES = ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8'] as const;

export interface SuspiciousOrderReport {
  readonly reportId: string;
  readonly typology: string;
  readonly code: string;
  readonly severity: string;
  readonly instrument: string | null;
  readonly detectedAtMs: number;
  readonly evidenceSeqRange: { readonly from: number; readonly to: number };
  readonly accounts: readonly number[];
  readonly orders: readonly EvidenceOrder[];
  readonly trades: JsonValue;
  readonly description: string;
  readonly reasons: { readonly figures: JsonValue; readonly thresholds: JsonValue };
  readonly status: string;
  readonly dispositions: JsonValue;
}

export function suspiciousOrderReports(stored: readonly StoredAlert[]): SuspiciousOrderReport[] {
  return stored.filter(({ alert }) => (STOR_CODES as readonly string[]).includes(alert.code)).map(({ alert, status, dispositions }) => ({
    reportId: `STOR-${alert.id}`, typology: alert.name, code: alert.code, severity: alert.severity, instrument: alert.symbol,
    detectedAtMs: alert.atMs, evidenceSeqRange: { from: alert.fromSeq, to: alert.toSeq }, accounts: alert.accountIds,
    orders: alert.orders ?? [], trades: alert.inputs['trades'] ?? alert.inputs['frontRunFills'] ?? null, description: alert.message,
    reasons: { figures: alert.inputs, thresholds: alert.threshold }, status,
    dispositions: dispositions.map((item) => ({ status: item.status, by: item.by, why: item.why, atMs: item.atMs })),
  }));
}

export function suspiciousOrdersCsv(reports: readonly SuspiciousOrderReport[]): string {
  const rows: (string | number | boolean | null)[][] = [];
  for (const report of reports) {
    const base = [report.reportId, report.typology, report.severity, report.instrument, new Date(report.detectedAtMs).toISOString(),
      report.evidenceSeqRange.from, report.evidenceSeqRange.to, report.accounts.join(' '), report.status];
    if (report.orders.length === 0) rows.push([...base, null, null, null, null, null, null, null, null, null, report.description]);
    for (const order of report.orders) {
      rows.push([...base, order.orderId, order.accountId, order.side, order.type, order.timeInForce, order.price, order.qty, order.executedQty,
        `${order.status} ${new Date(order.createdAtMs).toISOString()}..${new Date(order.updatedAtMs).toISOString()}`, report.description]);
    }
  }
  return csv(['report_id', 'typology', 'severity', 'instrument', 'detected_at', 'from_seq', 'to_seq', 'accounts', 'status', 'order_id',
    'order_account', 'side', 'type', 'time_in_force', 'price', 'qty', 'executed_qty', 'lifetime', 'description'], rows);
}
