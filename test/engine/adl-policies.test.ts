/**
 * The ADL policies (docs/MECHANICS.md "ADL policies") on one hand-computed book: three shorts with
 * different entries and wallets, and a 100x long liquidated into an empty book with an empty fund,
 * so 100 lots go to ADL. Each policy picks the counterparties its rule names; the reference engine
 * (test/oracle/reference/adl.ts) answers every command with the same events.
 */
import { describe, expect, it } from 'vitest';
import type { AdlFill } from '../../src/core/engine/events.js';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import type { AdlPolicyName, InstrumentSpec } from '../../src/core/instrument/instrument.js';
import { ReferenceEngine } from '../oracle/reference/reference-engine.js';
import { Harness, ofType, rejects } from '../support/engine-harness.js';

interface Book {
  readonly h: Harness;
  readonly shorts: readonly [number, number, number];
  readonly adl: readonly AdlFill[];
}

/**
 * At 62,000 S3 (600 USDT) sells 0.2 to B; at 60,000 S1 (10,000) sells 0.2 and S2 (2,000) 0.6, to
 * A (100 USDT, 100x: 0.1) and B (100,000: the rest). The index falls to 50,000 with no bids: A's
 * 0.1 (100 lots) is deleveraged. At mark 50,000 the shorts' unrealized profits are 2,000, 6,000 and
 * 2,400 (10, 10 and 12 USDT per lot).
 */
function crash(adlPolicy: AdlPolicyName): Book {
  const spec: InstrumentSpec = { ...BTCUSDT, funding: { ...BTCUSDT.funding, interestRate: '0' }, adlPolicy };
  const h = new Harness([spec]);
  const s1 = h.createAccount('10000');
  const s2 = h.createAccount('2000');
  const s3 = h.createAccount('600');
  const a = h.createAccount('100');
  const b = h.createAccount('100000');
  for (const id of [s1, s2, s3]) h.run({ type: 'SetLeverage', accountId: id, symbol: 'BTCUSDT', leverage: 50 });
  h.run({ type: 'SetLeverage', accountId: a, symbol: 'BTCUSDT', leverage: 100 });
  h.index('BTCUSDT', '62000');
  h.advance(60_000);
  expect(rejects(h.order(s3, 'BTCUSDT', 'SELL', 'LIMIT', '0.2', { price: '62000' }))).toEqual([]);
  expect(rejects(h.order(b, 'BTCUSDT', 'BUY', 'MARKET', '0.2'))).toEqual([]);
  h.index('BTCUSDT', '60000');
  h.advance(60_000);
  expect(rejects(h.order(s1, 'BTCUSDT', 'SELL', 'LIMIT', '0.2', { price: '60000' }))).toEqual([]);
  expect(rejects(h.order(s2, 'BTCUSDT', 'SELL', 'LIMIT', '0.6', { price: '60000' }))).toEqual([]);
  expect(rejects(h.order(a, 'BTCUSDT', 'BUY', 'MARKET', '0.1'))).toEqual([]);
  expect(rejects(h.order(b, 'BTCUSDT', 'BUY', 'MARKET', '0.7'))).toEqual([]);
  h.index('BTCUSDT', '50000');
  h.advance(60_000);
  const liquidations = ofType(h.log, 'Liquidation');
  expect(liquidations.map((l) => [l.accountId, l.qtyLots, l.bookFilledLots])).toEqual([[a, 100, 0]]);
  expect(h.engine.checkInvariants()).toEqual([]);
  return { h, shorts: [s1, s2, s3], adl: liquidations[0]!.adl };
}

function hits(book: Book): [number, number][] {
  return book.adl.map((fill) => [book.shorts.indexOf(fill.accountId) + 1, fill.qtyLots]);
}

describe('ADL policies choose the counterparties their rule names', () => {
  it('BINANCE: PnL% × margin ratio ranks S3 (2,400 on 600) over S2 and S1', () => {
    expect(hits(crash('BINANCE'))).toEqual([[3, 100]]);
  });

  it('HYPERLIQUID: entry / mark × notional / value = entry notional / value ranks S2 (36,000 / 7,992.8) over S3 (12,400 / 2,997.52)', () => {
    expect(hits(crash('HYPERLIQUID'))).toEqual([[2, 100]]);
  });

  it('MIN_OVERSHOOT: least profit per lot first, S1 and S2 tie at 10 and S1 has the lower id', () => {
    expect(hits(crash('MIN_OVERSHOOT'))).toEqual([[1, 100]]);
  });

  it('PRO_RATA: 100 lots over 200 : 600 : 200 is 20, 60, 20', () => {
    expect(hits(crash('PRO_RATA'))).toEqual([[1, 20], [2, 60], [3, 20]]);
  });

  it('the reference engine answers every command of each policy with the same events', () => {
    for (const policy of ['BINANCE', 'HYPERLIQUID', 'MIN_OVERSHOOT', 'PRO_RATA'] as const) {
      const { h } = crash(policy);
      const reference = new ReferenceEngine({ instruments: h.engine.config.instruments });
      let from = 0;
      for (const command of h.commands) {
        const events = reference.apply(command);
        const engineEvents = h.log.slice(from, from + events.length);
        expect(engineEvents, `${policy} seq ${command.seq}`).toEqual(events);
        from += events.length;
      }
      expect(from).toBe(h.log.length);
    }
  });
});
