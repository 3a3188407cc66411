/**
 * @module api/read-models/projector
 * Turns committed venue entries into the API's read models. Two kinds of sink:
 * - durable (SQLite store + klines): idempotent per seq, caught up after a restart by replaying
 *   the venue from the store's last projected seq;
 * - live (in-memory market model + WebSocket fan-out): start at the engine's state at start-up and
 *   only ever see new entries.
 * The projector is the only writer of both, and it runs synchronously inside the venue's commit
 * callback, so every read model moves in seq order.
 */
import type {
  BalanceChangedEvent, BalanceReason, EngineEvent, OrderView, TradeEvent,
} from '../../core/index.js';
import type { CommittedEntry, Venue } from '../../venue/venue.js';
import { AccountPointCollector, liquidationJson } from './account-points.js';
import type { LevelChange } from './depth.js';
import type { KlineModel } from './klines.js';
import type { MarketModel } from './market.js';
import { MARGIN_ADJUSTMENT_TYPE, type ReadStore, type TradeRow } from './store.js';

/** A public trade as the read models and streams publish it: the stored trade row. */
export type PublicTrade = TradeRow;

export interface ProjectedEntry {
  readonly entry: CommittedEntry;
  readonly seq: number;
  readonly atMs: number;
  /** Book trades of this entry (ADL fills excluded) with their aggregate-trade ids. */
  readonly trades: readonly PublicTrade[];
  /** Changed book levels per symbol (update id = seq). */
  readonly depth: ReadonlyMap<string, readonly LevelChange[]>;
}

export interface LiveSink {
  onEntry(projected: ProjectedEntry): void;
}

/** Binance income types for engine balance reasons (undefined: an internal move, not income). */
export function incomeTypeOf(reason: BalanceReason): string | undefined {
  switch (reason) {
    case 'REALIZED_PNL': return 'REALIZED_PNL';
    case 'ADL': return 'REALIZED_PNL';
    case 'TRADE_FEE': return 'COMMISSION';
    case 'FUNDING_FEE': return 'FUNDING_FEE';
    case 'DEPOSIT': return 'TRANSFER';
    case 'WITHDRAW': return 'TRANSFER';
    case 'TRANSFER': return 'INTERNAL_TRANSFER';
    case 'LIQUIDATION_FEE': return 'INSURANCE_CLEAR';
    case 'INSURANCE_CLEAR': return 'INSURANCE_CLEAR';
    // perpx's own type: Binance's income endpoint lists no copy-trading profit share (docs/api.md).
    case 'PROFIT_SHARE': return 'PROFIT_SHARE';
    case 'ISOLATED_MARGIN': return undefined;
  }
}

/** Durable replay hook of a DurableVenue (structural, so MemoryVenue needs no stub). */
interface Replayable {
  replay(fromSeq: number, listener: (entry: CommittedEntry) => void): Promise<void> | void;
}

function isReplayable(venue: Venue): venue is Venue & Replayable {
  return typeof (venue as Partial<Replayable>).replay === 'function';
}

export class Projector {
  private readonly sinks: LiveSink[] = [];
  private unsubscribe: (() => void) | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly points = new AccountPointCollector();

  constructor(
    private readonly venue: Venue,
    private readonly store: ReadStore,
    private readonly klines: KlineModel,
    private readonly market: MarketModel,
  ) {}

  addSink(sink: LiveSink): void {
    this.sinks.push(sink);
  }

