/**
 * @module sim/run/insurance-ledger
 * The insurance fund as its own InsuranceFundChanged events tell it: balance, lowest balance, and
 * totals by reason (deposits, liquidation fees in, deficits paid, funding residue). Every fund
 * figure in the summary and the report comes from here, not from the Liquidation events'
 * `insuranceDeltaE8` — the fund also pays deficits outside a liquidation step (a bankrupt trader's
 * own close, a negative wallet cleared after the fact), which a per-liquidation sum misses.
 * Within a command, fund changes are attributed to the account they name; the liquidation log
 * takes an account's pending share when its Liquidation event arrives (the engine writes the fee
 * and deficit events before it), and whatever is left at the end of the command is a payout
 * outside any liquidation.
 */
import type { InsuranceFundChangedEvent, InsuranceReason } from '../../core/index.js';

export class InsuranceLedger {
  balanceE8 = 0n;
  minE8: bigint | undefined;
  /** Balance after the first FUND event of the run (the starting fund). */
  startE8: bigint | undefined;
  readonly byReasonE8: Record<InsuranceReason, bigint> = { FUND: 0n, LIQUIDATION_FEE: 0n, DEFICIT: 0n, FUNDING_RESIDUE: 0n };
  /** Deficits the fund paid outside a liquidation step (negative), and how many times. */
  outsideLiquidationE8 = 0n;
  outsideLiquidationCount = 0;
  private readonly pending = new Map<number, bigint>();

  observe(event: InsuranceFundChangedEvent): void {
    this.balanceE8 = event.balanceE8;
    this.byReasonE8[event.reason] += event.deltaE8;
    if (this.minE8 === undefined || event.balanceE8 < this.minE8) this.minE8 = event.balanceE8;
    if (event.reason === 'FUND') {
      this.startE8 ??= event.balanceE8;
      return;
    }
    if (event.accountId !== 0) this.pending.set(event.accountId, (this.pending.get(event.accountId) ?? 0n) + event.deltaE8);
  }

  /** Starts the figures afresh (at the replay start, after a warm-up): start = the balance now. */
  restart(): void {
    this.startE8 = this.balanceE8;
    this.minE8 = this.balanceE8;
    for (const reason of Object.keys(this.byReasonE8) as InsuranceReason[]) this.byReasonE8[reason] = 0n;
    this.outsideLiquidationE8 = 0n;
    this.outsideLiquidationCount = 0;
  }

  /** The fund's change attributed to `accountId` since its last liquidation in this command. */
  takePending(accountId: number): bigint {
    const delta = this.pending.get(accountId) ?? 0n;
    this.pending.delete(accountId);
    return delta;
  }

  /** Ends a command: account-attributed changes no liquidation claimed were paid outside one. */
  endCommand(): void {
    if (this.pending.size === 0) return;
    for (const delta of this.pending.values()) {
      this.outsideLiquidationE8 += delta;
      this.outsideLiquidationCount++;
    }
    this.pending.clear();
  }

  /** Net change of the fund from trading (everything except deposits into it). */
  get netE8(): bigint {
    return this.byReasonE8.LIQUIDATION_FEE + this.byReasonE8.DEFICIT + this.byReasonE8.FUNDING_RESIDUE;
  }
}
