/**
 * Every worked example of perp-mechanics.md §1.1–§1.8, reproduced through the engine (or, where an
 * example is a pure formula, through the function the engine uses) to the cent. Inputs that the
 * examples assume (two-decimal BTC prices, 2021 bracket tables, no fees) are instrument
 * configuration, passed exactly as a deployment would.
 */
import { describe, expect, it } from 'vitest';
import { BTCUSDT, BTCUSDT_BRACKETS } from '../../src/core/instrument/catalog.js';
import { compileInstrument } from '../../src/core/instrument/instrument.js';
import {
  adlScore, bankruptcyPrice, fractionToTicks, liquidationPrice, maintenanceMarginForNotional,
} from '../../src/core/engine/margin.js';
import { formatScaled } from '../../src/core/num/decimal.js';
import { Harness, fmt, ofType, rejects, usd } from '../support/engine-harness.js';
import { exampleBtc, exampleEth } from '../support/instruments.js';

const HOUR = 3_600_000;
const MIDNIGHT = Date.UTC(2021, 4, 19);

describe('§1.1 maintenance margin by brackets', () => {
  const btc = compileInstrument(BTCUSDT);
  it('long BTCUSDT notional 500,000 → tier 2 → MM 2,450', () => {
    expect(maintenanceMarginForNotional(btc, usd('500000'))).toBe(usd('2450'));
  });
  it('MM is continuous at every bracket boundary (cum chains)', () => {
    for (const bracket of btc.brackets.slice(1)) {
      const below = maintenanceMarginForNotional(btc, bracket.floorE8 - 1n);
      const at = maintenanceMarginForNotional(btc, bracket.floorE8);
      expect(at - below).toBeLessThanOrEqual(1n);
      expect(at).toBeGreaterThanOrEqual(below);
    }
  });
  it('tier 1 maximum (50,000 × 0.4%) equals tier 2 at its floor = 200', () => {
    expect(maintenanceMarginForNotional(btc, usd('50000'))).toBe(usd('200'));
  });
});

describe('§1.2 initial margin and cost to open (1 BTC, 20x, price 9,253.30, mark 9,259.84, last 9,258.99)', () => {
  function setup(deposit: string): { h: Harness; trader: number } {
    const h = new Harness([exampleBtc()], MIDNIGHT);
    const maker = h.createAccount('1000000');
    const taker = h.createAccount('1000000');
    const trader = h.createAccount(deposit);
    h.index('BTCUSDT', '9259.84');
    // Last price 9,258.99 from a trade; the mark stays 9,259.84 until the next cadence instant.
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '0.01', { price: '9258.99' });
    h.order(taker, 'BTCUSDT', 'BUY', 'MARKET', '0.01');
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 20 });
    const market = h.engine.market('BTCUSDT');
    expect([market.markTicks, market.lastTicks]).toEqual([925984, 925899]);
    return { h, trader };
  }

  it('long: IM 462.665 (462.66 to the cent), open loss 0', () => {
    const { h, trader } = setup('1000');
    const preview = h.engine.previewOrder({ accountId: trader, symbol: 'BTCUSDT', side: 'BUY', qtyLots: 1000, priceTicks: 925330 });
    expect(preview?.costE8).toBe(usd('462.665'));
    expect(fmt(preview!.costE8, 2)).toBe('462.66');
  });

  it('short: assuming price max(9,258.99 × 1.0015, mark, price) = 9,272.878485 → IM 463.64, cost 470.18', () => {
    const { h, trader } = setup('1000');
    const preview = h.engine.previewOrder({ accountId: trader, symbol: 'BTCUSDT', side: 'SELL', qtyLots: 1000, priceTicks: 925330 });
    expect(preview?.costE8).toBe(usd('463.64392425') + usd('6.54'));
    expect(fmt(preview!.costE8, 2)).toBe('470.18');
  });

  it('an order the account cannot afford is rejected with -2019 and one it can afford rests', () => {
    for (const [side, cost] of [['BUY', '462.665'], ['SELL', '470.18392425']] as const) {
      const enough = setup(cost);
      expect(rejects(enough.h.order(enough.trader, 'BTCUSDT', side, 'LIMIT', '1', { price: '9253.30' }))).toEqual([]);
      expect(enough.h.engine.openOrders(enough.trader)).toHaveLength(1);
      const short = setup(formatScaled(usd(cost) - 1n, 8));
      expect(rejects(short.h.order(short.trader, 'BTCUSDT', side, 'LIMIT', '1', { price: '9253.30' })).map((r) => r.code))
        .toEqual([-2019]);
      expect(short.h.engine.openOrders(short.trader)).toHaveLength(0);
    }
  });
});

