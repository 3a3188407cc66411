/**
 * Every history query of ReadStoreQueries, asked with a spread of parameters derived from a
 * scenario (each account and symbol, windows, pages, cursors, several seqs and days), collected
 * into one object so two stores' answers compare with one toEqual.
 */
import { expect } from 'vitest';
import type { ReadStoreQueries } from '../../../src/read-store/read-store.js';
import type { Scenario } from './read-store-scenario.js';

const DAY_MS = 86_400_000;
const INTERVALS = ['1m', '1h', '1d'] as const;
const KINDS = ['trade', 'mark', 'index'] as const;

export async function answersOf(store: ReadStoreQueries, scenario: Scenario): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const ask = async (key: string, answer: Promise<unknown>): Promise<void> => {
    out[key] = await answer;
  };
  const { startMs, endMs } = scenario;
  const midMs = Math.floor((startMs + endMs) / 2);
  const lastSeq = scenario.entries.at(-1)!.command.seq;
  await ask('projectedSeq', store.projectedSeq());
  for (const symbol of scenario.symbols) {
    await ask(`trades ${symbol}`, store.trades(symbol, 1000));
    await ask(`trades ${symbol} from 5`, store.trades(symbol, 50, 5));
    await ask(`aggTrades ${symbol}`, store.aggTrades(symbol, { limit: 1000 }));
    await ask(`aggTrades ${symbol} from 3`, store.aggTrades(symbol, { fromId: 3, limit: 40 }));
    await ask(`aggTrades ${symbol} window`, store.aggTrades(symbol, { startTime: startMs, endTime: midMs, limit: 500 }));
    await ask(`funding ${symbol}`, store.funding(symbol, { limit: 100 }));
    await ask(`funding ${symbol} window`, store.funding(symbol, { startTime: startMs, endTime: midMs, limit: 100 }));
    await ask(`marketStats ${symbol}`, store.marketStats(symbol, 300_000, { limit: 100 }));
    for (const kind of KINDS) {
      for (const interval of INTERVALS) {
        await ask(`klines ${symbol} ${kind} ${interval} newest`, store.klines(symbol, kind, interval, 0, Number.MAX_SAFE_INTEGER, 500, true));
        await ask(`klines ${symbol} ${kind} ${interval} window`, store.klines(symbol, kind, interval, startMs, midMs, 500, false));
      }
    }
  }
  await ask('funding all', store.funding(undefined, { limit: 1000 }));
  await ask('liquidations all', store.liquidations(undefined, 1000));
  await ask('liquidations before 4', store.liquidations(undefined, 2, 4));
  for (let id = 1; id <= 10; id++) await ask(`liquidation ${id}`, store.liquidation(id));
  for (const accountId of scenario.accounts) {
    const a = `account ${accountId}`;
    await ask(`${a} liquidations`, store.liquidations(accountId, 100));
    await ask(`${a} income`, store.income(accountId, { limit: 1000 }));
    await ask(`${a} income page 2`, store.income(accountId, { limit: 7, page: 2 }));
    await ask(`${a} income window`, store.income(accountId, { startTime: startMs, endTime: midMs, limit: 1000 }));
    await ask(`${a} income funding`, store.income(accountId, { incomeType: 'FUNDING_FEE', symbol: 'BTCUSDT', limit: 1000 }));
    await ask(`${a} accountPoints`, store.accountPoints(accountId, 0, lastSeq, 100_000));
    await ask(`${a} firstPointMs`, store.firstPointMs(accountId));
    await ask(`${a} transfers`, store.transfers(accountId, startMs, endMs));
    await ask(`${a} closingFills`, store.closingFills(accountId));
    for (let dayMs = startMs - (startMs % DAY_MS); dayMs <= endMs + DAY_MS; dayMs += DAY_MS) {
      const d = `${a} day ${new Date(dayMs).toISOString().slice(0, 10)}`;
      const seq = await store.accountSeqBefore(accountId, dayMs);
      out[`${d} seqBefore`] = seq;
      await ask(`${d} stateAt`, store.accountStateAt(accountId, seq));
      await ask(`${d} seqAt`, store.seqAt(accountId, dayMs));
      const income: unknown[] = [];
      await store.forEachIncome(accountId, dayMs, dayMs + DAY_MS, (row) => income.push(row));
      out[`${d} forEachIncome`] = income;
      const fees: unknown[] = [];
      await store.forEachLiquidationFee(accountId, dayMs, dayMs + DAY_MS, (timeMs, feeE8) => fees.push([timeMs, feeE8]));
      out[`${d} forEachLiquidationFee`] = fees;
    }
    for (const symbol of scenario.symbols) {
      const s = `${a} ${symbol}`;
      await ask(`${s} orders`, store.orders(accountId, symbol, { limit: 1000 }));
      await ask(`${s} orders from`, store.orders(accountId, symbol, { orderId: 100, limit: 50 }));
      await ask(`${s} orders window`, store.orders(accountId, symbol, { startTime: startMs, endTime: midMs, limit: 1000 }));
      await ask(`${s} orders conditional`, store.orders(accountId, symbol, { conditional: true, limit: 1000 }));
      await ask(`${s} userTrades`, store.userTrades(accountId, symbol, { limit: 1000 }));
      await ask(`${s} userTrades from`, store.userTrades(accountId, symbol, { fromId: 20, limit: 30 }));
      await ask(`${s} userTrades window`, store.userTrades(accountId, symbol, { startTime: startMs, endTime: midMs, limit: 1000 }));
      await ask(`${s} liquidationOrders`, store.liquidationOrders(accountId, symbol, { limit: 100 }));
      await ask(`${s} lastFlatSeq`, store.lastFlatSeq(accountId, symbol, lastSeq));
      for (const type of [undefined, 1, 2] as const) {
        await ask(`${s} marginAdjustments ${type}`, store.marginAdjustments(accountId, symbol, type, { limit: 100 }));
      }
    }
    await ask(`${a} liquidationOrders all`, store.liquidationOrders(accountId, undefined, { limit: 100 }));
  }
  for (let orderId = 1; orderId <= 400; orderId += 13) {
    for (const accountId of scenario.accounts) {
      const view = await store.order(accountId, orderId, undefined);
      if (view === undefined) continue;
      out[`order ${orderId}`] = view;
      await ask(`order ${orderId} by client id`, store.order(accountId, undefined, view.clientOrderId));
      await ask(`order ${orderId} wrong client id`, store.order(accountId, orderId, 'no-such-id'));
    }
  }
  return out;
}

/** Compares two stores' answers query by query, so a failure names the query. */
export function expectSameAnswers(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const key of Object.keys(expected)) expect(actual[key], key).toStrictEqual(expected[key]);
}
