/**
 * @module surveillance/detectors/copy-trading
 * C1 LEAD_COOLING: a public lead portfolio with AUM ≥ 500,000 USDT whose 7-day maximum drawdown of
 * equity (sampled every 10 minutes) is ≥ 20 %, checked every 2 hours → high, with a P19 hint
 * (suspend the lead's trading for 24 h); not re-checked for 7 days (Binance's "Cooling Period").
 * C2 COPY_CONTAGION: a lead's cross margin ratio ≥ 80 % while its followers hold ≥ 100,000 USDT of
 * notional in the lead's symbols → high, listing each follower's own margin ratio and whether it
 * would be liquidated before the mark reaches the lead's liquidation price.
 * C3 FOLLOWER_DIVERGENCE: a follower's position is liquidated while the lead it copies still holds
 * the same side of that symbol → warn.
 */
import { money, price } from '../../api/format.js';
import type { LiquidationEvent } from '../../core/index.js';
import type { AccountState } from '../../read/account-state.js';
import { ratio, type JsonValue } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import { Latches } from '../latch.js';
import type { SurveilledEvent } from '../source.js';

const E8 = 100_000_000n;

/** Wallet (cross + isolated) + every UPnL at current marks. */
function equityOf(account: AccountState, ctx: SurveillanceContext): bigint {
  let equity = ctx.state.crossFigures(account).marginBalanceE8;
  for (const position of account.openPositions()) {
    if (!position.isolated) continue;
    equity += position.isolatedWalletE8 + ctx.state.positionFigures(position).unrealizedPnlE8;
  }
  return equity;
}

interface Sample {
  readonly atMs: number;
  readonly equityE8: bigint;
}

export class LeadCoolingDetector implements Detector {
  readonly name = 'C1';
  private readonly samples = new Map<number, Sample[]>();
  private readonly quietUntilMs = new Map<number, number>();
  private nextSampleMs = 0;
  private nextCheckMs = 0;

  onBatchEnd(ctx: SurveillanceContext): void {
    const { c1 } = ctx.config;
    if (ctx.copies.portfolios.size === 0) return;
    if (ctx.atMs >= this.nextSampleMs) {
      this.nextSampleMs = (Math.floor(ctx.atMs / c1.sampleEveryMs) + 1) * c1.sampleEveryMs;
      for (const leadId of ctx.copies.portfolios.keys()) {
        const account = ctx.state.account(leadId);
        if (account === undefined) continue;
        const samples = this.samples.get(leadId) ?? [];
        samples.push({ atMs: ctx.atMs, equityE8: equityOf(account, ctx) });
        while (samples.length > 0 && samples[0]!.atMs < ctx.atMs - c1.windowMs) samples.shift();
        this.samples.set(leadId, samples);
      }
    }
    if (ctx.atMs < this.nextCheckMs) return;
    this.nextCheckMs = (Math.floor(ctx.atMs / c1.checkEveryMs) + 1) * c1.checkEveryMs;
    for (const [leadId, portfolio] of [...ctx.copies.portfolios].sort((a, b) => a[0] - b[0])) {
      if (!portfolio.public || portfolio.aumE8 < BigInt(c1.aumUsdt) * E8) continue;
      if ((this.quietUntilMs.get(leadId) ?? 0) > ctx.atMs) continue;
      const { drawdownBps, peakE8, troughE8 } = maxDrawdown(this.samples.get(leadId) ?? []);
      if (drawdownBps < c1.drawdownBps) continue;
      this.quietUntilMs.set(leadId, ctx.atMs + c1.recheckAfterMs);
      ctx.emit({
        code: 'C1', severity: 'high', symbol: null, accountIds: [leadId],
        message: `lead ${leadId}: 7-day drawdown ${(drawdownBps / 100).toFixed(2)} % with ${money(portfolio.aumE8)} USDT under management: suspend for 24 h`,
        inputs: { aum: money(portfolio.aumE8), drawdownBps, peakEquity: money(peakE8), troughEquity: money(troughE8) },
        threshold: { aumUsdt: c1.aumUsdt, drawdownBps: c1.drawdownBps, windowMs: c1.windowMs },
        policy: { policy: 'P19', accountId: leadId, symbol: '', action: 'SUSPEND_LEAD', untilMs: ctx.atMs + c1.suspendMs },
      });
    }
  }
}

/** Largest fall from a running peak, in bps of the peak. */
export function maxDrawdown(samples: readonly Sample[]): { drawdownBps: number; peakE8: bigint; troughE8: bigint } {
  let peak = 0n;
  let best = { drawdownBps: 0, peakE8: 0n, troughE8: 0n };
  for (const sample of samples) {
    if (sample.equityE8 > peak) peak = sample.equityE8;
    if (peak <= 0n) continue;
    const drawdownBps = Number(((peak - sample.equityE8) * 10_000n) / peak);
    if (drawdownBps > best.drawdownBps) best = { drawdownBps, peakE8: peak, troughE8: sample.equityE8 };
  }
  return best;
}

