/**
 * @module sim/run/account-tracker
 * Every account's wallets and position, kept from the event stream (BalanceChanged,
 * PositionChanged) instead of asking the engine: equity samples of a thousand agents every minute
 * cost an engine query each otherwise, as much as a fifth of a run. Equity = cross wallet +
 * isolated wallet + size × mark × quote-per-tick-lot − entry cost, which is the engine's margin
 * balance exactly (its unrealized PnL is the same product); it is turned into a float USDT figure
 * only for charts. A test holds it equal to engine.accountView's marginBalanceE8.
 */
import type { BalanceChangedEvent, LeverageChangedEvent, PositionChangedEvent } from '../../core/index.js';

const E8 = 1e8;

export class AccountTracker {
  private crossE8: bigint[] = [];
  private isolatedE8: bigint[] = [];
  private costE8: bigint[] = [];
  /** Float copies for charts (equityUsdt), so a thousand equity samples a minute cost no bigint arithmetic. */
  private walletUsdt: number[] = [];
  private isolatedUsdt: number[] = [];
  private costUsdt: number[] = [];
  private readonly usdtPerTickLot: number;
  /** Signed position size in lots (one symbol per simulated market). */
  sizeLots: number[] = [];
  /** Leverage setting of the position (from PositionChanged / LeverageChanged). */
  leverage: number[] = [];
  /** Sum of long sizes (= short sizes): the open interest. */
  openInterestLots = 0;

  constructor(private readonly quotePerTickLotE8: bigint) {
    this.usdtPerTickLot = Number(quotePerTickLotE8) / E8;
  }

  /** Reads the events that move balances, positions and leverage; other events are ignored. */
  observe(event: BalanceChangedEvent | PositionChangedEvent | LeverageChangedEvent): void {
    switch (event.type) {
      case 'BalanceChanged':
        if (event.isolatedSymbol === '') {
          this.crossE8[event.accountId] = event.balanceE8;
          this.walletUsdt[event.accountId] = Number(event.balanceE8) / E8;
        } else {
          this.isolatedE8[event.accountId] = event.balanceE8;
          this.isolatedUsdt[event.accountId] = Number(event.balanceE8) / E8;
        }
        return;
      case 'PositionChanged': {
        const id = event.accountId;
        const before = this.sizeLots[id] ?? 0;
        this.openInterestLots += Math.max(event.sizeLots, 0) - Math.max(before, 0);
        this.sizeLots[id] = event.sizeLots;
        this.costE8[id] = event.costE8;
        this.costUsdt[id] = Number(event.costE8) / E8;
        this.isolatedE8[id] = event.isolatedWalletE8;
        this.isolatedUsdt[id] = Number(event.isolatedWalletE8) / E8;
        this.leverage[id] = event.leverage;
        return;
      }
      case 'LeverageChanged':
        this.leverage[event.accountId] = event.leverage;
        return;
    }
  }

  /** Margin balance in 1e-8 USDT at `markTicks`, exactly as the engine computes it. */
  equityE8(accountId: number, markTicks: number): bigint {
    const size = this.sizeLots[accountId] ?? 0;
    const upnl = size === 0 ? 0n : BigInt(size) * BigInt(markTicks) * this.quotePerTickLotE8 - (this.costE8[accountId] ?? 0n);
    return (this.crossE8[accountId] ?? 0n) + (this.isolatedE8[accountId] ?? 0n) + upnl;
  }

  /** Margin balance in USDT as a float, for charts: the exact figure rounded (a cent's error at most), without bigint work. */
  equityUsdt(accountId: number, markTicks: number): number {
    const size = this.sizeLots[accountId] ?? 0;
    const wallets = (this.walletUsdt[accountId] ?? 0) + (this.isolatedUsdt[accountId] ?? 0);
    return size === 0 ? wallets : wallets + (size * markTicks * this.usdtPerTickLot) - (this.costUsdt[accountId] ?? 0);
  }

  /** Entry price in ticks (float) of an open position, 0 when flat. */
  entryTicks(accountId: number): number {
    const size = this.sizeLots[accountId] ?? 0;
    return size === 0 ? 0 : Number(this.costE8[accountId] ?? 0n) / (size * Number(this.quotePerTickLotE8));
  }
}
