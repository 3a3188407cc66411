/**
 * @module surveillance/delivery/webhooks
 * Signed webhooks with retries. Each alert that matches a target (minimum severity, optional codes)
 * is POSTed as JSON `{"alert": …}` with
 *   X-Perpx-Alert-Id: <alert id>
 *   X-Perpx-Signature: t=<unix ms>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 * so the receiver checks authenticity and freshness (reject a t too old) and de-duplicates by id. A
 * non-2xx answer, a network error or a 5 s timeout is retried with exponential backoff (1 s, 2 s,
 * 4 s, … capped at 60 s) up to 8 attempts; the outcome is recorded in the audit log. At most 4
 * requests are in flight; at most 10,000 deliveries wait (beyond that the oldest are dropped and
 * counted). This is the one wall-clock part of surveillance: retries are about the network, not
 * about what happened.
 */
import { createHmac } from 'node:crypto';
import { SEVERITIES, type Alert, type AlertCode, type Severity } from '../alert.js';

export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
  readonly minSeverity?: Severity;
  readonly codes?: readonly AlertCode[];
}

export interface WebhookOutcome {
  readonly alertId: string;
  readonly url: string;
  readonly attempts: number;
  readonly ok: boolean;
  readonly detail: string;
}

export interface WebhookOptions {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly maxPending?: number;
  readonly now?: () => number;
  readonly onOutcome?: (outcome: WebhookOutcome) => void;
}

interface Delivery {
  readonly alert: Alert;
  readonly target: WebhookTarget;
  readonly body: string;
  attempts: number;
  dueAtMs: number;
}

export const SIGNATURE_HEADER = 'x-perpx-signature';
export const ALERT_ID_HEADER = 'x-perpx-alert-id';

/** The signature header value for a body sent at `timestampMs`. */
export function signWebhook(secret: string, timestampMs: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}.${body}`).digest('hex');
  return `t=${timestampMs},v1=${digest}`;
}

export class WebhookSender {
  private readonly pending: Delivery[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  dropped = 0;
  delivered = 0;
  failed = 0;
  private readonly options: Required<Omit<WebhookOptions, 'onOutcome'>> & { readonly onOutcome: ((outcome: WebhookOutcome) => void) | undefined };

  constructor(private readonly targets: readonly WebhookTarget[], options: WebhookOptions = {}) {
    for (const target of targets) {
      const url = new URL(target.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`webhook ${target.url}: only http(s) URLs`);
      if (target.secret.length < 16) throw new Error(`webhook ${target.url}: the signing secret must have at least 16 characters`);
    }
    this.options = {
      maxAttempts: options.maxAttempts ?? 8, baseDelayMs: options.baseDelayMs ?? 1_000, maxDelayMs: options.maxDelayMs ?? 60_000,
      timeoutMs: options.timeoutMs ?? 5_000, concurrency: options.concurrency ?? 4, maxPending: options.maxPending ?? 10_000,
      now: options.now ?? Date.now, onOutcome: options.onOutcome,
    };
  }

  send(alerts: readonly Alert[]): void {
    if (this.closed) return;
    for (const alert of alerts) {
      for (const target of this.targets) {
        if (target.minSeverity !== undefined && SEVERITIES.indexOf(alert.severity) < SEVERITIES.indexOf(target.minSeverity)) continue;
        if (target.codes !== undefined && !target.codes.includes(alert.code)) continue;
        if (this.pending.length >= this.options.maxPending) {
          this.pending.shift();
          this.dropped++;
        }
        this.pending.push({ alert, target, body: JSON.stringify({ alert }), attempts: 0, dueAtMs: 0 });
      }
    }
    this.pump();
  }

  /** Deliveries waiting or in flight. */
  get backlog(): number {
    return this.pending.length + this.inFlight;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.pending.length = 0;
  }

  private pump(): void {
    if (this.closed) return;
    const now = this.options.now();
    let nextDue = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.pending.length && this.inFlight < this.options.concurrency;) {
      const delivery = this.pending[i]!;
      if (delivery.dueAtMs > now) {
        nextDue = Math.min(nextDue, delivery.dueAtMs);
        i++;
        continue;
      }
      this.pending.splice(i, 1);
      this.inFlight++;
      void this.attempt(delivery).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (Number.isFinite(nextDue) && this.inFlight < this.options.concurrency) {
      this.timer = setTimeout(() => this.pump(), Math.max(0, nextDue - now));
      this.timer.unref();
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.attempts++;
    const timestamp = this.options.now();
    let detail: string;
    try {
      const response = await fetch(delivery.target.url, {
        method: 'POST', body: delivery.body, signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: {
          'content-type': 'application/json', [ALERT_ID_HEADER]: delivery.alert.id,
          [SIGNATURE_HEADER]: signWebhook(delivery.target.secret, timestamp, delivery.body),
        },
      });
      await response.body?.cancel();
      if (response.ok) {
        this.delivered++;
        this.options.onOutcome?.({ alertId: delivery.alert.id, url: delivery.target.url, attempts: delivery.attempts, ok: true, detail: `HTTP ${response.status}` });
        return;
      }
      detail = `HTTP ${response.status}`;
    } catch (error) {
      detail = (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message;
    }
    if (delivery.attempts >= this.options.maxAttempts || this.closed) {
      this.failed++;
      this.options.onOutcome?.({ alertId: delivery.alert.id, url: delivery.target.url, attempts: delivery.attempts, ok: false, detail });
      return;
    }
    delivery.dueAtMs = this.options.now() + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (delivery.attempts - 1));
    this.pending.push(delivery);
  }
}