export class CopyContagionDetector implements Detector {
  readonly name = 'C2';
  private readonly latches: Latches<number>;

  constructor(ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.c2.repeatAfterMs);
  }

  onBatchEnd(ctx: SurveillanceContext): void {
    if (!ctx.copies.hasRelations) return;
    const { c2 } = ctx.config;
    for (const leadId of ctx.copies.leadIds()) {
      const lead = ctx.state.account(leadId);
      const followers = ctx.copies.followers(leadId);
      if (lead === undefined || followers.length === 0) continue;
      const cross = ctx.state.crossFigures(lead);
      const atRisk = cross.positions > 0 && (cross.marginBalanceE8 <= 0n || cross.maintenanceE8 * 100n >= cross.marginBalanceE8 * BigInt(c2.leadRatioPercent));
      let mirrored = 0n;
      const rows: JsonValue[] = [];
      if (atRisk) {
        for (const leadPosition of lead.openPositions()) {
          const leadLiq = ctx.risk.entry(leadPosition)?.liqTicks ?? -1;
          for (const followerId of followers) {
            const follower = ctx.state.account(followerId);
            const position = follower?.positions[leadPosition.market];
            if (follower === undefined || position === undefined || position.sizeLots === 0) continue;
            const instrument = position.marketState.instrument;
            const notional = BigInt(Math.abs(position.sizeLots)) * BigInt(position.marketState.markTicks) * instrument.quotePerTickLotE8;
            mirrored += notional;
            const ownLiq = ctx.risk.entry(position)?.liqTicks ?? -1;
            const sameSide = (position.sizeLots > 0) === (leadPosition.sizeLots > 0);
            const liquidatedFirst = sameSide && ownLiq > 0 && leadLiq > 0 && (position.sizeLots > 0 ? ownLiq >= leadLiq : ownLiq <= leadLiq);
            const figures = position.isolated
              ? { balance: position.isolatedWalletE8 + ctx.state.positionFigures(position).unrealizedPnlE8, mm: ctx.state.positionFigures(position).maintenanceMarginE8 }
              : (() => { const own = ctx.state.crossFigures(follower); return { balance: own.marginBalanceE8, mm: own.maintenanceE8 }; })();
            rows.push({
              accountId: followerId, symbol: position.symbol, notional: money(notional),
              marginRatio: figures.balance <= 0n ? null : ratio(Number((figures.mm * 100_000_000n) / figures.balance) / 1e8),
              liquidationPrice: ownLiq > 0 && ownLiq < Number.MAX_SAFE_INTEGER ? price(instrument, ownLiq) : null,
              liquidatedBeforeLead: liquidatedFirst,
            });
          }
        }
      }
      const level = atRisk && mirrored >= BigInt(c2.followerNotionalUsdt) * E8 ? 1 : 0;
      if (!this.latches.update(leadId, level, ctx.atMs)) continue;
      const leadRatio = cross.marginBalanceE8 <= 0n ? null : ratio(Number((cross.maintenanceE8 * 100_000_000n) / cross.marginBalanceE8) / 1e8);
      ctx.emit({
        code: 'C2', severity: 'high', symbol: null, accountIds: [leadId, ...followers],
        message: `lead ${leadId} at margin ratio ${leadRatio === null ? '∞' : `${(leadRatio * 100).toFixed(1)} %`} with ${money(mirrored)} USDT mirrored by ${followers.length} follower(s)`,
        inputs: { leadMarginRatio: leadRatio, mirroredNotional: money(mirrored), followers: rows },
        threshold: { leadRatioPercent: c2.leadRatioPercent, followerNotionalUsdt: c2.followerNotionalUsdt },
      });
    }
  }
}

export class FollowerDivergenceDetector implements Detector {
  readonly name = 'C3';
  readonly events = ['Liquidation'] as const;

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    if (!ctx.copies.hasRelations) return;
    const liquidation = event as LiquidationEvent;
    const followerLong = liquidation.side === 'SELL';
    for (const leadId of ctx.copies.leads(liquidation.accountId)) {
      const lead = ctx.state.position(leadId, liquidation.symbol);
      if (lead === undefined || lead.sizeLots === 0 || (lead.sizeLots > 0) !== followerLong) continue;
      const instrument = ctx.state.market(liquidation.symbol).instrument;
      ctx.emit({
        code: 'C3', severity: 'warn', symbol: liquidation.symbol, accountIds: [liquidation.accountId, leadId],
        message: `follower ${liquidation.accountId} was liquidated on ${liquidation.symbol} while lead ${leadId} still holds the same side`,
        inputs: {
          follower: liquidation.accountId, lead: leadId, side: followerLong ? 'LONG' : 'SHORT', markPrice: price(instrument, liquidation.markTicks),
          leadMarginType: lead.marginType, leadIsolatedWallet: money(lead.isolatedWalletE8),
        },
        threshold: { any: true },
      });
    }
  }
}
