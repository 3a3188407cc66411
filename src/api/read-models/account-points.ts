/**
 * @module api/read-models/account-points
 * Collects, per committed entry, each account's margin-state changes (positions, isolated wallets,
 * cross wallet) into account_points rows, and Liquidation events into liquidation rows: the
 * history the "why was I liquidated" page rebuilds equity and margin ratio from
 * (api/extra/why.ts). One row per account and symbol touched per entry, so a fill costs one row
 * per side, as user trades do.
 */
import type { EngineEvent, LiquidationEvent } from '../../core/index.js';
import type { RowBuffer } from './row-buffer.js';
import type { AccountPointRow } from './store.js';

interface Pending {
  crossWalletE8: string;
  /** symbol → the row fields changed in this entry. */
  readonly symbols: Map<string, { hasPosition: boolean; sizeLots: number; costE8: string; isolatedWalletE8: string;
    leverage: number; marginType: string }>;
}

/** The Liquidation event as JSON text (bigints as decimal strings). */
export function liquidationJson(event: LiquidationEvent): string {
  return JSON.stringify(event, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

export class AccountPointCollector {
  private readonly pending = new Map<number, Pending>();

  private of(accountId: number): Pending {
    let entry = this.pending.get(accountId);
    if (entry === undefined) {
      entry = { crossWalletE8: '', symbols: new Map() };
      this.pending.set(accountId, entry);
    }
    return entry;
  }

  private symbolOf(pending: Pending, symbol: string): Pending['symbols'] extends Map<string, infer V> ? V : never {
    let row = pending.symbols.get(symbol);
    if (row === undefined) {
      row = { hasPosition: false, sizeLots: 0, costE8: '', isolatedWalletE8: '', leverage: 0, marginType: '' };
      pending.symbols.set(symbol, row);
    }
    return row;
  }

  onEvent(event: EngineEvent): void {
    if (event.type === 'PositionChanged') {
      const row = this.symbolOf(this.of(event.accountId), event.symbol);
      row.hasPosition = true;
      row.sizeLots = event.sizeLots;
      row.costE8 = event.costE8.toString();
      row.isolatedWalletE8 = event.isolatedWalletE8.toString();
      row.leverage = event.leverage;
      row.marginType = event.marginType;
    } else if (event.type === 'BalanceChanged') {
      const pending = this.of(event.accountId);
      if (event.isolatedSymbol === '') pending.crossWalletE8 = event.balanceE8.toString();
      else this.symbolOf(pending, event.isolatedSymbol).isolatedWalletE8 = event.balanceE8.toString();
    }
  }

  /** Writes the entry's rows and forgets them. */
  flush(store: RowBuffer, seq: number, timeMs: number): void {
    for (const [accountId, pending] of this.pending) {
      if (pending.symbols.size === 0) {
        store.addAccountPoint(point(accountId, seq, '', timeMs, pending.crossWalletE8));
        continue;
      }
      // The cross wallet goes on the first symbol's row (rows are read in seq, symbol order).
      let crossWallet = pending.crossWalletE8;
      for (const [symbol, row] of [...pending.symbols].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        store.addAccountPoint({ accountId, seq, symbol, timeMs, ...row, crossWalletE8: crossWallet });
        crossWallet = '';
      }
    }
    this.pending.clear();
  }
}

function point(accountId: number, seq: number, symbol: string, timeMs: number, crossWalletE8: string): AccountPointRow {
  return { accountId, seq, symbol, timeMs, hasPosition: false, sizeLots: 0, costE8: '', isolatedWalletE8: '', leverage: 0,
    marginType: '', crossWalletE8 };
}
