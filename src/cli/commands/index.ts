/**
 * @module cli/commands
 * The list of subcommands. Add a module here when adding a subcommand.
 */
import type { Command } from 'commander';
import { register as registerInstruments } from './instruments.js';

export function registerCommands(program: Command): void {
  registerInstruments(program);
}
