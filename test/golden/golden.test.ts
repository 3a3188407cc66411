/**
 * Replays every golden stream (test/golden/*.json) and fails with a summary of what changed when
 * the events or the final state hash differ. An intended change is approved by running
 * `npm run golden:update` and committing the rewritten files with it.
 */
import { describe, expect, it } from 'vitest';
import { diffSummary, goldenFiles, readGolden, replay } from './golden.js';

describe('golden streams', () => {
  const files = goldenFiles();

  it('exist and together cover every command type', () => {
    const types = new Set(files.flatMap((file) => readGolden(file).commands.map((command) => command.type)));
    expect([...types].sort()).toEqual(['AdjustIsolatedMargin', 'AmendOrder', 'CancelAllOrders', 'CancelOrder', 'CreateAccount',
      'Deposit', 'FundInsurance', 'PlaceOrder', 'SetIndexPrice', 'SetLeverage', 'SetMarginType', 'Tick', 'Transfer', 'Withdraw']);
  });

  for (const file of files) {
    const golden = readGolden(file);
    it(`${golden.name} replays to its recorded events and state`, () => {
      const summary = diffSummary(golden, replay(golden.profile, golden.commands));
      if (summary !== undefined) throw new Error(summary);
    });
  }

  it('a changed command is reported at its index with its new events', () => {
    const golden = readGolden(files[0]!);
    const index = golden.commands.findIndex((command) => command.type === 'Deposit');
    const commands = golden.commands.map((command, i) =>
      (i === index && command.type === 'Deposit' ? { ...command, amountE8: command.amountE8 + 1n } : command));
    const summary = diffSummary(golden, replay(golden.profile, commands));
    expect(summary).toContain(`first changed: command #${index} (seq ${index + 1}, Deposit)`);
    expect(summary).toContain('npm run golden:update');
  });
});
