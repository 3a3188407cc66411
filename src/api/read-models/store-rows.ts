/**
 * @module api/read-models/store-rows
 * Rows of the read-model tables as the database drivers return them, and their mapping to the
 * read models' row types. The SQLite store (store.ts) and the PostgreSQL store
 * (src/read-store/pg) share the column names and these mappings: money columns come back as
 * decimal text (SQLite TEXT, PostgreSQL NUMERIC), flags as 0/1 and the rest as numbers.
 */
import type { OrderView } from '../../core/index.js';
import type {
  AccountPointRow, BaseInterval, FundingRow, IncomeRow, KlineKind, KlineRow, LiquidationRow, MarketStatRow, TradeRow, UserTradeRow,
} from './store.js';

export interface OrderDbRow {
  order_id: number; account_id: number; symbol: string; client_order_id: string; side: string; type: string;
  tif: string; orig_qty: number; executed_qty: number; cum_quote: string; price: number; stop_price: number;
  activation_price: number; callback_bps: number; reduce_only: number; close_position: number; working_type: string;
  price_protect: number; stp: string; status: string; conditional: number; triggered: number; created_ms: number;
  updated_ms: number; liquidation: number;
}

export interface AggTradeRow {
  readonly aggId: number;
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly firstId: number;
  readonly lastId: number;
  readonly timeMs: number;
  readonly buyerMaker: number;
}

export interface TradeDbRow { symbol: string; trade_id: number; agg_id: number; price: number; qty: number; time_ms: number;
  buyer_maker: number }
export interface UserTradeDbRow { account_id: number; symbol: string; trade_id: number; maker: number; order_id: number;
  side: string; price: number; qty: number; realized_pnl: string; commission: string; time_ms: number }
export interface IncomeDbRow { tran_id: number; account_id: number; symbol: string; income_type: string; amount: string;
  time_ms: number; trade_id: string }
export interface KlineDbRow { symbol: string; kind: string; interval: string; open_time: number; o: number; h: number;
  l: number; c: number; volume: number; quote: string; trades: number; taker_buy: number; taker_buy_quote: string;
  first_id: number; last_id: number }

export interface LiquidationDbRow { liquidation_id: number; seq: number; account_id: number; symbol: string; time_ms: number;
  event: string }
export interface AccountPointDbRow { account_id: number; seq: number; symbol: string; time_ms: number; has_position: number;
  size: number; cost: string; isolated_wallet: string; leverage: number; margin_type: string; cross_wallet: string }

export function liquidationFromDb(r: LiquidationDbRow): LiquidationRow {
  return { liquidationId: r.liquidation_id, seq: r.seq, accountId: r.account_id, symbol: r.symbol, timeMs: r.time_ms,
    event: r.event };
}

export function tradeFromDb(r: TradeDbRow): TradeRow {
  return { symbol: r.symbol, tradeId: r.trade_id, aggId: r.agg_id, priceTicks: r.price, qtyLots: r.qty, timeMs: r.time_ms,
    buyerMaker: r.buyer_maker === 1 };
}

export function orderFromDb(r: OrderDbRow): OrderView {
  return {
    orderId: r.order_id, accountId: r.account_id, symbol: r.symbol, clientOrderId: r.client_order_id,
    side: r.side as OrderView['side'], orderType: r.type as OrderView['orderType'], timeInForce: r.tif as OrderView['timeInForce'],
    origQtyLots: r.orig_qty, executedQtyLots: r.executed_qty, cumQuoteE8: BigInt(r.cum_quote), priceTicks: r.price,
    stopPriceTicks: r.stop_price, activationPriceTicks: r.activation_price, callbackRateBps: r.callback_bps,
    reduceOnly: r.reduce_only === 1, closePosition: r.close_position === 1,
    workingType: r.working_type as OrderView['workingType'], priceProtect: r.price_protect === 1,
    stpMode: r.stp as OrderView['stpMode'], status: r.status as OrderView['status'], conditional: r.conditional === 1,
    triggered: r.triggered === 1, createdAtMs: r.created_ms, updatedAtMs: r.updated_ms,
    // The store keeps only whether an order was a liquidation (its column predates order origins).
    origin: r.liquidation === 1 ? 'LIQUIDATION' : 'USER', causeId: 0,
  };
}

