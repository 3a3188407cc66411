/**
 * E1 MARGIN_CALL on a real engine: a cross long whose margin ratio reaches 80 % gets a warn alert
 * whose Binance payload equals what the API hub sends on the user stream for the same state
 * (src/api/ws/user-events.ts marginCall), 79.99 % gets nothing, 90 % gets high; an isolated
 * position is judged on its own wallet.
 */
import { describe, expect, it } from 'vitest';
import { marginCall } from '../../src/api/ws/user-events.js';
import type { EngineEvent } from '../../src/core/engine/events.js';
import { maintenanceMarginForNotional, notionalE8 } from '../../src/core/engine/margin.js';
import { compileInstrument, type Instrument } from '../../src/core/instrument/instrument.js';
import { DEFAULT_INSTRUMENTS } from '../../src/core/instrument/catalog.js';
import type { Alert } from '../../src/surveillance/alert.js';
import { Surveillance } from '../../src/surveillance/service.js';
import { Harness } from '../support/engine-harness.js';

/** The highest mark (ticks) at which a single position's ratio MM / (W + UPnL) is ≥ percent. */
function priceAtRatio(instrument: Instrument, sizeLots: number, costE8: bigint, walletE8: bigint, percent: bigint): number {
  const holds = (ticks: number): boolean => {
    const balance = walletE8 + BigInt(sizeLots) * BigInt(ticks) * instrument.quotePerTickLotE8 - costE8;
    return balance <= 0n || maintenanceMarginForNotional(instrument, notionalE8(instrument, ticks, sizeLots)) * 100n >= balance * percent;
  };
  let low = 1;
  let high = 10_000_000;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (holds(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

function setup(isolated: boolean): { h: Harness; surveillance: Surveillance; trader: number; alerts: Alert[]; instrument: Instrument } {
  const h = new Harness();
  const surveillance = new Surveillance({ instruments: DEFAULT_INSTRUMENTS.map(compileInstrument) });
  const alerts: Alert[] = [];
  const record = h.run.bind(h);
  h.run = (command, atMs = h.now) => {
    const events: EngineEvent[] = record(command, atMs);
    alerts.push(...surveillance.ingest({ fromSeq: h.seq, toSeq: h.seq, atMs, events }));
    return events;
  };
  h.index('BTCUSDT', '60000');
  h.run({ type: 'FundInsurance', amountE8: 100_000n * 100_000_000n });
  const maker = h.createAccount('100000');
  const trader = h.createAccount('100');
  h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 20 });
  if (isolated) h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
  h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '0.010', { price: '60000' });
  h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '0.010');
  h.advance(1000);
  return { h, surveillance, trader, alerts, instrument: compileInstrument(DEFAULT_INSTRUMENTS[0]!) };
}

/**
 * Moves the mark to exactly `ticks`: the mark is a median that includes the funding-adjusted index,
 * so the index is nudged until the sampled mark lands on the target. The mark approaches from the
 * safe side (above, for these longs), so the target is the first ratio the account sees.
 */
function markTo(h: Harness, ticks: number): void {
  let index = ticks;
  for (let attempt = 0; attempt < 20; attempt++) {
    h.run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: index });
    h.advance(1000);
    const mark = h.engine.market('BTCUSDT').markTicks;
    if (mark === ticks) return;
    index += ticks - mark;
  }
  throw new Error(`the mark did not reach ${ticks}`);
}

describe('E1 MARGIN_CALL', () => {
  it('warns at 80 % with the payload the user stream sends, not at 79.99 %, high at 90 %', () => {
    const { h, trader, alerts, instrument } = setup(false);
    const view = h.engine.accountView(trader)!;
    const position = view.positions.find((p) => p.sizeLots !== 0)!;
    const at80 = priceAtRatio(instrument, position.sizeLots, position.costE8, view.crossWalletE8, 80n);
    const at90 = priceAtRatio(instrument, position.sizeLots, position.costE8, view.crossWalletE8, 90n);
    expect(at80).toBeGreaterThan(at90);
    markTo(h, at80 + 1);
    expect(alerts.filter((alert) => alert.code === 'E1')).toEqual([]);
    markTo(h, at80);
    const warn = alerts.filter((alert) => alert.code === 'E1');
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatchObject({ severity: 'warn', accountIds: [trader], symbol: 'BTCUSDT', threshold: { warnPercent: 80 } });
    const hub = marginCall(h.engine.accountView(trader)!, new Map([['BTCUSDT', instrument]]), warn[0]!.atMs);
    expect(warn[0]!.binance).toEqual(hub);
    markTo(h, at90);
    const high = alerts.filter((alert) => alert.code === 'E1' && alert.severity === 'high');
    expect(high).toHaveLength(1);
    expect(h.engine.accountView(trader)!.positions.find((p) => p.sizeLots !== 0)).toBeDefined();
  });

  it('judges an isolated position on its own wallet', () => {
    const { h, trader, alerts, instrument } = setup(true);
    const view = h.engine.accountView(trader)!;
    const position = view.positions.find((p) => p.sizeLots !== 0)!;
    expect(position.marginType).toBe('ISOLATED');
    const at80 = priceAtRatio(instrument, position.sizeLots, position.costE8, position.isolatedWalletE8, 80n);
    markTo(h, at80 + 1);
    expect(alerts.filter((alert) => alert.code === 'E1')).toEqual([]);
    markTo(h, at80);
    const warn = alerts.filter((alert) => alert.code === 'E1');
    expect(warn).toHaveLength(1);
    expect(warn[0]!.inputs['marginType']).toBe('ISOLATED');
    expect(warn[0]!.binance).toEqual(marginCall(h.engine.accountView(trader)!, new Map([['BTCUSDT', instrument]]), warn[0]!.atMs));
  });
});
