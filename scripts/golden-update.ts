/**
 * @module scripts/golden-update
 * Rewrites the golden streams' hashes (test/golden/*.json) from a replay of their commands and
 * prints which changed; a behaviour change then shows up in the commit that approves it.
 * With --record, first (re)records the streams from the differential generator (each recipe's
 * first seed, from its start seed, whose stream covers what the recipe needs; every command is
 * also checked against the reference engine while recording).
 *
 * A stream is recorded on a profile of test/oracle/profiles.ts: a change to that profile's
 * instruments needs the stream re-recorded (`-- --record <name>`), since its prices and
 * quantities were chosen for the old ones.
 *
 * Usage: npm run golden:update [-- --record [name]]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { diffSummary, GOLDEN_DIR, goldenFiles, goldenText, readGolden, replay } from '../test/golden/golden.js';
import { runActions } from '../test/oracle/differential.js';
import { actionArbitrary, setupArbitrary } from '../test/oracle/generator.js';

interface Recipe {
  readonly name: string;
  readonly description: string;
  readonly profile: string;
  readonly startSeed: number;
  readonly actions: number;
  /** Coverage keys (Differential.coverage) the stream must reach. */
  readonly needs: readonly string[];
}

const COMMAND_TYPES = ['CreateAccount', 'Deposit', 'Withdraw', 'Transfer', 'FundInsurance', 'SetLeverage', 'SetMarginType',
  'AdjustIsolatedMargin', 'PlaceOrder', 'CancelOrder', 'CancelAllOrders', 'AmendOrder', 'SetIndexPrice', 'Tick'];

const RECIPES: readonly Recipe[] = [
  {
    name: 'every-command', description: 'Every command type, every order type triggered, funding paid (Binance-like instruments).',
    profile: 'binance', startSeed: 1, actions: 260,
    needs: [...COMMAND_TYPES.map((type) => `Command:${type}`), 'Order:TRIGGERED:NONE:STOP_MARKET', 'Order:TRIGGERED:NONE:TRAILING_STOP_MARKET',
      'Order:AMENDMENT:NONE:LIMIT', 'Funding:paid', 'Order:EXPIRED:STP:LIMIT'],
  },
  {
    name: 'liquidations', description: 'Cross and isolated liquidations, the insurance fund paying deficits, ADL.',
    profile: 'binance', startSeed: 100, actions: 260,
    needs: ['Liquidation:CROSSED', 'Liquidation:ISOLATED', 'Liquidation:ADL', 'Insurance:DEFICIT', 'Insurance:LIQUIDATION_FEE'],
  },
  {
    name: 'odd-instruments', description: 'Tiny ticks, large lots, two or three brackets, 1 h and 4 h funding; liquidation and ADL.',
    profile: 'odd', startSeed: 200, actions: 260,
    needs: ['Liquidation:CROSSED', 'Liquidation:ADL', 'Funding:paid', 'Trade:LIQUIDATION'],
  },
  {
    name: 'quiet-gaps', description: 'Quiet gaps longer than the catch-up window across funding instants, with open positions.',
    profile: 'binance', startSeed: 300, actions: 200,
    needs: ['Gap:quiet', 'Funding:paid', 'Command:Tick'],
  },
];

function record(recipe: Recipe): void {
  for (let seed = recipe.startSeed; seed < recipe.startSeed + 500; seed++) {
    const [setup] = fc.sample(setupArbitrary, { seed, numRuns: 1 });
    const actions = fc.sample(actionArbitrary, { seed, numRuns: recipe.actions });
    const run = runActions(recipe.profile, setup!, actions);
    if (!recipe.needs.every((key) => (run.coverage.get(key) ?? 0) > 0)) continue;
    const replayed = replay(recipe.profile, run.commands);
    writeFileSync(join(GOLDEN_DIR, `${recipe.name}.json`), goldenText({
      name: recipe.name, description: `${recipe.description} Recorded from seed ${seed}.`, profile: recipe.profile,
      commands: run.commands, eventCount: replayed.eventCount, eventsSha256: replayed.eventsSha256,
      commandDigests: replayed.commandDigests, stateHash: replayed.stateHash,
    }));
    console.log(`recorded ${recipe.name}: seed ${seed}, ${run.commands.length} commands, ${replayed.eventCount} events`);
    return;
  }
  throw new Error(`${recipe.name}: no seed within 500 of ${recipe.startSeed} covers ${recipe.needs.join(', ')}`);
}

function update(): void {
  let changed = 0;
  for (const file of goldenFiles()) {
    const golden = readGolden(file);
    const now = replay(golden.profile, golden.commands);
    const summary = diffSummary(golden, now);
    if (summary === undefined) {
      console.log(`unchanged ${golden.name}`);
      continue;
    }
    changed++;
    console.log(`CHANGED ${summary}`);
    writeFileSync(file, goldenText({ ...golden, eventCount: now.eventCount, eventsSha256: now.eventsSha256,
      commandDigests: now.commandDigests, stateHash: now.stateHash }));
  }
  console.log(changed === 0 ? 'golden streams: nothing changed' : `golden streams: ${changed} rewritten; review and commit them`);
}

const recordAt = process.argv.indexOf('--record');
if (recordAt >= 0) {
  const only = process.argv[recordAt + 1];
  const chosen = RECIPES.filter((recipe) => only === undefined || recipe.name === only);
  if (chosen.length === 0) throw new Error(`no golden recipe named ${only}`);
  for (const recipe of chosen) record(recipe);
}
update();