describe('§1.3 liquidation price', () => {
  it("reproduces Binance's two-position cross example: 26,316.89 and 1,153.26", () => {
    const h = new Harness([exampleBtc(), exampleEth()], MIDNIGHT);
    const counterparty = h.createAccount('100000000');
    const trader = h.createAccount('1535443.01');
    h.index('BTCUSDT', '32481.98');
    h.index('ETHUSDT', '1456.84');
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 20 });
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'ETHUSDT', leverage: 4 });
    h.run({ type: 'SetLeverage', accountId: counterparty, symbol: 'ETHUSDT', leverage: 4 });
    h.order(counterparty, 'BTCUSDT', 'SELL', 'LIMIT', '109.488', { price: '32481.98' });
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '109.488', { price: '32481.98' }))).toEqual([]);
    h.order(counterparty, 'ETHUSDT', 'SELL', 'LIMIT', '3683.979', { price: '1456.84' });
    expect(rejects(h.order(trader, 'ETHUSDT', 'BUY', 'LIMIT', '3683.979', { price: '1456.84' }))).toEqual([]);
    h.index('BTCUSDT', '31967.27');
    h.index('ETHUSDT', '1335.18');
    h.advance(1000);
    const view = h.engine.accountView(trader)!;
    expect(view.crossWalletE8).toBe(usd('1535443.01'));
    const [btc, eth] = [view.positions.find((p) => p.symbol === 'BTCUSDT')!, view.positions.find((p) => p.symbol === 'ETHUSDT')!];
    expect([btc.markTicks, eth.markTicks]).toEqual([3196727, 133518]);
    expect(eth.maintenanceMarginE8).toBe(usd('356512.508122'));
    expect(fmt(eth.maintenanceMarginE8, 3)).toBe('356512.508');
    expect(eth.unrealizedPnlE8).toBe(usd('-448192.88514'));
    expect(fmt(btc.maintenanceMarginE8, 3)).toBe('71200.811');
    expect(fmt(btc.unrealizedPnlE8, 3)).toBe('-56354.568');
    expect(btc.liquidationPriceTicks).toBe(2631689);
    expect(eth.liquidationPriceTicks).toBe(115326);
  });

  it('reproduces the isolated examples: long 57,236.18 and short 62,736.32 (1 BTC, 20x, 3,000 margin)', () => {
    for (const [side, expected] of [['BUY', 5723618], ['SELL', 6273632]] as const) {
      const h = new Harness([exampleBtc({ brackets: BTCUSDT_BRACKETS })], MIDNIGHT);
      const counterparty = h.createAccount('1000000');
      const trader = h.createAccount('10000');
      h.index('BTCUSDT', '60000');
      h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
      h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 20 });
      h.order(counterparty, 'BTCUSDT', side === 'BUY' ? 'SELL' : 'BUY', 'LIMIT', '1', { price: '60000' });
      expect(rejects(h.order(trader, 'BTCUSDT', side, 'MARKET', '1'))).toEqual([]);
      const position = h.engine.accountView(trader)!.positions[0]!;
      expect(position.isolatedWalletE8).toBe(usd('3000'));
      expect(position.liquidationPriceTicks).toBe(expected);
    }
  });

  it('at the computed liquidation price equity equals maintenance margin exactly', () => {
    const btc = compileInstrument(exampleBtc({ brackets: BTCUSDT_BRACKETS }));
    // 1 BTC long at 60,000 (ticks of 0.01, lots of 0.001 → k = 1,000 E8 per tick·lot).
    const size = 1000;
    const cost = 6_000_000n * 1000n * btc.quotePerTickLotE8;
    const lp = liquidationPrice(btc, size, cost, usd('3000'))!;
    // equity(p) − MM(p) with p = num/den, scaled by den and by 1e8 to stay integral.
    const k = btc.quotePerTickLotE8;
    const equityScaled = (usd('3000') - cost) * lp.den + BigInt(size) * k * lp.num;
    const mmScaled = (BigInt(size) * k * lp.num * 500_000n) / 100_000_000n - usd('50') * lp.den;
    expect(equityScaled).toBe(mmScaled);
    const bankruptcy = bankruptcyPrice(btc, size, cost, usd('3000'))!;
    expect(fractionToTicks(bankruptcy, 'nearest')).toBe(5_700_000);
  });
});

describe('§1.4 mark price = median(index×(1+f×τ/T), index + MA basis, last)', () => {
  it('index 60,000, last funding 0.01%, 2 h to funding, basis +12, last 60,020 → 60,012', () => {
    const h = new Harness([BTCUSDT], Date.UTC(2021, 4, 19, 5, 59, 0));
    const maker = h.createAccount('1000000');
    const buyer = h.createAccount('100000');
    h.index('BTCUSDT', '60000');
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '0.01', { price: '60020' });
    h.order(buyer, 'BTCUSDT', 'BUY', 'MARKET', '0.01');
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '60006' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '60018' });
    const events = h.run({ type: 'Tick' }, Date.UTC(2021, 4, 19, 6, 0, 0));
    const marks = ofType(events, 'MarkPriceUpdated');
    expect(marks.at(-1)?.markTicks).toBe(600120);
    expect(marks.at(-1)?.lastFundingRateE8).toBe(10_000n);
    expect(marks.at(-1)?.nextFundingMs).toBe(Date.UTC(2021, 4, 19, 8));
  });
});

