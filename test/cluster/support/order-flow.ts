/**
 * A keyed command stream for the cluster suites and the cluster benchmark: an insurance fund, an
 * index price, funded accounts, then pairs of orders that trade (a resting GTC bid, then an IOC
 * sell of the same size at the same price from the next account).
 */
import type { UnsequencedCommand } from '../../../src/core/index.js';

const E8 = 100_000_000n;
const BTC_INDEX_TICKS = 300_000;
const BTC_MIN_LOTS = 2;

export interface KeyedCommand {
  readonly command: UnsequencedCommand;
  readonly key: string;
}

export function bootstrapCommands(accounts: number, tag: string): KeyedCommand[] {
  const out: KeyedCommand[] = [
    { command: { type: 'FundInsurance', amountE8: 1_000_000n * E8 }, key: `${tag}:fund` },
    { command: { type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: BTC_INDEX_TICKS }, key: `${tag}:index` },
  ];
  for (let i = 1; i <= accounts; i++) out.push({ command: { type: 'CreateAccount', parentAccountId: 0 }, key: `${tag}:create:${i}` });
  return out;
}

export function depositCommands(accountIds: readonly number[], tag: string): KeyedCommand[] {
  return accountIds.map((accountId) => ({ command: { type: 'Deposit', accountId, amountE8: 1_000_000n * E8 }, key: `${tag}:deposit:${accountId}` }));
}

function order(accountId: number, side: 'BUY' | 'SELL', timeInForce: 'GTC' | 'IOC', priceTicks: number, qtyLots: number,
  clientOrderId: string): UnsequencedCommand {
  return {
    type: 'PlaceOrder', accountId, symbol: 'BTCUSDT', side, orderType: 'LIMIT', timeInForce, qtyLots, priceTicks,
    stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false,
    workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', clientOrderId,
  };
}

/** The i-th command of the trading flow over the given accounts (deterministic, keyed by tag and i). */
export function tradingCommand(accountIds: readonly number[], tag: string, i: number): KeyedCommand {
  const pair = Math.floor(i / 2);
  const maker = accountIds[pair % accountIds.length]!;
  const taker = accountIds[(pair + 1) % accountIds.length]!;
  const priceTicks = BTC_INDEX_TICKS + ((pair % 21) - 10) * 10;
  const clientOrderId = `${tag}-${i}`;
  if (i % 2 === 0) return { command: order(maker, 'BUY', 'GTC', priceTicks, BTC_MIN_LOTS * (1 + (pair % 3)), clientOrderId), key: `o:${maker}:${clientOrderId}` };
  // The same size as the bid: the pair trades in full and the book stays small however long the flow runs.
  return { command: order(taker, 'SELL', 'IOC', priceTicks, BTC_MIN_LOTS * (1 + (pair % 3)), clientOrderId), key: `o:${taker}:${clientOrderId}` };
}