export interface FundingDbRow { symbol: string; funding_time: number; rate: string; mark: number }

export interface MarketStatDbRow {
  symbol: string; time_ms: number; open_interest: number; mark: number; long_accounts: number; short_accounts: number;
  top_long_accounts: number; top_short_accounts: number; top_long_size: number; top_short_size: number;
}

export function userTradeFromDb(r: UserTradeDbRow): UserTradeRow {
  return {
    accountId: r.account_id, symbol: r.symbol, tradeId: r.trade_id, orderId: r.order_id, side: r.side as 'BUY' | 'SELL',
    priceTicks: r.price, qtyLots: r.qty, realizedPnlE8: BigInt(r.realized_pnl), commissionE8: BigInt(r.commission),
    maker: r.maker === 1, timeMs: r.time_ms,
  };
}

export function incomeFromDb(r: IncomeDbRow): IncomeRow {
  return {
    accountId: r.account_id, symbol: r.symbol, incomeType: r.income_type, amountE8: BigInt(r.amount), timeMs: r.time_ms,
    tranId: r.tran_id, tradeId: r.trade_id,
  };
}

export function fundingFromDb(r: FundingDbRow): FundingRow {
  return { symbol: r.symbol, fundingTimeMs: r.funding_time, rateE8: BigInt(r.rate), markTicks: r.mark };
}

/**
 * An account's positions at a seq, from each symbol's last position point and last isolated-wallet
 * point (the wallet moves without the position, so they are found apart). Both stores assemble it so.
 */
export function positionPointsOf(accountId: number, rows: readonly AccountPointDbRow[],
  wallets: readonly { symbol: string; isolated_wallet: string }[]): Map<string, AccountPointRow> {
  const walletOf = new Map(wallets.map((w) => [w.symbol, w.isolated_wallet]));
  const positions = new Map<string, AccountPointRow>();
  for (const r of rows) {
    positions.set(r.symbol, {
      accountId, seq: r.seq, symbol: r.symbol, timeMs: r.time_ms, hasPosition: true, sizeLots: r.size, costE8: r.cost,
      isolatedWalletE8: walletOf.get(r.symbol) ?? r.isolated_wallet, leverage: r.leverage, marginType: r.margin_type,
      crossWalletE8: '',
    });
  }
  return positions;
}

export function accountPointFromDb(r: AccountPointDbRow): AccountPointRow {
  return {
    accountId: r.account_id, seq: r.seq, symbol: r.symbol, timeMs: r.time_ms, hasPosition: r.has_position === 1,
    sizeLots: r.size, costE8: r.cost, isolatedWalletE8: r.isolated_wallet, leverage: r.leverage, marginType: r.margin_type,
    crossWalletE8: r.cross_wallet,
  };
}

export function klineFromDb(r: KlineDbRow): KlineRow {
  return {
    symbol: r.symbol, kind: r.kind as KlineKind, interval: r.interval as BaseInterval, openTimeMs: r.open_time,
    open: r.o, high: r.h, low: r.l, close: r.c, volumeLots: r.volume, quoteE8: BigInt(r.quote), trades: r.trades,
    takerBuyLots: r.taker_buy, takerBuyQuoteE8: BigInt(r.taker_buy_quote), firstTradeId: r.first_id, lastTradeId: r.last_id,
  };
}

export function marketStatFromDb(r: MarketStatDbRow): MarketStatRow {
  return {
    symbol: r.symbol, timeMs: r.time_ms, openInterestLots: r.open_interest, markTicks: r.mark, longAccounts: r.long_accounts,
    shortAccounts: r.short_accounts, topLongAccounts: r.top_long_accounts, topShortAccounts: r.top_short_accounts,
    topLongLots: r.top_long_size, topShortLots: r.top_short_size,
  };
}
