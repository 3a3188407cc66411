/**
 * @module surveillance/context
 * What every rule reads and how it speaks: the event-built state, the risk book and heatmap, the
 * link registry, the shared series, the configuration, the batch being processed (its seq range and
 * time: the only clock) and `emit`, which stamps an alert with its id, name and evidence range.
 */
import type { AccountStateProjection, MarketState } from '../read/account-state.js';
import { ALERT_NAMES, type Alert, type AlertDraft } from './alert.js';
import type { SurveillanceConfig } from './config.js';
import { CopyBook } from './copy-book.js';
import type { LinkRegistry } from './links.js';
import type { RiskBook } from './risk/risk-book.js';
import { MarketSeries } from './series.js';
import type { CommittedBatch } from './source.js';

const NONE: readonly Alert[] = Object.freeze([]);

/** How long the mark path is kept (the longest return window plus a margin). */
const MARK_HORIZON_MS = 61 * 60_000;

export class SurveillanceContext {
  readonly series: MarketSeries[];
  readonly copies = new CopyBook();
  fromSeq = 0;
  toSeq = 0;
  atMs = 0;
  private ordinal = 0;
  private readonly out: Alert[] = [];

  constructor(
    readonly state: AccountStateProjection,
    readonly risk: RiskBook,
    readonly links: LinkRegistry,
    readonly config: SurveillanceConfig,
  ) {
    this.series = state.markets.map(() => new MarketSeries(MARK_HORIZON_MS, config.e2.ewmaLambda));
  }

  seriesOf(market: MarketState): MarketSeries {
    return this.series[market.marketIndex]!;
  }

  begin(batch: Omit<CommittedBatch, 'events'>): void {
    this.fromSeq = batch.fromSeq;
    this.toSeq = batch.toSeq;
    this.atMs = batch.atMs;
    this.ordinal = 0;
  }

  emit(draft: AlertDraft): void {
    const alert: Alert = {
      id: `${draft.code}-${this.toSeq}-${this.ordinal++}`,
      code: draft.code,
      name: ALERT_NAMES[draft.code],
      severity: draft.severity,
      atMs: draft.atMs ?? this.atMs,
      fromSeq: Math.min(draft.fromSeq ?? this.fromSeq, this.fromSeq),
      toSeq: this.toSeq,
      symbol: draft.symbol,
      accountIds: draft.accountIds,
      message: draft.message,
      inputs: draft.inputs,
      threshold: draft.threshold,
      ...(draft.orders === undefined ? {} : { orders: draft.orders }),
      ...(draft.binance === undefined ? {} : { binance: draft.binance }),
      ...(draft.policy === undefined ? {} : { policy: draft.policy }),
    };
    this.out.push(alert);
  }

  /** Alerts emitted since the last drain, in emission order. */
  drain(): readonly Alert[] {
    return this.out.length === 0 ? NONE : this.out.splice(0, this.out.length);
  }
}
