/**
 * @module surveillance/host
 * Surveillance as a process option: the service, its runner beside a venue, the audit log, the
 * webhooks and the listeners of the alert stream, assembled once. `perpx serve` hosts it in-process
 * (its API serves the alert stream, the heatmap and the operator routes); `perpx surveil` hosts it
 * against a data directory. Every alert goes to the audit log first; only alerts it had not stored
 * yet (a restart re-derives old ones from the journal) go on to webhooks and streams.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Instrument } from '../core/index.js';
import type { Venue } from '../venue/venue.js';
import { ALERT_CODES, SEVERITIES, type Alert } from './alert.js';
import { resolveConfig, type ConfigOverrides } from './config.js';
import { AuditLog } from './delivery/audit-log.js';
import { WebhookSender, type WebhookTarget } from './delivery/webhooks.js';
import type { AccountLink } from './links.js';
import { SurveillanceRunner, type RunnerOptions } from './runner.js';
import { Surveillance } from './service.js';

/** The `--surveil-config` file: threshold overrides, account links, webhook targets. */
export interface SurveillanceFileConfig {
  readonly thresholds?: ConfigOverrides;
  readonly links?: readonly AccountLink[];
  readonly webhooks?: readonly WebhookTarget[];
}

const fileSchema = z.strictObject({
  thresholds: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  links: z.array(z.strictObject({
    a: z.number().int().positive(), b: z.number().int().positive(), reason: z.string().min(1).max(200), fromSeq: z.number().int().nonnegative(),
  })).optional(),
  webhooks: z.array(z.strictObject({
    url: z.url(), secret: z.string().min(16), minSeverity: z.enum(SEVERITIES).optional(), codes: z.array(z.enum(ALERT_CODES)).optional(),
  })).optional(),
});

export function readSurveillanceConfig(path: string | undefined): SurveillanceFileConfig {
  if (path === undefined) return {};
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  const config = parsed.data as SurveillanceFileConfig;
  resolveConfig(config.thresholds);
  return config;
}

export interface HostOptions extends SurveillanceFileConfig {
  readonly instruments: readonly Instrument[];
  /** The audit log lives here (surveillance.sqlite); in memory without it. */
  readonly dataDir?: string;
  readonly runner?: RunnerOptions;
}

export class SurveillanceHost {
  readonly surveillance: Surveillance;
  readonly audit: AuditLog;
  readonly webhooks: WebhookSender | undefined;
  runner: SurveillanceRunner | undefined;
  private readonly listeners = new Set<(alerts: readonly Alert[]) => void>();

  constructor(options: HostOptions) {
    this.audit = new AuditLog(options.dataDir);
    // The file's links, then those an operator added in earlier runs (each from the seq it was added at).
    const links = [...(options.links ?? []), ...this.audit.links()];
    this.surveillance = new Surveillance({
      instruments: options.instruments, ...(options.thresholds === undefined ? {} : { config: options.thresholds }),
      ...(links.length === 0 ? {} : { links }),
    });
    this.webhooks = options.webhooks === undefined || options.webhooks.length === 0 ? undefined : new WebhookSender(options.webhooks, {
      onOutcome: (outcome) => this.audit.recordDelivery(outcome.alertId, outcome.url, outcome.attempts, outcome.ok, outcome.detail, Date.now()),
    });
    this.surveillance.onAlerts((alerts) => {
      const fresh = this.audit.append(alerts);
      if (fresh.length === 0) return;
      this.webhooks?.send(fresh);
      for (const listener of this.listeners) listener(fresh);
    });
  }

  /** Links two accounts from the next command on, durably (the audit log keeps it for restarts). */
  addLink(a: number, b: number, reason: string): AccountLink {
    const link = { a, b, reason, fromSeq: this.surveillance.lastSeq + 1 };
    this.audit.recordLink(link);
    this.surveillance.links.add(link);
    return link;
  }

  /** Fresh alerts (not seen before this process) as they are raised. */
  onAlerts(listener: (alerts: readonly Alert[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Follows a live venue (catching up with its journal first when it has one). */
  async attach(venue: Venue, options: RunnerOptions = {}): Promise<void> {
    this.runner = new SurveillanceRunner(this.surveillance, venue, options);
    await this.runner.start();
  }

  close(): void {
    this.runner?.stop();
    this.webhooks?.close();
    this.audit.close();
  }
}
