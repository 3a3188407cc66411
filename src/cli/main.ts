/**
 * @module cli/main
 * The `perpx` command line. Each subcommand lives in src/cli/commands/<name>.ts and exports
 * `register(program)`; this file only assembles them.
 */
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command();
  program
    .name('perpx')
    .description('perpx: a deterministic USDT-margined perpetual-futures exchange')
    .version('0.1.0')
    .showHelpAfterError();
  registerCommands(program);
  await program.parseAsync([...argv]);
}
