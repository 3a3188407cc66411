/**
 * @module api/read-models/durable-projection
 * The durable half of the projection: one committed entry → rows of the stored read models (orders,
 * user and public trades with aggregate-trade ids, income, funding, liquidations, account points)
 * and candle updates, buffered in a RowBuffer with the entry's seq. Deterministic: the same entries
 * from the same counters give the same rows, which is what lets the SQLite store (projector.ts) and
 * the PostgreSQL store (src/read-store/pg) hold the same answers and a re-delivered batch be dropped
 * by its seq.
 */
import type { BalanceChangedEvent, BalanceReason, Instrument, TradeEvent } from '../../core/index.js';
import type { CommittedEntry } from '../../venue/venue.js';
import { AccountPointCollector, liquidationJson } from './account-points.js';
import type { KlineModel } from './klines.js';
import type { RowBuffer } from './row-buffer.js';
import { MARGIN_ADJUSTMENT_TYPE, type TradeRow } from './store.js';

/** A public trade as the read models and streams publish it: the stored trade row. */
export type PublicTrade = TradeRow;

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

export class DurableProjection {
  private readonly points = new AccountPointCollector();

  constructor(
    private readonly rows: RowBuffer,
    private readonly klines: KlineModel,
    private readonly instrumentOf: (symbol: string) => Instrument | undefined,
  ) {}

  /** Buffers the rows of one committed entry (seq above the buffer's projectedSeq); returns its public trades. */
  project(entry: CommittedEntry): PublicTrade[] {
    const store = this.rows;
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
          const instrument = this.instrumentOf(event.symbol);
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
      aggId = this.rows.nextAggId++;
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
    this.rows.addIncome({
      accountId: event.accountId, symbol: event.symbol, incomeType, amountE8: event.deltaE8, timeMs: atMs, tradeId,
    });
  }

  /** A user's isolated-margin adjustment, for /fapi/v1/positionMargin/history (not income). */
  private marginAdjustment(event: BalanceChangedEvent, atMs: number): void {
    this.rows.addIncome({
      accountId: event.accountId, symbol: event.isolatedSymbol, incomeType: MARGIN_ADJUSTMENT_TYPE, amountE8: event.deltaE8,
      timeMs: atMs, tradeId: '',
    });
  }
}