describe('§1.5 funding', () => {
  it('impact bid 60,048 / ask 60,060 over index 60,000 → P 0.08%, F 0.03%; a 2 BTC long pays 36 USDT', () => {
    const h = new Harness([BTCUSDT], MIDNIGHT);
    const maker = h.createAccount('10000000');
    const long = h.createAccount('100000');
    const short = h.createAccount('100000');
    h.index('BTCUSDT', '60000');
    h.order(long, 'BTCUSDT', 'BUY', 'LIMIT', '2', { price: '60000' });
    h.order(short, 'BTCUSDT', 'SELL', 'MARKET', '2');
    // Deep enough for the 25,000 USDT impact notional at one price on each side.
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '60048' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '60060' });
    const walletsBefore = [h.account(long).crossWalletE8, h.account(short).crossWalletE8];
    const insuranceBefore = h.engine.ctx.insuranceFundE8;
    const events = h.run({ type: 'Tick' }, MIDNIGHT + 8 * HOUR);
    const settled = ofType(events, 'FundingSettled');
    expect(settled).toHaveLength(1);
    expect(settled[0]!.rateE8).toBe(30_000n);
    expect(settled[0]!.markTicks).toBe(600000);
    expect(h.account(long).crossWalletE8 - walletsBefore[0]!).toBe(-usd('36'));
    expect(h.account(short).crossWalletE8 - walletsBefore[1]!).toBe(usd('36'));
    // Longs pay shorts; the sum over accounts plus the booked residue is exactly zero.
    expect(settled[0]!.paidE8 - settled[0]!.receivedE8 - settled[0]!.residueE8).toBe(0n);
    expect(h.engine.ctx.insuranceFundE8 - insuranceBefore).toBe(settled[0]!.residueE8);
    expect(h.engine.checkInvariants()).toEqual([]);
  });

  it('P 0.02% → F equals the interest rate 0.01%', () => {
    const h = new Harness([BTCUSDT], MIDNIGHT);
    const maker = h.createAccount('10000000');
    h.index('BTCUSDT', '60000');
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '60012' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '60030' });
    const settled = ofType(h.run({ type: 'Tick' }, MIDNIGHT + 8 * HOUR), 'FundingSettled');
    expect(settled[0]!.rateE8).toBe(10_000n);
  });
});

describe('§1.7 ADL ranking and §1.8 fees', () => {
  it('ADL score: UPnL 40.2, wallet 4.27, margin ratio 13.42% → 1.26', () => {
    const equity = usd('44.47');
    const maintenance = (equity * 1342n) / 10_000n;
    const score = adlScore(usd('40.2'), usd('4.27'), maintenance, equity, usd('1'));
    const scaled = (score.num * 100n) / score.den;
    expect(scaled).toBe(126n);
  });

  it('a 1,000 USDT taker open plus a taker close costs 1 USDT; makers pay 0.02%', () => {
    const h = new Harness([BTCUSDT], MIDNIGHT);
    const maker = h.createAccount('100000');
    const trader = h.createAccount('10000');
    h.index('BTCUSDT', '50000');
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '0.02', { price: '50000' });
    h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '0.02');
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '0.02', { price: '50000' });
    h.order(trader, 'BTCUSDT', 'SELL', 'MARKET', '0.02');
    const fees = (account: number): bigint => ofType(h.log, 'BalanceChanged')
      .filter((event) => event.accountId === account && event.reason === 'TRADE_FEE')
      .reduce((sum, event) => sum - event.deltaE8, 0n);
    expect(fees(trader)).toBe(usd('1'));
    expect(fees(maker)).toBe(usd('0.4'));
    expect(h.engine.ctx.feePoolE8).toBe(usd('1.4'));
  });
});

describe('time catch-up after downtime', () => {
  it('settles every funding boundary of a long gap without replaying every sample', () => {
    const h = new Harness([BTCUSDT], MIDNIGHT);
    const long = h.createAccount('100000');
    const short = h.createAccount('100000');
    h.index('BTCUSDT', '60000');
    h.order(long, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '60000' });
    h.order(short, 'BTCUSDT', 'SELL', 'MARKET', '1');
    const events = h.run({ type: 'Tick' }, MIDNIGHT + 30 * 24 * HOUR);
    // Only the last hour of mark samples is replayed (60 × 60 at 1 s), not 30 days of them.
    expect(ofType(events, 'MarkPriceUpdated').length).toBeLessThanOrEqual(3600);
    // 30 days of 8-hour funding: 90 settlements, each at interest 0.01% with no premium samples
    // except in the last hour.
    const settlements = ofType(events, 'FundingSettled');
    expect(settlements).toHaveLength(90);
    expect(settlements.slice(0, 89).every((s) => s.rateE8 === 10_000n)).toBe(true);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});
