/**
 * @module surveillance/detectors/quant-rules
 * M2 QUANT_RULE_BREACH: Binance Futures' Quantitative Rules, per account × symbol and 10-minute
 * cycle (aligned to UTC), over the orders placed in the cycle:
 *   UFR  = 1 − executed qty / placed qty             (≥ 10,000 orders; ban at ≥ 0.99)
 *   ICR  = cancels < 5 s after placement / GTC+GTX   (≥ 5,000 such orders; ≥ 0.99; rejects do not count)
 *   IFER = expired IOC+FOK / IOC+FOK                 (≥ 5,000; ≥ 0.99)
 *   DR   = orders worth < 50 USDT / all orders       (≥ 10,000; ≥ 0.9)
 *   BC   = bans in a rolling 24 h; ≥ 10 → the whole account is locked ("TMV", too many violations).
 * A ban restricts opening or increasing positions on that symbol until `plannedRecoverTime`; the
 * restriction state is what `GET /fapi/v1/apiTradingStatus` serves and what policy P14 will enforce
 * (each alert carries a P14 hint). Indicators below their recording threshold are not reported,
 * as on Binance.
 */
import type { OrderUpdateEvent, OrderView } from '../../core/index.js';
import { ratio, type JsonValue } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import type { SurveilledEvent } from '../source.js';
import { flowKind } from './order-flow.js';

const E8 = 100_000_000n;

export type QuantIndicator = 'UFR' | 'ICR' | 'IFER' | 'DR';

/** One indicator as apiTradingStatus reports it. */
export interface IndicatorStatus {
  readonly indicator: QuantIndicator | 'TMV';
  readonly value: number;
  readonly triggerValue: number;
  readonly isLocked: boolean;
  readonly plannedRecoverTime: number;
}

class CycleCounts {
  placed = 0;
  placedLots = 0;
  executedLots = 0;
  gtc = 0;
  quickCancels = 0;
  iocFok = 0;
  expiredIocFok = 0;
  dust = 0;
  firstSeq = 0;
  /** Orders placed in this cycle: id → placement (so fills and cancels are attributed to them). */
  readonly orders = new Map<number, OrderView>();
}

interface Lock {
  readonly untilMs: number;
  readonly indicators: readonly IndicatorStatus[];
}

export class QuantRulesDetector implements Detector {
  readonly name = 'M2';
  readonly events = ['OrderUpdate'] as const;
  private counts = new Map<string, CycleCounts>();
  private cycleEndMs = 0;
  /** Restrictions by account, then symbol ('ACCOUNT' for TMV). */
  private readonly locks = new Map<number, Map<string, Lock>>();
  /** Last reported indicators (those past their recording threshold) by account, then symbol. */
  private readonly reported = new Map<number, Map<string, IndicatorStatus[]>>();
  private readonly bans = new Map<number, number[]>();
  updateTimeMs = 0;

  onBatchStart(ctx: SurveillanceContext): void {
    const { m2 } = ctx.config;
    if (this.cycleEndMs === 0) this.cycleEndMs = (Math.floor(ctx.atMs / m2.cycleMs) + 1) * m2.cycleMs;
    if (ctx.atMs < this.cycleEndMs) return;
    this.closeCycle(ctx);
    this.cycleEndMs = (Math.floor(ctx.atMs / m2.cycleMs) + 1) * m2.cycleMs;
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const update = event as OrderUpdateEvent;
    const kind = flowKind(update);
    const order = update.order;
    if (kind === 'PLACED') {
      if (order.triggered) return;
      const counts = this.countsFor(order, ctx);
      counts.placed++;
      counts.placedLots += order.origQtyLots;
      counts.orders.set(order.orderId, order);
      if (order.timeInForce === 'GTC' || order.timeInForce === 'GTX') counts.gtc++;
      if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK') counts.iocFok++;
      if (this.isDust(order, ctx)) counts.dust++;
      return;
    }
    const counts = this.counts.get(`${order.accountId}:${order.symbol}`);
    if (counts === undefined || !counts.orders.has(order.orderId)) return;
    const placed = counts.orders.get(order.orderId)!;
    if (kind === 'FILL') counts.executedLots += update.lastQtyLots;
    else if (kind === 'CANCELED') {
      if ((placed.timeInForce === 'GTC' || placed.timeInForce === 'GTX') && order.updatedAtMs - placed.createdAtMs < ctx.config.m2.icr.withinMs) {
        counts.quickCancels++;
      }
    } else if (kind === 'EXPIRED' && (placed.timeInForce === 'IOC' || placed.timeInForce === 'FOK')) counts.expiredIocFok++;
  }

  /** apiTradingStatus for one account (optionally one symbol), at event time `nowMs`. */
  tradingStatus(accountId: number, nowMs: number, symbol?: string): { indicators: Record<string, IndicatorStatus[]>; updateTime: number } {
    const indicators: Record<string, IndicatorStatus[]> = {};
    const reported = this.reported.get(accountId);
    const locks = this.locks.get(accountId);
    const symbols = new Set<string>([...(reported?.keys() ?? []), ...(locks?.keys() ?? [])]);
    for (const name of [...symbols].sort()) {
      if (symbol !== undefined && name !== symbol && name !== 'ACCOUNT') continue;
      const lock = locks?.get(name);
      const locked = lock !== undefined && lock.untilMs > nowMs;
      const rows = lock !== undefined && locked ? lock.indicators : (reported?.get(name) ?? []);
      indicators[name] = rows.map((row) => ({ ...row, isLocked: locked, plannedRecoverTime: locked ? lock.untilMs : 0 }));
    }
    return { indicators, updateTime: this.updateTimeMs };
  }

