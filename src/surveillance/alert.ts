/**
 * @module surveillance/alert
 * What surveillance says. An alert is a fact derived from committed events: which rule, how
 * severe, when (event time), the seq range of the batches that produced it, the figures it was
 * computed from (`inputs`) and the threshold it crossed. Money and prices are decimal strings,
 * ratios are numbers rounded to a stated precision, so an alert serialises to the same bytes on
 * every replay of the same journal.
 */

export type Severity = 'info' | 'warn' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'warn', 'high', 'critical'];

export const ALERT_NAMES = {
  E1: 'MARGIN_CALL',
  E2: 'TIME_TO_LIQUIDATION',
  E3: 'LIQ_CLUSTER_NEAR',
  E4: 'CASCADE_IN_PROGRESS',
  E5: 'OI_FLUSH',
  E6: 'FUNDING_EXTREME',
  E7: 'MARK_DIVERGENCE',
  E8: 'PRICE_VELOCITY',
  E9: 'INSURANCE_FUND_DRAWDOWN',
  E10: 'ADL_EXECUTED',
  E11: 'CONCENTRATION',
  M1: 'SPOOF_LAYER',
  M2: 'QUANT_RULE_BREACH',
  M3: 'MESSAGE_RATE',
  M4: 'WASH_SELF_MATCH',
  M5: 'CIRCULAR_GROUP',
  M6: 'MARK_OR_FUND_MANIPULATION',
  M7: 'PUMP_DUMP',
  M8: 'FRONT_RUN_COPY',
  B1: 'REENTRY_AFTER_LIQUIDATION',
  B2: 'OVERTRADING',
  C1: 'LEAD_COOLING',
  C2: 'COPY_CONTAGION',
  C3: 'FOLLOWER_DIVERGENCE',
} as const;

export type AlertCode = keyof typeof ALERT_NAMES;
export const ALERT_CODES = Object.keys(ALERT_NAMES) as AlertCode[];

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** An order named as evidence (for the suspicious-order report). */
export interface EvidenceOrder {
  readonly orderId: number;
  readonly accountId: number;
  readonly symbol: string;
  readonly side: string;
  readonly type: string;
  readonly timeInForce: string;
  readonly price: string;
  readonly qty: string;
  readonly executedQty: string;
  readonly status: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** What a protection policy may consume (P10 cooling-off prompt, P14 restriction, P19 lead suspension). */
export interface PolicyHint {
  readonly policy: 'P10' | 'P14' | 'P19';
  readonly accountId: number;
  /** '' = every symbol. */
  readonly symbol: string;
  readonly action: 'OFFER_COOLING_OFF' | 'RESTRICT_OPENING' | 'SUSPEND_LEAD';
  /** Event time until which the action holds (0: an offer, nothing to hold). */
  readonly untilMs: number;
}

export interface Alert {
  /** Deterministic: code, last seq of the batch that produced it, ordinal within that batch. */
  readonly id: string;
  readonly code: AlertCode;
  readonly name: string;
  readonly severity: Severity;
  readonly atMs: number;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly symbol: string | null;
  readonly accountIds: readonly number[];
  readonly message: string;
  readonly inputs: { readonly [key: string]: JsonValue };
  readonly threshold: { readonly [key: string]: JsonValue };
  readonly orders?: readonly EvidenceOrder[];
  /** E1: the Binance-shaped MARGIN_CALL payload the user stream would carry. */
  readonly binance?: { readonly [key: string]: JsonValue };
  readonly policy?: PolicyHint;
}

/** An alert before the service stamps id, name and the batch's seq range. */
export type AlertDraft = Omit<Alert, 'id' | 'name' | 'fromSeq' | 'toSeq' | 'atMs'> & {
  /** First seq of the evidence when it started before this batch (windows, episodes). */
  readonly fromSeq?: number;
  /** Event time of the fact when it is not the batch's time (a mark sample inside a Tick). */
  readonly atMs?: number;
};

/** Ratios in alerts: rounded to 6 decimals, so their text is stable. */
export function ratio(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Canonical JSON of an alert (its bytes in the audit log, the stream and the determinism test). */
export function alertJson(alert: Alert): string {
  return JSON.stringify(alert);
}
