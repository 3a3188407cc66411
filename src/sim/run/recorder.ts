/**
 * @module sim/run/recorder
 * Watches every command and event of a run and keeps what the summary, the report and the
 * comparison with real data need: counts by type and reject code, the liquidation log (with ADL
 * fills and the fund's own changes), funding settlements, the insurance fund from its events,
 * accounts' wallets and positions (account-tracker.ts), the minute series (minute-series.ts),
 * periodic samples of prices, open interest and every agent's equity, and snapshots of where open
 * positions would be liquidated (the heatmap). Recording starts at `startMs` (the end of a
 * warm-up): events before it still update balances and positions, but no samples are taken and
 * liquidations are counted apart.
 * Optionally streams events.ndjson (one canonical JSON event per line, prefixed by the command's
 * seq and time; `compact` leaves out order updates, balance changes and price ticks, `all` keeps
 * everything). The run's fingerprint is the world's stream hash.
 */
import type { AdlFill, Command, EngineEvent, FundingSettledEvent, LiquidationEvent } from '../../core/index.js';
import { AccountTracker } from './account-tracker.js';
import { encodeEvent } from './encode.js';
import { InsuranceLedger } from './insurance-ledger.js';
import { MinuteSeries } from './minute-series.js';
import type { SimWorld } from './world.js';

export type EventFileMode = 'none' | 'compact' | 'all';

const FILE_SKIP_COMPACT = new Set<EngineEvent['type']>(['OrderUpdate', 'MarkPriceUpdated', 'IndexPriceUpdated', 'BalanceChanged']);
const E8 = 1e8;

export interface LiquidationRecord {
  readonly atMs: number;
  readonly seq: number;
  readonly accountId: number;
  readonly agent: string;
  readonly kind: string;
  /** The position's leverage setting when it was liquidated. */
  readonly leverage: number;
  readonly marginType: string;
  /** Side of the liquidation order: SELL closes a long. */
  readonly side: 'BUY' | 'SELL';
  readonly qtyLots: number;
  readonly markTicks: number;
  readonly bankruptcyPriceTicks: number;
  readonly bookFilledLots: number;
  readonly bookNotionalE8: bigint;
  /** Average book fill price in ticks (float; 0 when nothing filled on the book). */
  readonly fillPriceTicks: number;
  readonly adlLots: number;
  readonly adlFills: number;
  readonly feeE8: bigint;
  /** The fund's change for this liquidation, from its InsuranceFundChanged events (fee in, deficit out). */
  readonly fundDeltaE8: bigint;
  /** False for liquidations during the warm-up. */
  readonly recorded: boolean;
}

/** One counterparty fill of auto-deleveraging (what an ADL policy comparison reads). */
export interface AdlRecord {
  readonly atMs: number;
  readonly liquidatedAccountId: number;
  readonly accountId: number;
  readonly agentKind: string;
  readonly qtyLots: number;
  readonly priceTicks: number;
  /** Mark price when the liquidation ran. */
  readonly markTicks: number;
  /** +1: the liquidated position was long, so the counterparty was a short bought back; −1 the reverse. */
  readonly liquidatedSide: 1 | -1;
  /** Realized PnL of the deleveraged counterparty on this fill (> 0: a profitable trader was hit). */
  readonly realizedPnlE8: bigint;
}

export interface Sample {
  readonly atMs: number;
  readonly indexTicks: number;
  readonly markTicks: number;
  readonly lastTicks: number;
  readonly openInterestLots: number;
  readonly insuranceE8: bigint;
}

/** Where open positions would be liquidated at one instant: notional (USDT) per price bin. */
export interface HeatmapSnapshot {
  readonly atMs: number;
  readonly indexTicks: number;
  /** [liquidation price ticks, notional USDT, +1 long / −1 short] of every open position. */
  readonly positions: readonly (readonly [number, number, number])[];
}

export interface RecorderOptions {
  readonly startMs: number;
  readonly sampleEveryMs: number;
  readonly equityEveryMs: number;
  /** Period of liquidation-price snapshots for the heatmap (0: none). */
  readonly heatmapEveryMs: number;
  readonly eventFile: EventFileMode;
  readonly write?: (chunk: string) => void;
}

