/**
 * @module cli/commands
 * The list of subcommands. Add a module here when adding a subcommand.
 */
import type { Command } from 'commander';
import { register as registerInstruments } from './instruments.js';
import { register as registerSim } from './sim.js';
import { register as registerRuin } from './ruin.js';
import { register as registerServe } from './serve.js';
import { register as registerAdmin } from './admin.js';
import { register as registerJournal } from './journal.js';
import { register as registerSurveil } from './surveil.js';
import { register as registerCopy } from './copy.js';
import { register as registerStatement } from './statement.js';
import { register as registerSponsor } from './sponsor.js';
import { register as registerEngineNode } from './engine-node.js';

export function registerCommands(program: Command): void {
  registerInstruments(program);
  registerSim(program);
  registerRuin(program);
  registerServe(program);
  registerAdmin(program);
  registerJournal(program);
  registerSurveil(program);
  registerCopy(program);
  registerStatement(program);
  registerSponsor(program);
  registerEngineNode(program);
}
