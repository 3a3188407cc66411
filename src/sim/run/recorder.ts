/**
 * @module sim/run/recorder
 * Watches every command and event of a run and keeps what the summary and the report need: the
 * SHA-256 of the whole event stream, counts by type and reject code, liquidations, funding,
 * insurance fund and open interest, and periodic samples of prices and of every agent's equity.
 * Optionally streams the compact event file (events.ndjson: one canonical JSON event per line,
 * prefixed by the command's seq and time; order updates and price ticks are left out of the file
 * but not out of the hash — `all` keeps everything).
 */
import { createHash, type Hash } from 'node:crypto';
import type { Command, EngineEvent, LiquidationEvent, FundingSettledEvent } from '../../core/index.js';
import type { SimWorld } from './world.js';
import { encodeEvent } from './encode.js';

export type EventFileMode = 'none' | 'compact' | 'all';

const FILE_SKIP_COMPACT = new Set<EngineEvent['type']>(['OrderUpdate', 'MarkPriceUpdated', 'IndexPriceUpdated', 'BalanceChanged']);

export interface LiquidationRecord {
  readonly atMs: number;
  readonly seq: number;
  readonly accountId: number;
  readonly agent: string;
  readonly kind: string;
  readonly leverage: number;
  readonly marginType: string;
  /** Side of the liquidation order: SELL closes a long. */
  readonly side: 'BUY' | 'SELL';
  readonly qtyLots: number;
  readonly markTicks: number;
  readonly bankruptcyPriceTicks: number;
  readonly bookFilledLots: number;
  readonly bookNotionalE8: bigint;
  readonly adlLots: number;
  readonly feeE8: bigint;
  readonly insuranceDeltaE8: bigint;
}

export interface Sample {
  readonly atMs: number;
  readonly indexTicks: number;
  readonly markTicks: number;
  readonly lastTicks: number;
  readonly openInterestLots: number;
  readonly insuranceE8: bigint;
}

export class Recorder {
  private readonly hash: Hash = createHash('sha256');
  readonly eventCounts = new Map<string, number>();
  readonly rejectCounts = new Map<string, number>();
  readonly liquidations: LiquidationRecord[] = [];
  readonly funding: FundingSettledEvent[] = [];
  readonly samples: Sample[] = [];
  /** equity[agentIndex][sampleIndex] in USDT; times in equityTimes. */
  readonly equity: Float64Array[] = [];
  readonly equityTimes: number[] = [];
  private readonly sizes = new Map<number, number>();
  openInterestLots = 0;
  maxOpenInterestLots = 0;
  insuranceE8 = 0n;
  minInsuranceE8: bigint | undefined;
  events = 0;
  tradeVolumeLots = 0;
  liquidationTradeLots = 0;
  private nextSampleMs = 0;
  private nextEquityMs = 0;
  private lines: string[] = [];

  constructor(private readonly world: SimWorld, private readonly options: {
    sampleEveryMs: number; equityEveryMs: number; eventFile: EventFileMode; write?: (chunk: string) => void;
  }) {
    world.onCommand((command, events) => this.onCommand(command, events));
  }

  private onCommand(command: Command, events: readonly EngineEvent[]): void {
    const mode = this.options.eventFile;
    const prefix = `${command.seq}\t${command.atMs}\t`;
    for (const event of events) {
      this.events++;
      const line = encodeEvent(event);
      this.hash.update(prefix);
      this.hash.update(line);
      this.hash.update('\n');
      if (mode === 'all' || (mode === 'compact' && !FILE_SKIP_COMPACT.has(event.type))) {
        this.lines.push(prefix + line);
        if (this.lines.length >= 4096) this.flush();
      }
      this.eventCounts.set(event.type, (this.eventCounts.get(event.type) ?? 0) + 1);
      this.observe(command, event);
    }
  }

