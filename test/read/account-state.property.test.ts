/**
 * The event-built projection (src/read/account-state.ts) equals the engine's own views after every
 * command of random streams (every order type, cancels, amends, price moves, leverage and margin
 * type changes, transfers, funding, liquidations, ADL): cross wallets, every open position (size,
 * cost, margin type, leverage, isolated wallet, realized PnL, UPnL, maintenance margin, exact
 * liquidation price), the cross margin balance and maintenance, live orders (the whole order view),
 * resting depth per level, marks, open interest and the insurance fund.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/core/engine/events.js';
import { compileInstrument } from '../../src/core/instrument/instrument.js';
import { DEFAULT_INSTRUMENTS } from '../../src/core/instrument/catalog.js';
import { AccountStateProjection } from '../../src/read/account-state.js';
import { Harness } from '../support/engine-harness.js';
import { commandFor, setupAccounts, type Step } from '../support/random-stream.js';

const stepArbitrary = fc.tuple(fc.nat(1000), fc.nat(1000), fc.nat(1000), fc.nat(100_000), fc.nat(100_000), fc.nat(3000));
const SYMBOLS = DEFAULT_INSTRUMENTS.map((spec) => spec.symbol);

/** Every difference between the projection and the engine, as readable lines. */
export function differences(h: Harness, projection: AccountStateProjection): string[] {
  const out: string[] = [];
  const same = (what: string, mine: unknown, theirs: unknown): void => {
    const a = JSON.stringify(mine, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    const b = JSON.stringify(theirs, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    if (a !== b) out.push(`${what}: projection ${a} engine ${b}`);
  };
  const ledger = h.engine.ledger();
  same('accounts', projection.accountCount, ledger.accounts);
  same('insurance fund', projection.insuranceFundE8, ledger.insuranceFundE8);
  for (const symbol of SYMBOLS) {
    const view = h.engine.marketView(symbol);
    const market = projection.market(symbol);
    same(`${symbol} mark`, market.markTicks, view.markTicks);
    same(`${symbol} index`, market.indexTicks, view.indexTicks);
    same(`${symbol} open interest`, market.openInterestLots, view.openInterestLots);
    same(`${symbol} depth`, projection.depth(symbol, 10_000), h.engine.depth(symbol, 10_000));
  }
  for (let accountId = 1; accountId <= ledger.accounts; accountId++) {
    const view = h.engine.accountView(accountId)!;
    const account = projection.account(accountId);
    if (account === undefined) {
      out.push(`account ${accountId} missing`);
      continue;
    }
    same(`account ${accountId} cross wallet`, account.crossWalletE8, view.crossWalletE8);
    const cross = projection.crossFigures(account);
    same(`account ${accountId} cross margin balance`, cross.marginBalanceE8, view.crossMarginBalanceE8);
    same(`account ${accountId} cross maintenance`, cross.maintenanceE8, view.crossMaintenanceMarginE8);
    const open = view.positions.filter((position) => position.sizeLots !== 0);
    same(`account ${accountId} open positions`, [...account.openPositions()].map((p) => p.symbol).sort(), open.map((p) => p.symbol).sort());
    for (const theirs of open) {
      const mine = projection.position(accountId, theirs.symbol)!;
      const figures = projection.positionFigures(mine);
      same(`position ${accountId} ${theirs.symbol}`, {
        size: mine.sizeLots, cost: mine.costE8, marginType: mine.marginType, leverage: mine.leverage,
        isolatedWallet: mine.isolatedWalletE8, realized: mine.realizedPnlE8, upnl: figures.unrealizedPnlE8,
        mm: figures.maintenanceMarginE8, liquidation: figures.liquidationPrice,
      }, {
        size: theirs.sizeLots, cost: theirs.costE8, marginType: theirs.marginType, leverage: theirs.leverage,
        isolatedWallet: theirs.isolatedWalletE8, realized: theirs.realizedPnlE8, upnl: theirs.unrealizedPnlE8,
        mm: theirs.maintenanceMarginE8, liquidation: theirs.liquidationPrice,
      });
    }
    const byId = (a: { orderId: number }, b: { orderId: number }): number => a.orderId - b.orderId;
    same(`account ${accountId} open orders`, projection.openOrders(accountId).sort(byId), h.engine.openOrders(accountId).sort(byId));
  }
  return out;
}

function run(steps: readonly (readonly number[])[], deposits: number[]): { checked: number; liquidations: number; adl: number } {
  const h = new Harness();
  const projection = new AccountStateProjection(DEFAULT_INSTRUMENTS.map(compileInstrument));
  let checked = 0;
  let liquidations = 0;
  let adl = 0;
  const record = h.run.bind(h);
  h.run = (command, atMs = h.now) => {
    const events: EngineEvent[] = record(command, atMs);
    projection.apply({ atMs, events });
    for (const event of events) {
      if (event.type === 'Liquidation') {
        liquidations++;
        if (event.adl.length > 0) adl++;
      }
    }
    const diff = differences(h, projection);
    if (diff.length > 0) throw new Error(`after seq ${h.seq} (${command.type}):\n${diff.slice(0, 8).join('\n')}`);
    checked++;
    return events;
  };
  const accounts = setupAccounts(h, 6, deposits);
  for (const [kind, a, b, c, d, dt] of steps) {
    h.run(commandFor(h, accounts, [kind, a, b, c, d] as Step), h.now + (dt! > 2990 ? 3 * 3_600_000 : dt!));
  }
  return { checked, liquidations, adl };
}

describe('account-state projection', () => {
  it('equals the engine views after every command of random streams', () => {
    let liquidations = 0;
    fc.assert(fc.property(fc.array(stepArbitrary, { minLength: 50, maxLength: 300 }), fc.array(fc.nat(200_000), { minLength: 1, maxLength: 6 }),
      (steps, deposits) => {
        const result = run(steps, deposits);
        liquidations += result.liquidations;
        expect(result.checked).toBeGreaterThan(steps.length);
      }), { numRuns: 30, seed: 20_210_519 });
    // The streams must reach the interesting paths, or the property proves little.
    expect(liquidations).toBeGreaterThan(0);
  });
});