  /** Whether opening or increasing a position on `symbol` is restricted (policy P14's question). */
  isRestricted(accountId: number, symbol: string, nowMs: number): boolean {
    const locks = this.locks.get(accountId);
    if (locks === undefined) return false;
    return (locks.get(symbol)?.untilMs ?? 0) > nowMs || (locks.get('ACCOUNT')?.untilMs ?? 0) > nowMs;
  }

  private countsFor(order: OrderView, ctx: SurveillanceContext): CycleCounts {
    const key = `${order.accountId}:${order.symbol}`;
    let counts = this.counts.get(key);
    if (counts === undefined) {
      counts = new CycleCounts();
      counts.firstSeq = ctx.toSeq;
      this.counts.set(key, counts);
    }
    return counts;
  }

  private isDust(order: OrderView, ctx: SurveillanceContext): boolean {
    const market = ctx.state.market(order.symbol);
    const priceTicks = order.priceTicks > 0 ? order.priceTicks : market.markTicks;
    const notional = BigInt(priceTicks) * BigInt(order.origQtyLots) * market.instrument.quotePerTickLotE8;
    return notional < BigInt(ctx.config.m2.dr.dustUsdt) * E8;
  }

  private closeCycle(ctx: SurveillanceContext): void {
    const { m2 } = ctx.config;
    const endMs = this.cycleEndMs;
    this.updateTimeMs = endMs;
    const cycles = this.counts;
    this.counts = new Map();
    for (const [key, counts] of cycles) {
      const [accountText, symbol] = key.split(':') as [string, string];
      const accountId = Number(accountText);
      const rows: IndicatorStatus[] = [];
      const breached: IndicatorStatus[] = [];
      const consider = (indicator: QuantIndicator, recorded: boolean, value: number, triggerBps: number): void => {
        if (!recorded) return;
        const row = { indicator, value: ratio(value), triggerValue: triggerBps / 10_000, isLocked: false, plannedRecoverTime: 0 };
        rows.push(row);
        if (value * 10_000 >= triggerBps) breached.push(row);
      };
      consider('UFR', counts.placed >= m2.ufr.min, counts.placedLots === 0 ? 0 : 1 - counts.executedLots / counts.placedLots, m2.ufr.triggerBps);
      consider('ICR', counts.gtc >= m2.icr.min, counts.gtc === 0 ? 0 : counts.quickCancels / counts.gtc, m2.icr.triggerBps);
      consider('IFER', counts.iocFok >= m2.ifer.min, counts.iocFok === 0 ? 0 : counts.expiredIocFok / counts.iocFok, m2.ifer.triggerBps);
      consider('DR', counts.placed >= m2.dr.min, counts.placed === 0 ? 0 : counts.dust / counts.placed, m2.dr.triggerBps);
      let reported = this.reported.get(accountId);
      if (rows.length > 0) {
        if (reported === undefined) {
          reported = new Map();
          this.reported.set(accountId, reported);
        }
        reported.set(symbol, rows);
      } else {
        reported?.delete(symbol);
      }
      if (breached.length === 0) continue;
      this.ban(accountId, symbol, breached, counts, endMs, ctx);
    }
  }

  private ban(accountId: number, symbol: string, breached: IndicatorStatus[], counts: CycleCounts, endMs: number, ctx: SurveillanceContext): void {
    const { m2 } = ctx.config;
    const history = (this.bans.get(accountId) ?? []).filter((atMs) => atMs > endMs - m2.banCount.windowMs);
    history.push(endMs);
    this.bans.set(accountId, history);
    const lockMs = Math.min(m2.maxLockMs, m2.lockMs * 2 ** (history.length - 1));
    const untilMs = endMs + lockMs;
    let locks = this.locks.get(accountId);
    if (locks === undefined) {
      locks = new Map();
      this.locks.set(accountId, locks);
    }
    locks.set(symbol, { untilMs, indicators: breached });
    const tmv = history.length >= m2.banCount.trigger;
    if (tmv) {
      locks.set('ACCOUNT', {
        untilMs: endMs + m2.accountLockMs,
        indicators: [{ indicator: 'TMV', value: history.length, triggerValue: m2.banCount.trigger, isLocked: true, plannedRecoverTime: endMs + m2.accountLockMs }],
      });
    }
    const figures: JsonValue = {
      placed: counts.placed, gtcOrders: counts.gtc, quickCancels: counts.quickCancels, iocFokOrders: counts.iocFok,
      expiredIocFok: counts.expiredIocFok, dustOrders: counts.dust,
    };
    ctx.emit({
      code: 'M2', severity: 'warn', symbol, accountIds: [accountId], atMs: endMs, fromSeq: counts.firstSeq,
      message: `account ${accountId} ${symbol}: quantitative rules breached (${breached.map((row) => `${row.indicator} ${row.value}`).join(', ')}); ` +
        `restricted until ${new Date(untilMs).toISOString()}${tmv ? ', account locked (TMV)' : ''}`,
      inputs: {
        indicators: breached.map((row) => ({ indicator: row.indicator, value: row.value, triggerValue: row.triggerValue })),
        counts: figures, bansIn24h: history.length, plannedRecoverTime: untilMs, accountLocked: tmv,
      },
      threshold: {
        ufr: { min: m2.ufr.min, triggerBps: m2.ufr.triggerBps }, icr: { min: m2.icr.min, triggerBps: m2.icr.triggerBps },
        ifer: { min: m2.ifer.min, triggerBps: m2.ifer.triggerBps }, dr: { min: m2.dr.min, triggerBps: m2.dr.triggerBps },
        banCount: m2.banCount.trigger,
      },
      policy: { policy: 'P14', accountId, symbol: tmv ? '' : symbol, action: 'RESTRICT_OPENING', untilMs: tmv ? endMs + m2.accountLockMs : untilMs },
    });
  }
}