  private observe(command: Command, event: EngineEvent): void {
    switch (event.type) {
      case 'PositionChanged': {
        const before = this.sizes.get(event.accountId) ?? 0;
        this.sizes.set(event.accountId, event.sizeLots);
        this.openInterestLots += Math.max(event.sizeLots, 0) - Math.max(before, 0);
        if (this.openInterestLots > this.maxOpenInterestLots) this.maxOpenInterestLots = this.openInterestLots;
        return;
      }
      case 'InsuranceFundChanged':
        this.insuranceE8 = event.balanceE8;
        if (this.minInsuranceE8 === undefined || event.balanceE8 < this.minInsuranceE8) this.minInsuranceE8 = event.balanceE8;
        return;
      case 'Liquidation':
        this.recordLiquidation(command.seq, event);
        return;
      case 'FundingSettled':
        this.funding.push(event);
        return;
      case 'Trade':
        this.tradeVolumeLots += event.qtyLots;
        if (event.kind !== 'NORMAL') this.liquidationTradeLots += event.qtyLots;
        return;
      case 'Rejected': {
        const key = `${event.code} ${event.commandType}`;
        this.rejectCounts.set(key, (this.rejectCounts.get(key) ?? 0) + 1);
        return;
      }
      case 'AccountCreated':
      case 'BalanceChanged':
      case 'IndexPriceUpdated':
      case 'LeverageChanged':
      case 'MarginTypeChanged':
      case 'MarkPriceUpdated':
      case 'OrderUpdate':
      case 'AccountPolicyChanged':
      case 'JurisdictionPolicyChanged':
        return;
    }
  }

  private recordLiquidation(seq: number, event: LiquidationEvent): void {
    const agent = this.world.agentOf(event.accountId);
    let adlLots = 0;
    for (const fill of event.adl) adlLots += fill.qtyLots;
    this.liquidations.push({
      atMs: event.atMs, seq, accountId: event.accountId, agent: agent?.name ?? `account-${event.accountId}`,
      kind: agent?.kind ?? 'unknown', leverage: agent?.leverage ?? 0, marginType: event.marginType, side: event.side,
      qtyLots: event.qtyLots, markTicks: event.markTicks, bankruptcyPriceTicks: event.bankruptcyPriceTicks,
      bookFilledLots: event.bookFilledLots, bookNotionalE8: event.bookNotionalE8, adlLots, feeE8: event.feeE8,
      insuranceDeltaE8: event.insuranceDeltaE8,
    });
  }

  /** Called by the runner after each step: takes the periodic samples that are due. */
  maybeSample(nowMs: number): void {
    if (nowMs >= this.nextSampleMs) {
      this.nextSampleMs = nowMs - (nowMs % this.options.sampleEveryMs) + this.options.sampleEveryMs;
      this.sample(nowMs);
    }
    if (nowMs >= this.nextEquityMs) {
      this.nextEquityMs = nowMs - (nowMs % this.options.equityEveryMs) + this.options.equityEveryMs;
      this.sampleEquity(nowMs);
    }
  }

  sample(nowMs: number): void {
    const market = this.world.engine.market(this.world.view.symbol);
    this.samples.push({
      atMs: nowMs, indexTicks: market.indexTicks, markTicks: market.markTicks, lastTicks: market.lastTicks,
      openInterestLots: this.openInterestLots, insuranceE8: this.insuranceE8,
    });
  }

  sampleEquity(nowMs: number): void {
    const n = this.equityTimes.length;
    this.equityTimes.push(nowMs);
    const agents = this.world.agents;
    for (let i = 0; i < agents.length; i++) {
      let series = this.equity[i];
      if (series === undefined) {
        series = new Float64Array(Math.max(64, n * 2));
        this.equity[i] = series;
      } else if (series.length <= n) {
        const grown = new Float64Array(series.length * 2);
        grown.set(series);
        series = grown;
        this.equity[i] = series;
      }
      const view = this.world.engine.accountView(agents[i]!.accountId);
      series[n] = view === undefined ? 0 : Number(view.marginBalanceE8) / 1e8;
    }
  }

  /** Equity series of agent i, trimmed to the samples taken. */
  equityOf(i: number): Float64Array {
    return (this.equity[i] ?? new Float64Array(0)).subarray(0, this.equityTimes.length);
  }

  flush(): void {
    if (this.lines.length === 0) return;
    this.options.write?.(this.lines.join('\n') + '\n');
    this.lines = [];
  }

  eventStreamSha256(): string {
    return this.hash.copy().digest('hex');
  }
}