export class Recorder {
  readonly eventCounts = new Map<string, number>();
  readonly rejectCounts = new Map<string, number>();
  readonly liquidations: LiquidationRecord[] = [];
  readonly adl: AdlRecord[] = [];
  readonly funding: FundingSettledEvent[] = [];
  readonly samples: Sample[] = [];
  readonly heatmap: HeatmapSnapshot[] = [];
  /** equity[agentIndex][sampleIndex] in USDT; times in equityTimes. */
  readonly equity: Float64Array[] = [];
  readonly equityTimes: number[] = [];
  readonly accounts: AccountTracker;
  readonly insurance = new InsuranceLedger();
  readonly minutes: MinuteSeries;
  maxOpenInterestLots = 0;
  /** Open interest when recording started (after the warm-up). */
  startOpenInterestLots = 0;
  warmupLiquidations = 0;
  events = 0;
  tradeVolumeLots = 0;
  liquidationTradeLots = 0;
  private recording = false;
  private nextSampleMs = 0;
  private nextEquityMs = 0;
  private nextHeatmapMs = 0;
  private lines: string[] = [];

  constructor(private readonly world: SimWorld, private readonly options: RecorderOptions) {
    const instrument = world.view.instrument;
    this.accounts = new AccountTracker(instrument.quotePerTickLotE8);
    this.minutes = new MinuteSeries(options.startMs, Number(instrument.quotePerTickLotE8) / E8);
    world.onCommand((command, events) => this.onCommand(command, events));
  }

  get openInterestLots(): number {
    return this.accounts.openInterestLots;
  }

  private onCommand(command: Command, events: readonly EngineEvent[]): void {
    const mode = this.options.eventFile;
    const prefix = mode === 'none' ? '' : `${command.seq}\t${command.atMs}\t`;
    for (const event of events) {
      this.events++;
      if (mode === 'all' || (mode === 'compact' && !FILE_SKIP_COMPACT.has(event.type))) {
        this.lines.push(prefix + encodeEvent(event));
        if (this.lines.length >= 4096) this.flush();
      }
      this.eventCounts.set(event.type, (this.eventCounts.get(event.type) ?? 0) + 1);
      this.observe(command, event);
    }
    this.insurance.endCommand();
  }

  private observe(command: Command, event: EngineEvent): void {
    switch (event.type) {
      case 'PositionChanged':
        this.accounts.observe(event);
        if (this.accounts.openInterestLots > this.maxOpenInterestLots) this.maxOpenInterestLots = this.accounts.openInterestLots;
        return;
      case 'BalanceChanged':
      case 'LeverageChanged':
        this.accounts.observe(event);
        return;
      case 'InsuranceFundChanged':
        this.insurance.observe(event);
        return;
      case 'Liquidation':
        this.recordLiquidation(command.seq, event);
        return;
      case 'FundingSettled':
        if (this.recording) this.funding.push(event);
        return;
      case 'Trade':
        this.minutes.trade(event);
        if (!this.recording) return;
        this.tradeVolumeLots += event.qtyLots;
        if (event.kind !== 'NORMAL') this.liquidationTradeLots += event.qtyLots;
        return;
      case 'Rejected': {
        const key = `${event.code} ${event.commandType}`;
        this.rejectCounts.set(key, (this.rejectCounts.get(key) ?? 0) + 1);
        return;
      }
      case 'AccountCreated':
      case 'LeadPortfolioChanged':
      case 'FollowerChanged':
      case 'CopyFill':
      case 'CopySkipped':
      case 'ProfitShareSettled':
      case 'IndexPriceUpdated':
      case 'MarginTypeChanged':
      case 'MarkPriceUpdated':
      case 'OrderUpdate':
      case 'AccountPolicyChanged':
      case 'JurisdictionPolicyChanged':
      case 'VenuePolicyChanged':
      case 'AcknowledgementRecorded':
      case 'SponsorshipChanged':
      case 'SponsorLimitBreached':
      case 'SponsorDayStarted':
      case 'SponsorshipSettled':
        return;
    }
  }

  private recordLiquidation(seq: number, event: LiquidationEvent): void {
    const agent = this.world.agentOf(event.accountId);
    const fundDeltaE8 = this.insurance.takePending(event.accountId);
    if (!this.recording) {
      this.warmupLiquidations++;
      return;
    }
    this.minutes.liquidation(event);
    let adlLots = 0;
    for (const fill of event.adl) {
      adlLots += fill.qtyLots;
      this.recordAdl(event, fill);
    }
    const k = Number(this.world.view.instrument.quotePerTickLotE8);
    this.liquidations.push({
      atMs: event.atMs, seq, accountId: event.accountId, agent: agent?.name ?? `account-${event.accountId}`,
      kind: agent?.kind ?? 'unknown', leverage: this.accounts.leverage[event.accountId] ?? agent?.leverage ?? 0,
      marginType: event.marginType, side: event.side, qtyLots: event.qtyLots, markTicks: event.markTicks,
      bankruptcyPriceTicks: event.bankruptcyPriceTicks, bookFilledLots: event.bookFilledLots, bookNotionalE8: event.bookNotionalE8,
      fillPriceTicks: event.bookFilledLots === 0 ? 0 : Number(event.bookNotionalE8) / (event.bookFilledLots * k),
      adlLots, adlFills: event.adl.length, feeE8: event.feeE8, fundDeltaE8, recorded: true,
    });
  }

