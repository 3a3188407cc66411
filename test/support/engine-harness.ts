/**
 * Test harness for the engine: sequences commands (seq, atMs), converts human decimals to ticks,
 * lots and quote E8 through the same decimal code the adapters use, and collects events.
 */
import { expect } from 'vitest';
import { createOrderBook } from '../../src/core/book/index.js';
import type { BookFactory } from '../../src/core/engine/engine.js';
import { Engine } from '../../src/core/engine/engine.js';
import type { Command, PlaceOrderCommand, UnsequencedCommand } from '../../src/core/engine/commands.js';
import type { EngineEvent } from '../../src/core/engine/events.js';
import { DEFAULT_INSTRUMENTS } from '../../src/core/instrument/catalog.js';
import type { InstrumentSpec } from '../../src/core/instrument/instrument.js';
import { decimalToScaled, decimalToUnits, formatScaled } from '../../src/core/num/decimal.js';

export const T0 = Date.UTC(2021, 4, 19, 0, 0, 0);

export type OrderOptions = Partial<Omit<PlaceOrderCommand, 'type' | 'seq' | 'atMs' | 'accountId' | 'symbol' | 'side'
  | 'orderType' | 'qtyLots' | 'priceTicks' | 'stopPriceTicks' | 'activationPriceTicks'>> & {
  price?: string;
  stopPrice?: string;
  activationPrice?: string;
};

export class Harness {
  readonly engine: Engine;
  seq = 0;
  now: number;
  readonly log: EngineEvent[] = [];
  /** Every command run, as sequenced (a replay applies them to a fresh engine). */
  readonly commands: Command[] = [];

  constructor(specs: readonly InstrumentSpec[] = DEFAULT_INSTRUMENTS, startMs = T0, bookFactory: BookFactory = createOrderBook) {
    this.engine = new Engine({ instruments: specs, bookFactory });
    this.now = startMs;
  }

  /** Runs the command auditor (engine.auditCommand) on every command; a violation throws. */
  audit = true;

  run(command: UnsequencedCommand, atMs = this.now): EngineEvent[] {
    this.now = atMs;
    const sequenced = { ...command, seq: ++this.seq, atMs } as Command;
    this.commands.push(sequenced);
    const before = this.audit ? this.engine.auditSnapshot() : undefined;
    const events = this.engine.apply(sequenced);
    this.log.push(...events);
    if (before !== undefined) {
      const violations = this.engine.auditCommand(sequenced, events, before);
      if (violations.length > 0) throw new Error(`command auditor after seq ${this.seq}: ${violations.join('; ')}`);
    }
    return events;
  }

  advance(ms: number): EngineEvent[] {
    return this.run({ type: 'Tick' }, this.now + ms);
  }

  px(symbol: string, price: string): number {
    const instrument = this.engine.market(symbol).instrument;
    const ticks = decimalToUnits(price, instrument.tick);
    if (ticks === undefined) throw new Error(`${price} is not on ${symbol}'s tick`);
    return Number(ticks);
  }

  lots(symbol: string, qty: string): number {
    const instrument = this.engine.market(symbol).instrument;
    const lots = decimalToUnits(qty, instrument.lot);
    if (lots === undefined) throw new Error(`${qty} is not on ${symbol}'s step`);
    return Number(lots);
  }

  createAccount(depositUsdt: string, parentAccountId = 0): number {
    const events = this.run({ type: 'CreateAccount', parentAccountId });
    const created = events.find((event) => event.type === 'AccountCreated');
    if (created?.type !== 'AccountCreated') throw new Error('account not created');
    if (depositUsdt !== '0') this.run({ type: 'Deposit', accountId: created.accountId, amountE8: usd(depositUsdt) });
    return created.accountId;
  }

  index(symbol: string, price: string, atMs = this.now): EngineEvent[] {
    return this.run({ type: 'SetIndexPrice', symbol, priceTicks: this.px(symbol, price) }, atMs);
  }

  order(accountId: number, symbol: string, side: 'BUY' | 'SELL', orderType: PlaceOrderCommand['orderType'],
    qty: string, options: OrderOptions = {}): EngineEvent[] {
    const { price, stopPrice, activationPrice, ...rest } = options;
    return this.run({
      type: 'PlaceOrder', accountId, symbol, side, orderType,
      timeInForce: orderType === 'LIMIT' ? 'GTC' : 'GTC',
      qtyLots: qty === '0' ? 0 : this.lots(symbol, qty),
      priceTicks: price === undefined ? 0 : this.px(symbol, price),
      stopPriceTicks: stopPrice === undefined ? 0 : this.px(symbol, stopPrice),
      activationPriceTicks: activationPrice === undefined ? 0 : this.px(symbol, activationPrice),
      callbackRateBps: 0, reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false,
      stpMode: 'NONE', clientOrderId: '',
      ...rest,
    });
  }

  account(accountId: number) {
    return this.engine.ctx.account(accountId);
  }

  position(accountId: number, symbol: string) {
    return this.account(accountId).positions.get(this.engine.market(symbol).marketIndex);
  }
}

/** Quote decimal → E8 bigint. */
export function usd(amount: string): bigint {
  const value = decimalToScaled(amount, 8);
  if (value === undefined) throw new Error(`bad amount ${amount}`);
  return value;
}

/** E8 bigint → decimal string with `digits` fraction digits (truncated). */
export function fmt(amountE8: bigint, digits = 8): string {
  return formatScaled(amountE8, 8, digits);
}

export function rejects(events: readonly EngineEvent[]): { code: number; msg: string }[] {
  return events.flatMap((event) => event.type === 'Rejected' ? [{ code: event.code, msg: event.msg }] : []);
}

export function ofType<T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T):
  Extract<EngineEvent, { type: T }>[] {
  return events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);
}

/**
 * Runs a command that must be refused with `code`, and checks that nothing changed: no event but
 * the Rejected, and a twin engine (same configuration, same earlier commands) that got a Tick in
 * its place (same sequence and time) ends with the same state hash.
 */
export function expectRefused(h: Harness, command: UnsequencedCommand, code: number): void {
  const twin = new Engine(h.engine.config);
  for (const earlier of h.commands) twin.apply(earlier);
  const events = h.run(command);
  expect(rejects(events).map((r) => r.code)).toEqual([code]);
  expect(events.filter((e) => e.type !== 'Rejected')).toEqual([]);
  twin.apply({ type: 'Tick', seq: h.seq, atMs: h.now });
  expect(h.engine.stateHash()).toBe(twin.stateHash());
}
