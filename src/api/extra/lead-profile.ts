/**
 * @module api/extra/lead-profile
 * A lead portfolio's public record (issue 15, "Records and profiles"): PnL and ROI over 7, 30 and
 * 90 days and all time, maximum drawdown and Sharpe of a daily equity series, win rate of closing
 * fills, from the read store (read-models/lead-history.ts) and the engine's live portfolio view.
 * The arithmetic is lead-metrics.ts; docs/api.md "Lead profiles" states the definitions.
 *
 * The daily series samples equity at each UTC midnight of the last MAX_SERIES_DAYS days (from the
 * account's first record) and now. A midnight's equity never changes once its minute's mark candle
 * has closed, so each is computed once per account and kept (at most MAX_SERIES_DAYS + 1 values per
 * open portfolio); a profile then costs a few queries per window plus one per new day.
 */
import type { LeadPortfolioView } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { equityAt, firstPointMs, closingFills, transfers } from '../read-models/lead-history.js';
import {
  cumulativeReturnsBps, maxDrawdownBps, sharpeRatio, windowFigures, winRateBps, type EquitySample, type WindowFigures,
} from './lead-metrics.js';

export const DAY_MS = 86_400_000;
/** Profile windows in days; `all` is the account's whole history. */
export const PROFILE_WINDOW_DAYS = [7, 30, 90] as const;
/** The drawdown and Sharpe series reaches back at most this many UTC days. */
export const MAX_SERIES_DAYS = 365;
/** A midnight's sample is final once the mark candle of its minute has closed (with a minute to spare). */
const SETTLED_AFTER_MS = 120_000;

export const PAST_PERFORMANCE_WARNING =
  'Past performance is not a reliable indicator of future results. Copy trading carries the risk of the lead\'s '
  + 'trades, at your own leverage: you can lose all of the money you invest. Figures are computed by perpx from the '
  + 'account\'s recorded history and are not advice.';

export interface LeadFigures {
  readonly view: LeadPortfolioView;
  /** By window: '7d', '30d', '90d', 'all'. */
  readonly windows: ReadonlyMap<string, WindowFigures>;
  readonly maxDrawdownBps: bigint;
  readonly sharpe: number | undefined;
  readonly closes: number;
  readonly wins: number;
  readonly winRateBps: bigint | undefined;
  readonly asOfMs: number;
  /** Equity at each UTC midnight of the series and now, with the index's cumulative return there (the performance curve). */
  readonly curve: readonly { readonly atMs: number; readonly equityE8: bigint; readonly returnBps: bigint }[];
}

function curveOf(samples: readonly EquitySample[]): LeadFigures['curve'] {
  const returns = cumulativeReturnsBps(samples);
  return samples.map((sample, index) => ({ atMs: sample.atMs, equityE8: sample.equityE8, returnBps: returns[index]! }));
}

export class LeadProfiles {
  /** accountId → UTC midnight → equity there (settled samples only). */
  private readonly midnights = new Map<number, Map<number, bigint>>();

  constructor(private readonly ctx: ApiContext) {}

  figures(view: LeadPortfolioView): LeadFigures {
    const ctx = this.ctx;
    const accountId = view.accountId;
    const nowMs = ctx.venueNow();
    const nowEquity = view.equityE8;
    const allTransfers = transfers(ctx.store, accountId, -1, nowMs);
    const transfersSince = (fromMs: number): bigint =>
      allTransfers.reduce((sum, row) => (row.atMs > fromMs ? sum + row.amountE8 : sum), 0n);
    const windows = new Map<string, WindowFigures>();
    for (const days of PROFILE_WINDOW_DAYS) {
      const startMs = nowMs - days * DAY_MS;
      windows.set(`${days}d`, windowFigures(equityAt(ctx.store, ctx.instruments, accountId, startMs), nowEquity, transfersSince(startMs)));
    }
    windows.set('all', windowFigures(0n, nowEquity, transfersSince(-1)));
    const samples = this.series(accountId, nowMs, nowEquity, allTransfers);
    const { closes, wins } = closingFills(ctx.store, accountId);
    return {
      view, windows, maxDrawdownBps: maxDrawdownBps(samples), sharpe: sharpeRatio(samples), closes, wins,
      winRateBps: winRateBps(closes, wins), asOfMs: nowMs, curve: curveOf(samples),
    };
  }

  /** Equity at each UTC midnight from the series start, then now, with the transfers between samples. */
  private series(accountId: number, nowMs: number, nowEquity: bigint, rows: readonly { atMs: number; amountE8: bigint }[]):
    EquitySample[] {
    const first = firstPointMs(this.ctx.store, accountId);
    if (first === undefined) return [];
    const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
    const startMs = Math.max(Math.floor(first / DAY_MS) * DAY_MS, today - MAX_SERIES_DAYS * DAY_MS);
    let known = this.midnights.get(accountId);
    if (known === undefined) {
      known = new Map();
      this.midnights.set(accountId, known);
    }
    for (const atMs of [...known.keys()]) if (atMs < startMs) known.delete(atMs);
    const times: { atMs: number; dayEnd: boolean }[] = [];
    for (let atMs = startMs; atMs <= nowMs; atMs += DAY_MS) times.push({ atMs, dayEnd: true });
    times.push({ atMs: nowMs, dayEnd: false });
    let row = 0;
    // Transfers before the series start are in its first equity already.
    while (row < rows.length && rows[row]!.atMs <= startMs) row++;
    return times.map((time, index) => {
      let transfersE8 = 0n;
      while (index > 0 && row < rows.length && rows[row]!.atMs <= time.atMs) transfersE8 += rows[row++]!.amountE8;
      return { atMs: time.atMs, equityE8: time.dayEnd ? this.midnightEquity(known, accountId, time.atMs, nowMs) : nowEquity,
        transfersE8, dayEnd: time.dayEnd && index > 0 };
    });
  }

  private midnightEquity(known: Map<number, bigint>, accountId: number, atMs: number, nowMs: number): bigint {
    const cached = known.get(atMs);
    if (cached !== undefined) return cached;
    const equity = equityAt(this.ctx.store, this.ctx.instruments, accountId, atMs);
    if (atMs <= nowMs - SETTLED_AFTER_MS) known.set(atMs, equity);
    return equity;
  }

  /** Forgets accounts that no longer lead a portfolio. */
  prune(isLead: (accountId: number) => boolean): void {
    for (const accountId of [...this.midnights.keys()]) if (!isLead(accountId)) this.midnights.delete(accountId);
  }
}