  private recordAdl(event: LiquidationEvent, fill: AdlFill): void {
    this.adl.push({
      atMs: event.atMs, liquidatedAccountId: event.accountId, accountId: fill.accountId,
      agentKind: this.world.agentOf(fill.accountId)?.kind ?? 'unknown', qtyLots: fill.qtyLots, priceTicks: fill.priceTicks,
      markTicks: event.markTicks, liquidatedSide: event.side === 'SELL' ? 1 : -1, realizedPnlE8: fill.realizedPnlE8,
    });
  }

  /** Called by the runner before each step: recording starts with the first step at or after startMs. */
  beforeStep(nowMs: number): void {
    if (this.recording || nowMs < this.options.startMs) return;
    this.recording = true;
    this.insurance.restart();
    this.startOpenInterestLots = this.accounts.openInterestLots;
    this.maxOpenInterestLots = this.accounts.openInterestLots;
  }

  /** Called by the runner after each step: takes the samples that are due. */
  afterStep(nowMs: number): void {
    if (!this.recording) return;
    const symbol = this.world.view.symbol;
    const market = this.world.engine.market(symbol);
    if (this.minutes.minuteOf(nowMs) >= this.minutes.length) {
      this.minutes.setFunding(nowMs, Number(this.world.engine.marketView(symbol).estimatedFundingRateE8) / E8);
    }
    this.minutes.step(nowMs, market.indexTicks, market.markTicks);
    if (nowMs >= this.nextSampleMs) {
      this.nextSampleMs = nowMs - (nowMs % this.options.sampleEveryMs) + this.options.sampleEveryMs;
      this.sample(nowMs);
    }
    if (nowMs >= this.nextEquityMs) {
      this.nextEquityMs = nowMs - (nowMs % this.options.equityEveryMs) + this.options.equityEveryMs;
      this.sampleEquity(nowMs);
    }
    if (this.options.heatmapEveryMs > 0 && nowMs >= this.nextHeatmapMs) {
      this.nextHeatmapMs = nowMs - (nowMs % this.options.heatmapEveryMs) + this.options.heatmapEveryMs;
      this.sampleHeatmap(nowMs);
    }
  }

  sample(nowMs: number): void {
    const market = this.world.engine.market(this.world.view.symbol);
    this.samples.push({
      atMs: nowMs, indexTicks: market.indexTicks, markTicks: market.markTicks, lastTicks: market.lastTicks,
      openInterestLots: this.accounts.openInterestLots, insuranceE8: this.insurance.balanceE8,
    });
  }

  sampleEquity(nowMs: number): void {
    const n = this.equityTimes.length;
    this.equityTimes.push(nowMs);
    const agents = this.world.agents;
    const mark = this.world.engine.market(this.world.view.symbol).markTicks;
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
      series[n] = this.accounts.equityUsdt(agents[i]!.accountId, mark);
    }
  }

  /** Liquidation price and notional of every open position (the engine's own liquidation price). */
  private sampleHeatmap(nowMs: number): void {
    const { engine, view } = this.world;
    const market = engine.market(view.symbol);
    const positions: [number, number, number][] = [];
    const usdtPerTickLot = Number(view.instrument.quotePerTickLotE8) / E8;
    const sizes = this.accounts.sizeLots;
    for (let id = 0; id < sizes.length; id++) {
      const size = sizes[id];
      if (size === undefined || size === 0) continue;
      const position = engine.accountView(id)?.positions.find((p) => p.symbol === view.symbol);
      if (position === undefined || position.liquidationPriceTicks <= 0) continue;
      positions.push([position.liquidationPriceTicks, Math.abs(size) * market.markTicks * usdtPerTickLot, size > 0 ? 1 : -1]);
    }
    this.heatmap.push({ atMs: nowMs, indexTicks: market.indexTicks, positions });
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
    return this.world.streamHash.digest();
  }
}
