/**
 * Engine auditor findings that a known divergence (reference/divergences.ts) explains. Each entry
 * names its rule and matches as narrowly as it can; delete it with the rule's switch.
 */
import type { EngineEvent } from '../../src/core/engine/events.js';
import { KNOWN_DIVERGENCES } from './reference/divergences.js';

const NEGATIVE_BALANCE = /^account (\d+): negative (cross margin balance|free balance)/;

export class Tolerances {
  /**
   * R3 (old sweep budget, valued against the mark): a liquidation order may take levels beyond
   * the bankruptcy price that neither the account nor the fund can pay for; the account is then
   * left with a negative cross balance (the new rule sends those lots to ADL instead). Accounts
   * whose liquidation order's limit lay beyond their bankruptcy price are remembered: their
   * negative balance is this divergence until the backstop clears it.
   */
  private readonly r3Accounts = new Set<number>();
  /**
   * R2 (close capped at the plain bankruptcy price): the trading fee of such a close is charged on
   * top and can take the cross wallet below zero. Accounts whose cross wallet a trading fee took
   * negative are remembered.
   */
  private readonly r2Accounts = new Set<number>();

  filter(violations: readonly string[], events: readonly EngineEvent[]): string[] {
    if (KNOWN_DIVERGENCES.R3_SWEEP_VS_BANKRUPTCY) {
      for (const event of events) {
        if (event.type !== 'Liquidation' || event.orderId === 0) continue;
        const order = events.find((e) => e.type === 'OrderUpdate' && e.order.orderId === event.orderId);
        const limit = order?.type === 'OrderUpdate' ? order.order.priceTicks : 0;
        const beyond = event.side === 'SELL' ? limit < event.bankruptcyPriceTicks : limit > event.bankruptcyPriceTicks;
        if (beyond) this.r3Accounts.add(event.accountId);
      }
    }
    if (KNOWN_DIVERGENCES.R2_FEE_AWARE_CLOSE_CAP) {
      for (const event of events) {
        if (event.type === 'BalanceChanged' && event.reason === 'TRADE_FEE' && event.balanceE8 < 0n) {
          this.r2Accounts.add(event.accountId);
        }
      }
    }
    return violations.filter((violation) => {
      const match = NEGATIVE_BALANCE.exec(violation);
      const accountId = Number(match?.[1]);
      return match === null || !(this.r3Accounts.has(accountId) || this.r2Accounts.has(accountId));
    });
  }
}
