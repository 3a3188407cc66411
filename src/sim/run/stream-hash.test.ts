/**
 * The stream hash covers every field of every event: a one-unit change anywhere (a number, a
 * money amount, a text field, a command's time) changes it, and the same stream gives the same hash.
 */
import { describe, expect, it } from 'vitest';
import { BTCUSDT, createOrderBook, Engine, EventChunk, type Command } from '../../core/index.js';
import { EventStreamHash } from './stream-hash.js';

function run(commands: readonly Command[]): string {
  const engine = new Engine({ instruments: [BTCUSDT], bookFactory: createOrderBook });
  const hash = new EventStreamHash();
  for (const command of commands) {
    hash.command(command.seq, command.atMs);
    engine.applyStreaming(command, (chunk: EventChunk) => hash.chunk(chunk));
  }
  return hash.digest();
}

function stream(depositE8: bigint, clientOrderId: string, priceTicks: number, atMs = 1_000): Command[] {
  return [
    { type: 'SetIndexPrice', seq: 1, atMs, symbol: 'BTCUSDT', priceTicks: 600_000 },
    { type: 'CreateAccount', seq: 2, atMs, parentAccountId: 0 },
    { type: 'Deposit', seq: 3, atMs, accountId: 1, amountE8: depositE8 },
    {
      type: 'PlaceOrder', seq: 4, atMs, accountId: 1, symbol: 'BTCUSDT', side: 'BUY', orderType: 'LIMIT', timeInForce: 'GTC',
      qtyLots: 10, priceTicks, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false,
      closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'EXPIRE_TAKER', clientOrderId,
    },
  ] as Command[];
}

describe('event stream hash', () => {
  it('is the same for the same stream and changes with any field', () => {
    const base = run(stream(100_000_000_000n, 'a1', 599_000));
    expect(run(stream(100_000_000_000n, 'a1', 599_000))).toBe(base);
    expect(run(stream(100_000_000_001n, 'a1', 599_000))).not.toBe(base);
    expect(run(stream(100_000_000_000n, 'a2', 599_000))).not.toBe(base);
    expect(run(stream(100_000_000_000n, 'a1', 599_001))).not.toBe(base);
    expect(run(stream(100_000_000_000n, 'a1', 599_000, 1_001))).not.toBe(base);
  });

  it('hashes text longer than its staging buffer and amounts beyond 64 bits', () => {
    const digest = (text: string, huge: bigint): string => {
      // The hash reads the chunk's arrays only, never decodes events, so no codec is needed.
      const unused = { read: (): never => { throw new Error('not decoded'); }, end: (): never => { throw new Error('not decoded'); } };
      const chunk = new EventChunk([], unused, 4, 4);
      chunk.strs.push(text);
      chunk.strLength = 1;
      chunk.hugeBigs.push(huge);
      chunk.hugeLength = 1;
      const hash = new EventStreamHash();
      hash.command(1, 2);
      hash.chunk(chunk);
      return hash.digest();
    };
    const long = 'x'.repeat(100_000);
    const base = digest(long, 2n ** 70n);
    expect(digest(long, 2n ** 70n)).toBe(base);
    expect(digest(`${long}y`, 2n ** 70n)).not.toBe(base);
    expect(digest(long, 2n ** 70n + 1n)).not.toBe(base);
  });
});
