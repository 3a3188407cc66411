/**
 * @module surveillance/detectors/insurance
 * E9 INSURANCE_FUND_DRAWDOWN: the insurance fund's decline from its highest balance of the last 8
 * hours: −10 % warn, −30 % critical (OKX starts ADL at −30 %). Kept with a monotonic deque of
 * balances, so each change costs O(1) amortised.
 * E10 ADL_EXECUTED: any liquidation that auto-deleveraged counterparties: one critical alert per
 * command and symbol, naming the liquidated accounts and the deleveraged ones.
 */
import { money, price, qty } from '../../api/format.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector, EventOf } from '../detector.js';
import { Latches } from '../latch.js';
import type { SurveilledEvent } from '../source.js';

const MAX_NAMED_ACCOUNTS = 50;

export class InsuranceDrawdownDetector implements Detector {
  readonly name = 'E9';
  readonly events = ['InsuranceFundChanged'] as const;
  /** (time, balance) with balances strictly decreasing from the front: the front is the window's peak. */
  private readonly peaks: { atMs: number; balanceE8: bigint; seq: number }[] = [];
  private head = 0;
  private readonly latches: Latches<number>;

  constructor(ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.e9.repeatAfterMs);
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const change = event as EventOf<'InsuranceFundChanged'>;
    const { e9 } = ctx.config;
    const balance = change.balanceE8;
    while (this.peaks.length > this.head && this.peaks[this.peaks.length - 1]!.balanceE8 <= balance) this.peaks.pop();
    this.peaks.push({ atMs: ctx.atMs, balanceE8: balance, seq: ctx.toSeq });
    while (this.head < this.peaks.length - 1 && this.peaks[this.head]!.atMs < ctx.atMs - e9.peakWindowMs) this.head++;
    if (this.head > 1024) {
      this.peaks.splice(0, this.head);
      this.head = 0;
    }
    const peak = this.peaks[this.head]!;
    if (peak.balanceE8 <= 0n) return;
    const declineBps = Number(((peak.balanceE8 - balance) * 10_000n) / peak.balanceE8);
    const level = declineBps >= e9.criticalBps ? 2 : declineBps >= e9.warnBps ? 1 : 0;
    if (!this.latches.update(0, level, ctx.atMs)) return;
    ctx.emit({
      code: 'E9', severity: level === 2 ? 'critical' : 'warn', symbol: change.symbol === '' ? null : change.symbol, accountIds: [],
      fromSeq: peak.seq,
      message: `insurance fund ${money(balance)} USDT, ${(declineBps / 100).toFixed(2)} % below its 8-hour peak ${money(peak.balanceE8)}`,
      inputs: { balance: money(balance), peak: money(peak.balanceE8), peakAtMs: peak.atMs, declineBps, lastReason: change.reason },
      threshold: { warnBps: e9.warnBps, criticalBps: e9.criticalBps, peakWindowMs: e9.peakWindowMs },
    });
  }
}

interface AdlTally {
  liquidations: number;
  adlLots: number;
  readonly liquidated: number[];
  readonly deleveraged: number[];
  lastPriceTicks: number;
}

export class AdlDetector implements Detector {
  readonly name = 'E10';
  readonly events = ['Liquidation'] as const;
  private readonly tallies = new Map<string, AdlTally>();

  onEvent(event: SurveilledEvent): void {
    const liquidation = event as EventOf<'Liquidation'>;
    if (liquidation.adl.length === 0) return;
    let tally = this.tallies.get(liquidation.symbol);
    if (tally === undefined) {
      tally = { liquidations: 0, adlLots: 0, liquidated: [], deleveraged: [], lastPriceTicks: 0 };
      this.tallies.set(liquidation.symbol, tally);
    }
    tally.liquidations++;
    if (tally.liquidated.length < MAX_NAMED_ACCOUNTS) tally.liquidated.push(liquidation.accountId);
    for (const fill of liquidation.adl) {
      tally.adlLots += fill.qtyLots;
      tally.lastPriceTicks = fill.priceTicks;
      if (tally.deleveraged.length < MAX_NAMED_ACCOUNTS && !tally.deleveraged.includes(fill.accountId)) tally.deleveraged.push(fill.accountId);
    }
  }

  onBatchEnd(ctx: SurveillanceContext): void {
    if (this.tallies.size === 0) return;
    for (const [symbol, tally] of this.tallies) {
      const instrument = ctx.state.market(symbol).instrument;
      ctx.emit({
        code: 'E10', severity: 'critical', symbol, accountIds: [...tally.liquidated, ...tally.deleveraged],
        message: `${symbol}: auto-deleveraging of ${qty(instrument, tally.adlLots)} against ${tally.deleveraged.length} account(s)`,
        inputs: {
          liquidationsWithAdl: tally.liquidations, adlQty: qty(instrument, tally.adlLots), lastAdlPrice: price(instrument, tally.lastPriceTicks),
          liquidatedAccounts: tally.liquidated, deleveragedAccounts: tally.deleveraged,
        },
        threshold: { any: true },
      });
    }
    this.tallies.clear();
  }
}