  /**
   * Catches the durable models up to the engine (replay), seeds the live models from the engine,
   * then follows new commits. Must run before any command is submitted through this process.
   */
  async start(flushIntervalMs = 100): Promise<void> {
    // Subscribe first and hold live entries while the durable models catch up, so nothing
    // committed during the catch-up (e.g. the venue's own ticks) falls into a gap.
    const held: CommittedEntry[] = [];
    let live = false;
    this.unsubscribe = this.venue.subscribe((entry) => {
      if (live) this.onCommitted(entry);
      else held.push(entry);
    });
    const engineSeq = this.venue.engine.lastSeq;
    if (this.store.projectedSeq > engineSeq) this.store.reset();
    if (this.store.projectedSeq < engineSeq && isReplayable(this.venue)) {
      await this.venue.replay(this.store.projectedSeq + 1, (entry) => {
        if (entry.command.seq > this.store.projectedSeq) this.projectDurable(entry);
      });
    }
    // Without a replay source a gap cannot be filled: the projection starts here.
    if (this.store.projectedSeq < engineSeq && !isReplayable(this.venue)) this.store.projectedSeq = engineSeq;
    this.store.flush();
    // The engine holds (at least) every entry replayed or held; the depth model is idempotent for
    // entries already reflected in the seed, so held entries are simply applied on top.
    this.market.seedFromEngine(this.venue.engine.lastSeq);
    for (const entry of held) this.onCommitted(entry);
    live = true;
    this.flushTimer = setInterval(() => this.store.flush(), flushIntervalMs);
    this.flushTimer.unref();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.flushTimer !== undefined) clearInterval(this.flushTimer);
    this.store.flush();
  }

  private onCommitted(entry: CommittedEntry): void {
    const trades = entry.command.seq > this.store.projectedSeq ? this.projectDurable(entry) : [];
    this.projectLive(entry, trades);
  }

  /** Store-backed models; returns the entry's public trades. */
  private projectDurable(entry: CommittedEntry): PublicTrade[] {
    const store = this.store;
    const seq = entry.command.seq;
    const atMs = entry.command.atMs;
    const trades: PublicTrade[] = [];
    const lastAgg = new Map<string, { taker: number; price: number; aggId: number }>();
    for (const event of entry.events) {
      switch (event.type) {
        case 'OrderUpdate': {
          store.putOrder(event.order);
          if (event.execution === 'TRADE') {
            store.addUserTrade({
              accountId: event.order.accountId, symbol: event.order.symbol, tradeId: event.tradeId,
              orderId: event.order.orderId, side: event.order.side, priceTicks: event.lastPriceTicks,
              qtyLots: event.lastQtyLots, realizedPnlE8: event.realizedPnlE8, commissionE8: event.feeE8,
              maker: event.maker, timeMs: event.order.updatedAtMs,
            });
          }
          break;
        }
        case 'Trade': {
          if (event.kind === 'ADL') break;
          const trade = this.publicTrade(event, lastAgg);
          trades.push(trade);
          store.addTrade(trade);
          const instrument = this.market.get(event.symbol)?.instrument;
          if (instrument !== undefined) {
            this.klines.onTrade(event.symbol, event.tradeId, event.priceTicks, event.qtyLots,
              BigInt(event.priceTicks) * BigInt(event.qtyLots) * instrument.quotePerTickLotE8, event.takerSide === 'BUY',
              event.atMs);
          }
          break;
        }
        case 'BalanceChanged':
          this.income(event, atMs);
          if (entry.command.type === 'AdjustIsolatedMargin' && event.isolatedSymbol !== '') this.marginAdjustment(event, atMs);
          this.points.onEvent(event);
          break;
        case 'PositionChanged':
          this.points.onEvent(event);
          break;
        case 'Liquidation':
          store.addLiquidation({ seq, accountId: event.accountId, symbol: event.symbol, timeMs: event.atMs,
            event: liquidationJson(event) });
          break;
        case 'FundingSettled':
          store.addFunding({ symbol: event.symbol, fundingTimeMs: event.fundingTimeMs, rateE8: event.rateE8,
            markTicks: event.markTicks });
          break;
        case 'MarkPriceUpdated':
          this.klines.onPrice('mark', event.symbol, event.markTicks, event.atMs);
          break;
        case 'IndexPriceUpdated':
          this.klines.onPrice('index', event.symbol, event.indexTicks, atMs);
          break;
        // Copy trading's money moves arrive as BalanceChanged (income); its state is the engine's.
        case 'AccountCreated':
        case 'InsuranceFundChanged':
        case 'LeverageChanged':
        case 'MarginTypeChanged':
        case 'Rejected':
        case 'AccountPolicyChanged':
        case 'JurisdictionPolicyChanged':
        case 'VenuePolicyChanged':
        case 'AcknowledgementRecorded':
        case 'LeadPortfolioChanged':
        case 'FollowerChanged':
        case 'CopyFill':
        case 'CopySkipped':
        case 'ProfitShareSettled':
        case 'SponsorshipChanged':
        case 'SponsorLimitBreached':
        case 'SponsorDayStarted':
        case 'SponsorshipSettled':
          break;
      }
    }
    this.points.flush(store, seq, atMs);
    store.projectedSeq = seq;
    return trades;
  }

  private publicTrade(event: TradeEvent, lastAgg: Map<string, { taker: number; price: number; aggId: number }>): PublicTrade {
    // Binance aggregates the fills of one taker order at one price into one aggTrade.
    const previous = lastAgg.get(event.symbol);
    let aggId: number;
    if (previous !== undefined && previous.taker === event.takerOrderId && previous.price === event.priceTicks) {
      aggId = previous.aggId;
    } else {
      aggId = this.store.nextAggId++;
      lastAgg.set(event.symbol, { taker: event.takerOrderId, price: event.priceTicks, aggId });
    }
    return {
      symbol: event.symbol, tradeId: event.tradeId, aggId, priceTicks: event.priceTicks, qtyLots: event.qtyLots,
      timeMs: event.atMs, buyerMaker: event.takerSide === 'SELL',
    };
  }

  private income(event: BalanceChangedEvent, atMs: number): void {
    const incomeType = incomeTypeOf(event.reason);
    if (incomeType === undefined) return;
    const tradeId = event.reason === 'REALIZED_PNL' || event.reason === 'TRADE_FEE' ? String(event.refId) : '';
    this.store.addIncome({
      accountId: event.accountId, symbol: event.symbol, incomeType, amountE8: event.deltaE8, timeMs: atMs, tradeId,
    });
  }

  /** A user's isolated-margin adjustment, for /fapi/v1/positionMargin/history (not income). */
  private marginAdjustment(event: BalanceChangedEvent, atMs: number): void {
    this.store.addIncome({
      accountId: event.accountId, symbol: event.isolatedSymbol, incomeType: MARGIN_ADJUSTMENT_TYPE, amountE8: event.deltaE8,
      timeMs: atMs, tradeId: '',
    });
  }

  private projectLive(entry: CommittedEntry, trades: PublicTrade[]): void {
    const seq = entry.command.seq;
    const finals = new Map<string, Map<number, OrderView>>();
    for (const event of entry.events) this.liveEvent(event, finals);
    const depth = new Map<string, LevelChange[]>();
    for (const [symbol, views] of finals) {
      const changes = this.market.get(symbol)?.depth.apply(views.values(), seq);
      if (changes !== undefined && changes.length > 0) depth.set(symbol, changes);
    }
    for (const trade of trades) {
      const state = this.market.get(trade.symbol);
      if (state !== undefined) {
        state.lastTrade = { tradeId: trade.tradeId, priceTicks: trade.priceTicks, qtyLots: trade.qtyLots, timeMs: trade.timeMs };
      }
    }
    const projected: ProjectedEntry = { entry, seq, atMs: entry.command.atMs, trades, depth };
    for (const sink of this.sinks) sink.onEntry(projected);
  }

  private liveEvent(event: EngineEvent, finals: Map<string, Map<number, OrderView>>): void {
    if (event.type === 'OrderUpdate') {
      let views = finals.get(event.order.symbol);
      if (views === undefined) {
        views = new Map();
        finals.set(event.order.symbol, views);
      }
      views.set(event.order.orderId, event.order);
    } else if (event.type === 'MarkPriceUpdated') {
      this.market.onMark(event);
    }
  }
}
