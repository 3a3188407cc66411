/**
 * Property-based tests of the whole engine (fast-check): random but realistic command streams
 * (every order type, cancels, amends, price moves, leverage and margin-type changes, transfers,
 * time passing so mark samples, funding and liquidations run).
 * Properties: every invariant of the auditor holds after every command (conservation of
 * collateral, open interest balance, no account below maintenance outside liquidation, book never
 * crossed, order-margin sums, indexes); replaying the same stream gives the same stateHash and the
 * same events; a snapshot restored into a fresh engine has the same stateHash and, fed the rest of
 * the stream, produces the same events as the original.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../../src/core/book/index.js';
import { Engine } from '../../src/core/engine/engine.js';
import type { Command } from '../../src/core/engine/commands.js';
import { DEFAULT_INSTRUMENTS } from '../../src/core/instrument/catalog.js';
import { Harness } from '../support/engine-harness.js';
import { commandFor, setupAccounts, type Step } from '../support/random-stream.js';

const stepArbitrary = fc.tuple(fc.nat(1000), fc.nat(1000), fc.nat(1000), fc.nat(100_000), fc.nat(100_000), fc.nat(3000));

function run(steps: readonly (readonly [number, number, number, number, number, number])[], deposits: number[], check: boolean):
  { h: Harness; commands: Command[]; eventsJson: string[] } {
  const h = new Harness();
  const commands: Command[] = [];
  const eventsJson: string[] = [];
  const record = h.run.bind(h);
  h.run = (command, atMs = h.now) => {
    const events = record(command, atMs);
    commands.push({ ...command, seq: h.seq, atMs });
    eventsJson.push(JSON.stringify(events, (_, v: unknown) => typeof v === 'bigint' ? `${v}n` : v));
    return events;
  };
  const accounts = setupAccounts(h, 6, deposits);
  for (const [kind, a, b, c, d, dt] of steps) {
    // Now and then hours pass at once, so funding settles and marks catch up over many samples.
    h.run(commandFor(h, accounts, [kind, a, b, c, d] as Step), h.now + (dt > 2990 ? 3 * 3_600_000 : dt));
    if (check) {
      const violations = h.engine.checkInvariants();
      if (violations.length > 0) throw new Error(`after seq ${h.seq}: ${violations.join('; ')}`);
    }
  }
  return { h, commands, eventsJson };
}

describe('engine properties', () => {
  it('every invariant holds after every command of random streams', () => {
    fc.assert(fc.property(fc.array(stepArbitrary, { minLength: 50, maxLength: 400 }), fc.array(fc.nat(200_000), { minLength: 1, maxLength: 6 }),
      (steps, deposits) => {
        const { h } = run(steps, deposits, true);
        expect(h.engine.checkInvariants(true)).toEqual([]);
      }), { numRuns: 40, seed: 20_210_519 });
  });

  it('the same stream gives the same events and stateHash; snapshot + tail replay gives the same too', () => {
    fc.assert(fc.property(fc.array(stepArbitrary, { minLength: 50, maxLength: 300 }), fc.nat(299), (steps, cutRaw) => {
      const first = run(steps, [5000], false);
      const second = run(steps, [5000], false);
      expect(second.eventsJson).toEqual(first.eventsJson);
      expect(second.h.engine.stateHash()).toBe(first.h.engine.stateHash());
      // Replay the command log itself into a fresh engine, with a snapshot/restore at a cut point.
      const cut = cutRaw % first.commands.length;
      const prefix = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
      for (const command of first.commands.slice(0, cut)) prefix.apply(command);
      const restored = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
      restored.restore(prefix.serialize());
      expect(restored.stateHash()).toBe(prefix.stateHash());
      expect(restored.checkInvariants(true)).toEqual([]);
      const tailEvents = first.commands.slice(cut).map((command) =>
        JSON.stringify(restored.apply(command), (_, v: unknown) => typeof v === 'bigint' ? `${v}n` : v));
      expect(tailEvents).toEqual(first.eventsJson.slice(cut));
      expect(restored.stateHash()).toBe(first.h.engine.stateHash());
    }), { numRuns: 25, seed: 42 });
  });
});
