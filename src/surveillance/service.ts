/**
 * @module surveillance/service
 * The surveillance engine: takes committed batches in sequence order and returns the alerts they
 * raise. For each event: the risk book notes what it makes stale, the state applies it, the shared
 * series and the link registry follow, then the rules that read that event type run; at the end of
 * the batch the risk book brings every stale level up to date and the batch-end rules run. Nothing
 * here reads a clock: time is the batch's (and the events' own) time. The same batches therefore
 * give the same alerts, byte for byte (test/surveillance/determinism.test.ts).
 */
import type { Instrument } from '../core/index.js';
import { AccountStateProjection } from '../read/account-state.js';
import type { Alert } from './alert.js';
import { resolveConfig, type ConfigOverrides, type SurveillanceConfig } from './config.js';
import { SurveillanceContext } from './context.js';
import { isCopyTradingEvent } from './copy-events.js';
import { EngineCopyBridge } from './engine-copy-bridge.js';
import type { Detector, SurveilledEventType } from './detector.js';
import { createDetectors, type Detectors } from './detectors/index.js';
import { LinkRegistry, type AccountLink } from './links.js';
import { RiskBook } from './risk/risk-book.js';
import type { CommittedBatch, SurveilledEvent } from './source.js';

export interface SurveillanceOptions {
  readonly instruments: readonly Instrument[];
  readonly config?: ConfigOverrides;
  readonly links?: readonly AccountLink[];
}

export interface SurveillanceStats {
  readonly lastSeq: number;
  readonly lastAtMs: number;
  readonly batches: number;
  readonly events: number;
  readonly alerts: number;
  readonly positions: number;
  readonly levelsRecomputed: number;
}

export class Surveillance {
  readonly config: SurveillanceConfig;
  readonly state: AccountStateProjection;
  readonly risk: RiskBook;
  readonly links: LinkRegistry;
  readonly ctx: SurveillanceContext;
  readonly detectors: Detectors;
  private readonly after = new Map<string, Detector[]>();
  private readonly before = new Map<string, Detector[]>();
  private readonly batchStart: Detector[];
  private readonly batchEnd: Detector[];
  private readonly listeners = new Set<(alerts: readonly Alert[]) => void>();
  private readonly copyBridge = new EngineCopyBridge();
  lastSeq = 0;
  lastAtMs = 0;
  batches = 0;
  events = 0;
  alerts = 0;

  constructor(options: SurveillanceOptions) {
    this.config = resolveConfig(options.config);
    this.state = new AccountStateProjection(options.instruments);
    this.risk = new RiskBook(this.state, { warnPercent: this.config.e1.warnPercent, leverageBands: this.config.heatmap.leverageBands });
    this.links = new LinkRegistry(options.links);
    this.ctx = new SurveillanceContext(this.state, this.risk, this.links, this.config);
    this.detectors = createDetectors(this.ctx);
    const all = Object.values(this.detectors) as Detector[];
    for (const detector of all) {
      for (const type of detector.events ?? []) push(this.after, type, detector);
      for (const type of detector.before ?? []) push(this.before, type, detector);
    }
    this.batchStart = all.filter((detector) => detector.onBatchStart !== undefined);
    this.batchEnd = all.filter((detector) => detector.onBatchEnd !== undefined);
  }

  /** Called with the alerts of every batch that raised some (delivery: log, stream, webhooks). */
  onAlerts(listener: (alerts: readonly Alert[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Processes one batch; batches must come in seq order, each exactly once. */
  ingest(batch: CommittedBatch): readonly Alert[] {
    this.begin(batch);
    this.feed(batch.events);
    return this.end();
  }

  /**
   * A batch in pieces, for a command whose events stream out of the engine in chunks (a cascade of
   * millions): begin with its seq range and time, feed each piece in order, end once.
   */
  begin(batch: Omit<CommittedBatch, 'events'>): void {
    if (batch.fromSeq <= this.lastSeq) throw new Error(`surveillance got seq ${batch.fromSeq} after ${this.lastSeq}`);
    const ctx = this.ctx;
    ctx.begin(batch);
    this.links.advanceTo(batch.toSeq);
    this.state.atMs = batch.atMs;
    for (const detector of this.batchStart) detector.onBatchStart!(ctx);
  }

  feed(events: readonly SurveilledEvent[]): void {
    for (const event of events) this.dispatch(event);
    this.events += events.length;
  }

  end(): readonly Alert[] {
    const ctx = this.ctx;
    const changed = this.risk.settle();
    for (const detector of this.batchEnd) detector.onBatchEnd!(ctx, changed);
    this.risk.endBatch();
    this.lastSeq = ctx.toSeq;
    this.lastAtMs = ctx.atMs;
    this.batches++;
    return this.publish();
  }

  /** An adapter-side fact that is not in the journal: a request refused for its rate limit (M3). */
  rateLimited(accountId: number, atMs: number): readonly Alert[] {
    this.detectors.messageRate.rateLimited(accountId, atMs);
    return this.publish();
  }

  stats(): SurveillanceStats {
    return {
      lastSeq: this.lastSeq, lastAtMs: this.lastAtMs, batches: this.batches, events: this.events, alerts: this.alerts,
      positions: this.risk.size, levelsRecomputed: this.risk.recomputed,
    };
  }

  private dispatch(event: SurveilledEvent): void {
    const ctx = this.ctx;
    const type: SurveilledEventType = event.type;
    const before = this.before.get(type);
    if (before !== undefined) for (const detector of before) detector.beforeEvent!(event, ctx);
    if (isCopyTradingEvent(event)) ctx.copies.apply(event);
    else {
      this.risk.beforeEvent(event);
      this.state.applyEvent(event);
      this.risk.afterEvent(event);
      if (event.type === 'MarkPriceUpdated') ctx.seriesOf(this.state.market(event.symbol)).onMark(event.atMs, event.markTicks);
      else if (event.type === 'AccountCreated' && event.parentAccountId !== 0) this.links.link(event.accountId, event.parentAccountId);
    }
    const after = this.after.get(type);
    if (after !== undefined) for (const detector of after) detector.onEvent!(event, ctx);
    // The engine's own copy events become the copy facts the copy detectors read.
    if (!isCopyTradingEvent(event)) for (const fact of this.copyBridge.translate(event, ctx.copies, ctx.atMs)) this.dispatch(fact);
  }

  private publish(): readonly Alert[] {
    const alerts = this.ctx.drain();
    if (alerts.length === 0) return alerts;
    this.alerts += alerts.length;
    for (const listener of this.listeners) listener(alerts);
    return alerts;
  }
}

function push(map: Map<string, Detector[]>, type: string, detector: Detector): void {
  const list = map.get(type);
  if (list === undefined) map.set(type, [detector]);
  else list.push(detector);
}
