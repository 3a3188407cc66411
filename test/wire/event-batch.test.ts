/**
 * The forms of commands and events outside the engine round-trip exactly: every event of a seeded
 * workload (orders, trades, liquidations with ADL, funding, rejects) through the binary batch
 * encoding and through JSON, and every command through JSON; a batch from another version or with
 * bytes after its end is refused.
 */
import { describe, expect, it } from 'vitest';
import { createOrderBook, DEFAULT_INSTRUMENTS, Engine, type Command, type EngineEvent } from '../../src/core/index.js';
import {
  CodecError, commandFromJson, commandToJson, decodeEventBatch, encodeEventBatch, eventFromJson, eventToJson, type Json,
} from '../../src/wire/index.js';
import { Workload } from '../journal/support/workload.js';

function workloadEvents(count: number): { commands: Command[]; batches: { seq: number; atMs: number; events: EngineEvent[] }[] } {
  const engine = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
  const workload = new Workload({ seed: 3, accounts: 30, jumpChance: 0.8 });
  const commands: Command[] = [];
  const batches: { seq: number; atMs: number; events: EngineEvent[] }[] = [];
  let atMs = Date.UTC(2024, 0, 1);
  for (let seq = 1; seq <= count; seq++) {
    atMs += (seq % 7) * 3_000;
    const command = { ...workload.next().command, seq, atMs } as Command;
    commands.push(command);
    batches.push({ seq, atMs, events: engine.apply(command) });
  }
  return { commands, batches };
}

describe('event batches and JSON', () => {
  const { commands, batches } = workloadEvents(4_000);

  it('round-trip every event of a workload through the binary batch encoding', () => {
    const seen = new Set<string>();
    for (const batch of batches) {
      const bytes = encodeEventBatch({ fromSeq: batch.seq, toSeq: batch.seq, atMs: batch.atMs, events: batch.events });
      expect(decodeEventBatch(bytes)).toEqual({ fromSeq: batch.seq, toSeq: batch.seq, atMs: batch.atMs, events: batch.events });
      for (const event of batch.events) seen.add(event.type);
    }
    for (const type of ['OrderUpdate', 'Trade', 'Liquidation', 'FundingSettled', 'Rejected', 'BalanceChanged']) expect(seen).toContain(type);
  });

  it('round-trip events and commands through JSON, money as decimal strings', () => {
    for (const batch of batches) {
      for (const event of batch.events) {
        const json = eventToJson(event);
        expect(eventFromJson(JSON.parse(JSON.stringify(json)) as Json)).toEqual(event);
      }
    }
    for (const command of commands) expect(commandFromJson(JSON.parse(JSON.stringify(commandToJson(command))) as Json)).toEqual(command);
    const deposit = commands.find((command) => command.type === 'Deposit')!;
    expect(typeof (commandToJson(deposit) as Record<string, unknown>)['amountE8']).toBe('string');
  });

  it('refuses an unknown version and trailing bytes', () => {
    const bytes = encodeEventBatch({ fromSeq: 1, toSeq: 1, atMs: 5, events: batches[0]!.events });
    const future = bytes.slice();
    future[0] = 9;
    expect(() => decodeEventBatch(future)).toThrow(CodecError);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => decodeEventBatch(longer)).toThrow(CodecError);
  });
});
