/**
 * @module surveillance/detectors/pump-dump
 * M7 PUMP_DUMP, hourly per symbol, the screen of arXiv 2503.08692 in its "best setting" (as q-fi
 * implements it), on hourly bars built from trades:
 *   High > 1.9 × MA(open, 12 h)  AND  Volume > 5 × MA(volume, 12 h)
 *   AND  EWMA(volume, 20 d) + 2σ < Volume < max(volume, 30 d)
 * (averages over the hours before the one judged; at least 12 of them). The alert names the top net
 * buyers of the hour judged (the 60 minutes before it closed).
 */
import { money, price, qty } from '../../api/format.js';
import type { TradeEvent } from '../../core/index.js';
import { ratio } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import type { SurveilledEvent } from '../source.js';

const HOUR_MS = 3_600_000;

interface Bar {
  readonly hour: number;
  readonly openTicks: number;
  highTicks: number;
  /** Quote volume in USDT (a float: the screen's statistics are floats). */
  volume: number;
  firstSeq: number;
  readonly netLots: Map<number, number>;
}

export class PumpDumpDetector implements Detector {
  readonly name = 'M7';
  readonly events = ['Trade'] as const;
  private readonly history: Bar[][];
  private readonly current: (Bar | undefined)[];

  constructor(ctx: SurveillanceContext) {
    this.history = ctx.state.markets.map(() => []);
    this.current = ctx.state.markets.map(() => undefined);
  }

  onBatchStart(ctx: SurveillanceContext): void {
    const hour = Math.floor(ctx.atMs / HOUR_MS);
    for (const market of ctx.state.markets) {
      const bar = this.current[market.marketIndex];
      if (bar === undefined || bar.hour >= hour) continue;
      this.close(market.marketIndex, bar, ctx);
      this.current[market.marketIndex] = undefined;
    }
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const trade = event as TradeEvent;
    if (trade.kind === 'ADL') return;
    const market = ctx.state.market(trade.symbol);
    const hour = Math.floor(trade.atMs / HOUR_MS);
    let bar = this.current[market.marketIndex];
    if (bar === undefined || bar.hour !== hour) {
      if (bar !== undefined) this.close(market.marketIndex, bar, ctx);
      bar = { hour, openTicks: trade.priceTicks, highTicks: trade.priceTicks, volume: 0, firstSeq: ctx.toSeq, netLots: new Map() };
      this.current[market.marketIndex] = bar;
    }
    if (trade.priceTicks > bar.highTicks) bar.highTicks = trade.priceTicks;
    const notional = BigInt(trade.priceTicks) * BigInt(trade.qtyLots) * market.instrument.quotePerTickLotE8;
    bar.volume += Number(notional) / 1e8;
    const buyer = trade.takerSide === 'BUY' ? trade.takerAccountId : trade.makerAccountId;
    const seller = trade.takerSide === 'BUY' ? trade.makerAccountId : trade.takerAccountId;
    bar.netLots.set(buyer, (bar.netLots.get(buyer) ?? 0) + trade.qtyLots);
    bar.netLots.set(seller, (bar.netLots.get(seller) ?? 0) - trade.qtyLots);
  }

  private close(marketIndex: number, bar: Bar, ctx: SurveillanceContext): void {
    const { m7 } = ctx.config;
    const history = this.history[marketIndex]!;
    const judged = this.judge(history, bar, m7);
    history.push({ ...bar, netLots: new Map() });
    if (history.length > m7.maxHours) history.shift();
    if (judged === undefined) return;
    const market = ctx.state.markets[marketIndex]!;
    const instrument = market.instrument;
    const buyers = [...bar.netLots].filter(([, lots]) => lots > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, m7.topBuyers);
    ctx.emit({
      code: 'M7', severity: 'high', symbol: market.symbol, accountIds: buyers.map(([accountId]) => accountId),
      atMs: (bar.hour + 1) * HOUR_MS, fromSeq: bar.firstSeq,
      message: `${market.symbol}: pump-and-dump pattern in the hour from ${new Date(bar.hour * HOUR_MS).toISOString()} ` +
        `(high ${ratio(bar.highTicks / judged.maOpen)}× the 12-h average open, volume ${ratio(bar.volume / judged.maVolume)}× the 12-h average)`,
      inputs: {
        hourStartMs: bar.hour * HOUR_MS, high: price(instrument, bar.highTicks), open: price(instrument, bar.openTicks),
        volumeUsdt: ratio(bar.volume), maOpen12h: price(instrument, Math.round(judged.maOpen)),
        maVolume12h: ratio(judged.maVolume), ewmaVolume: ratio(judged.ewma), ewmaSigma: ratio(judged.sigma), maxVolume30d: ratio(judged.max),
        topNetBuyers: buyers.map(([accountId, lots]) => ({ accountId, netBought: qty(instrument, lots) })),
        hoursOfHistory: history.length - 1, volume: money(BigInt(Math.round(bar.volume * 1e8))),
      },
      threshold: { priceMultiple: m7.priceMultiple, volumeMultiple: m7.volumeMultiple, maHours: m7.maHours, ewmaHours: m7.ewmaHours, sigmas: m7.sigmas },
    });
  }

  private judge(history: readonly Bar[], bar: Bar, m7: { priceMultiple: number; volumeMultiple: number; maHours: number; ewmaHours: number; sigmas: number; minHistoryHours: number }):
    { maOpen: number; maVolume: number; ewma: number; sigma: number; max: number } | undefined {
    if (history.length < m7.minHistoryHours) return undefined;
    const recent = history.slice(-m7.maHours);
    const maOpen = recent.reduce((sum, item) => sum + item.openTicks, 0) / recent.length;
    const maVolume = recent.reduce((sum, item) => sum + item.volume, 0) / recent.length;
    // EWMA and EW standard deviation of hourly volume, span 20 days of hours.
    const alpha = 2 / (m7.ewmaHours + 1);
    let ewma = history[0]!.volume;
    let variance = 0;
    for (let i = 1; i < history.length; i++) {
      const delta = history[i]!.volume - ewma;
      ewma += alpha * delta;
      variance = (1 - alpha) * (variance + alpha * delta * delta);
    }
    const sigma = Math.sqrt(variance);
    const max = Math.max(...history.map((item) => item.volume));
    const hit = bar.highTicks > m7.priceMultiple * maOpen && bar.volume > m7.volumeMultiple * maVolume &&
      ewma + m7.sigmas * sigma < bar.volume && bar.volume < max;
    return hit ? { maOpen, maVolume, ewma, sigma, max } : undefined;
  }
}
