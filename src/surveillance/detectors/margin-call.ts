/**
 * @module surveillance/detectors/margin-call
 * E1 MARGIN_CALL: an account's cross margin ratio (cross maintenance ÷ cross margin balance), or an
 * isolated position's (its maintenance ÷ isolated wallet + UPnL), crosses up through 80 % (warn) or
 * 90 % (high); 100 % is liquidation. The alert carries the Binance-shaped MARGIN_CALL payload the
 * user data stream sends (`e, E, cw, p[s, ps, pa, mt, iw, mp, up, mm]`), with the same rule as the
 * API hub's (src/api/ws/user-events.ts marginCall: ratio ≥ 80 %, or a margin balance ≤ 0), so the
 * alert and the user's own message agree (test/surveillance/margin-call.test.ts checks it).
 *
 * Which accounts to look at: those whose levels were recomputed this batch, those whose E1 warning
 * level (risk book) lies in the range the mark swept, and those already above 80 %. Everything else
 * is provably below 80 % at the current marks, without being looked at.
 */
import { money, price, qty } from '../../api/format.js';
import type { AccountState, MarketState, PositionState } from '../../read/account-state.js';
import { ratio, type JsonValue } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import { Latches } from '../latch.js';
import type { RiskEntry } from '../risk/risk-book.js';

const SIDES = [1, -1] as const;

/** A cross account (marketIndex −1) or one isolated position. */
interface Key {
  readonly account: AccountState;
  readonly marketIndex: number;
}

export class MarginCallDetector implements Detector {
  readonly name = 'E1';
  private readonly latches: Latches<string>;
  private readonly keys = new Map<string, Key>();

  constructor(ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.e1.repeatAfterMs);
  }

  onBatchEnd(ctx: SurveillanceContext, changed: readonly RiskEntry[]): void {
    const active = this.latches.active();
    if (changed.length === 0 && ctx.risk.moves.size === 0) return;
    const candidates = new Map<string, Key>();
    for (const entry of changed) this.addCandidate(candidates, entry);
    for (const move of ctx.risk.moves.values()) {
      for (const side of SIDES) {
        ctx.risk.forWarnRange(move.market, side, move.lowTicks, move.highTicks, (entry) => this.addCandidate(candidates, entry));
      }
    }
    for (const name of active) {
      const key = this.keys.get(name);
      if (key !== undefined && this.touchesMove(key, ctx)) candidates.set(name, key);
    }
    if (candidates.size === 0) return;
    const ordered = [...candidates.values()].sort((a, b) => a.account.accountId - b.account.accountId || a.marketIndex - b.marketIndex);
    for (const key of ordered) this.evaluate(key, ctx);
  }

  private addCandidate(candidates: Map<string, Key>, entry: RiskEntry): void {
    const position = entry.position;
    const key: Key = { account: entry.account, marketIndex: position.isolated ? position.market : -1 };
    const name = keyOf(key);
    // A closed position of an account that was not at risk changes nothing (a cascade closes 480,000).
    if (position.sizeLots === 0 && (key.marketIndex >= 0 || entry.account.crossOpen === 0) && this.latches.level(name) === 0) return;
    candidates.set(name, key);
  }

  private touchesMove(key: Key, ctx: SurveillanceContext): boolean {
    if (key.marketIndex >= 0) return ctx.risk.moves.has(ctx.state.markets[key.marketIndex]!);
    for (const position of key.account.openPositions()) if (!position.isolated && ctx.risk.moves.has(position.marketState)) return true;
    return false;
  }

  private evaluate(key: Key, ctx: SurveillanceContext): void {
    const { e1 } = ctx.config;
    const name = keyOf(key);
    const figures = this.figures(key, ctx);
    let level = 0;
    if (figures !== undefined) {
      const { balanceE8, maintenanceE8 } = figures;
      if (balanceE8 <= 0n || maintenanceE8 * 100n >= balanceE8 * BigInt(e1.highPercent)) level = 2;
      else if (maintenanceE8 * 100n >= balanceE8 * BigInt(e1.warnPercent)) level = 1;
    }
    if (level > 0) this.keys.set(name, key);
    if (!this.latches.update(name, level, ctx.atMs)) {
      if (level === 0) this.keys.delete(name);
      return;
    }
    const { balanceE8, maintenanceE8, positions } = figures!;
    const account = key.account;
    const marginRatio = balanceE8 <= 0n ? null : ratio(Number((maintenanceE8 * 100_000_000n) / balanceE8) / 1e8);
    const binancePositions: JsonValue[] = positions.map((position) => this.binancePosition(position, ctx));
    ctx.emit({
      code: 'E1', severity: level === 2 ? 'high' : 'warn',
      symbol: key.marketIndex >= 0 ? ctx.state.markets[key.marketIndex]!.symbol : (positions.length === 1 ? positions[0]!.symbol : null),
      accountIds: [account.accountId],
      message: `account ${account.accountId} ${key.marketIndex >= 0 ? `isolated ${ctx.state.markets[key.marketIndex]!.symbol}` : 'cross'} ` +
        `margin ratio ${marginRatio === null ? '∞ (margin balance ≤ 0)' : `${(marginRatio * 100).toFixed(2)} %`}`,
      inputs: {
        marginType: key.marketIndex >= 0 ? 'ISOLATED' : 'CROSSED', marginBalance: money(balanceE8), maintenanceMargin: money(maintenanceE8),
        marginRatio, crossWallet: money(account.crossWalletE8), positions: binancePositions,
      },
      threshold: { warnPercent: e1.warnPercent, highPercent: e1.highPercent },
      binance: { e: 'MARGIN_CALL', E: ctx.atMs, cw: money(account.crossWalletE8), p: binancePositions },
    });
  }

  private figures(key: Key, ctx: SurveillanceContext):
    { balanceE8: bigint; maintenanceE8: bigint; positions: PositionState[] } | undefined {
    if (key.marketIndex >= 0) {
      const position = key.account.positions[key.marketIndex];
      if (position === undefined || position.sizeLots === 0 || !position.isolated) return undefined;
      const figures = ctx.state.positionFigures(position);
      return { balanceE8: position.isolatedWalletE8 + figures.unrealizedPnlE8, maintenanceE8: figures.maintenanceMarginE8, positions: [position] };
    }
    const cross = ctx.state.crossFigures(key.account);
    if (cross.positions === 0) return undefined;
    const positions = [...key.account.openPositions()].filter((position) => !position.isolated);
    return { balanceE8: cross.marginBalanceE8, maintenanceE8: cross.maintenanceE8, positions };
  }

  private binancePosition(position: PositionState, ctx: SurveillanceContext): JsonValue {
    const market: MarketState = position.marketState;
    const instrument = market.instrument;
    const figures = ctx.state.positionFigures(position);
    return {
      s: market.symbol, ps: 'BOTH', pa: qty(instrument, position.sizeLots), mt: position.marginType,
      iw: money(position.isolatedWalletE8), mp: price(instrument, market.markTicks), up: money(figures.unrealizedPnlE8),
      mm: money(figures.maintenanceMarginE8),
    };
  }
}

function keyOf(key: Key): string {
  return `${key.account.accountId}:${key.marketIndex}`;
}
