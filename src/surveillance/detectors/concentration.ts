/**
 * @module surveillance/detectors/concentration
 * E11 CONCENTRATION: the share of a symbol's open interest held on one side by an account or a
 * linked group (sub-accounts, operator links): ≥ 10 % warn, ≥ 25 % high. Only on markets whose open
 * interest is worth at least `minOpenInterestUsdt` at the mark (on a nearly empty market the first two
 * traders each hold half). Evaluated once a minute of event time per symbol.
 */
import { money, qty } from '../../api/format.js';
import type { MarketState } from '../../read/account-state.js';
import { ratio } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import { Latches } from '../latch.js';

const E8 = 100_000_000n;

export class ConcentrationDetector implements Detector {
  readonly name = 'E11';
  private readonly latches: Latches<string>;
  private readonly nextEvalMs: number[];

  constructor(ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.e11.repeatAfterMs);
    this.nextEvalMs = ctx.state.markets.map(() => 0);
  }

  onBatchEnd(ctx: SurveillanceContext): void {
    for (const market of ctx.state.markets) {
      if (ctx.atMs < this.nextEvalMs[market.marketIndex]!) continue;
      this.nextEvalMs[market.marketIndex] = ctx.atMs + ctx.config.e11.evalEveryMs;
      this.evaluate(market, ctx);
    }
  }

  private evaluate(market: MarketState, ctx: SurveillanceContext): void {
    const { e11 } = ctx.config;
    const oi = market.openInterestLots;
    const oiNotional = BigInt(oi) * BigInt(market.markTicks) * market.instrument.quotePerTickLotE8;
    const eligible = oi > 0 && oiNotional >= BigInt(e11.minOpenInterestUsdt) * E8;
    // Σ long and Σ short lots per group (group id = smallest member id).
    const groups = new Map<number, { long: number; short: number }>();
    if (eligible) {
      for (const account of ctx.state.accounts()) {
        const position = account.positions[market.marketIndex];
        if (position === undefined || position.sizeLots === 0) continue;
        const root = ctx.links.root(account.accountId);
        let group = groups.get(root);
        if (group === undefined) {
          group = { long: 0, short: 0 };
          groups.set(root, group);
        }
        if (position.sizeLots > 0) group.long += position.sizeLots;
        else group.short -= position.sizeLots;
      }
    }
    const seen = new Set<string>();
    for (const [root, group] of groups) {
      for (const [side, lots] of [['LONG', group.long], ['SHORT', group.short]] as const) {
        const shareBps = Math.floor((lots * 10_000) / oi);
        const level = shareBps >= e11.highBps ? 2 : shareBps >= e11.warnBps ? 1 : 0;
        if (level === 0) continue;
        const key = `${market.marketIndex}:${root}:${side}`;
        seen.add(key);
        if (!this.latches.update(key, level, ctx.atMs)) continue;
        const members = ctx.links.members(root);
        ctx.emit({
          code: 'E11', severity: level === 2 ? 'high' : 'warn', symbol: market.symbol, accountIds: [...members],
          message: `${members.length > 1 ? `linked group of ${members.length} accounts` : `account ${root}`} holds ` +
            `${(shareBps / 100).toFixed(2)} % of ${market.symbol} open interest (${side.toLowerCase()})`,
          inputs: { side, groupLots: qty(market.instrument, lots), openInterest: qty(market.instrument, oi), share: ratio(shareBps / 10_000),
            openInterestNotional: money(oiNotional), members: [...members] },
          threshold: { warnBps: e11.warnBps, highBps: e11.highBps, minOpenInterestUsdt: e11.minOpenInterestUsdt },
        });
      }
    }
    for (const key of [...this.latches.active()]) if (key.startsWith(`${market.marketIndex}:`) && !seen.has(key)) this.latches.update(key, 0, ctx.atMs);
  }
}
