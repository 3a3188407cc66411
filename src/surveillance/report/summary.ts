/**
 * @module surveillance/report/summary
 * An alert table's rows: per alert code, how many alerts of each severity, when the first one fired
 * (and how long before a reference time, e.g. a crash's low), and how many fell in "quiet" windows,
 * scaled to alerts per day: the false-alarm rate where nothing alarming happened.
 */
import { ALERT_CODES, ALERT_NAMES, SEVERITIES, type Alert, type AlertCode, type Severity } from '../alert.js';

const DAY_MS = 86_400_000;

export interface QuietWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface AlertSummaryRow {
  readonly code: AlertCode;
  readonly name: string;
  readonly count: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly firstAtMs: number | null;
  /** Minutes from the first alert to the reference time (positive: before it). */
  readonly leadMinutes: number | null;
  /** Alerts in the quiet windows, per day of quiet time. */
  readonly quietPerDay: number | null;
  readonly quietCount: number;
}

export interface SummaryOptions {
  readonly referenceMs?: number;
  readonly quiet?: readonly QuietWindow[];
  /** Every code gets a row (zeros included) when true. */
  readonly allCodes?: boolean;
}

export function summarizeAlerts(alerts: readonly Alert[], options: SummaryOptions = {}): AlertSummaryRow[] {
  const quiet = options.quiet ?? [];
  const quietMs = quiet.reduce((sum, window) => sum + (window.toMs - window.fromMs), 0);
  const inQuiet = (atMs: number): boolean => quiet.some((window) => atMs >= window.fromMs && atMs < window.toMs);
  const rows: AlertSummaryRow[] = [];
  for (const code of ALERT_CODES) {
    const mine = alerts.filter((alert) => alert.code === code);
    if (mine.length === 0 && options.allCodes !== true) continue;
    const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, mine.filter((alert) => alert.severity === severity).length])) as
      Record<Severity, number>;
    const first = mine.length === 0 ? null : Math.min(...mine.map((alert) => alert.atMs));
    const quietCount = mine.filter((alert) => inQuiet(alert.atMs)).length;
    rows.push({
      code, name: ALERT_NAMES[code], count: mine.length, bySeverity, firstAtMs: first,
      leadMinutes: first === null || options.referenceMs === undefined ? null : Math.round((options.referenceMs - first) / 60_000),
      quietPerDay: quietMs === 0 ? null : Math.round((quietCount * DAY_MS * 10) / quietMs) / 10, quietCount,
    });
  }
  return rows;
}
