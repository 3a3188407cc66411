/**
 * @module cli/commands/statement
 * `perpx statement`: an account's daily statements (docs/api.md "Account statements") from a
 * running server through the signed API, as an aligned table (one row per UTC day) or, with
 * `--csv`, the server's CSV export unchanged. `--account` reads one of the key's sub-accounts.
 */
import type { Command } from 'commander';
import { STATEMENT_COLUMNS, type StatementJson } from '../../api/extra/statement-routes.js';
import { DAY_MS, dayText, parseDay } from '../../api/read-models/statements.js';
import { signedClient, withConnection, type ConnectionOptions } from '../signed-connection.js';

/** Days shown when no --from is given: the last week. */
const DEFAULT_DAYS = 7;

interface StatementOptions extends ConnectionOptions {
  account?: string;
  from?: string;
  to?: string;
  csv?: boolean;
}

/** Right-aligned columns under a header (money strings keep their 8 decimals, so they line up). */
export function statementTable(rows: readonly StatementJson[]): string {
  const cells = [[...STATEMENT_COLUMNS], ...rows.map((row) => STATEMENT_COLUMNS.map((column) => String(row[column])))];
  const widths = STATEMENT_COLUMNS.map((_column, index) => Math.max(...cells.map((line) => line[index]!.length)));
  return cells.map((line) => line.map((cell, index) => cell.padStart(widths[index]!)).join('  ')).join('\n');
}

export function register(program: Command): void {
  withConnection(program.command('statement').description('daily account statements (UTC days) from a running server'))
    .option('--account <accountId>', 'the account (default: the key\'s own); a sub-account of the key\'s account')
    .option('--from <day>', `first UTC day, YYYY-MM-DD (default: ${DEFAULT_DAYS - 1} days before --to)`)
    .option('--to <day>', 'last UTC day, YYYY-MM-DD (default: today)')
    .option('--csv', 'print the CSV export instead of a table')
    .action(async (options: StatementOptions) => {
      const to = options.to ?? dayText(Math.floor(Date.now() / DAY_MS) * DAY_MS);
      const toMs = parseDay(to);
      if (toMs === undefined) throw new Error(`--to is a UTC day YYYY-MM-DD, not ${to}`);
      const from = options.from ?? dayText(toMs - (DEFAULT_DAYS - 1) * DAY_MS);
      const params = { accountId: options.account, startDay: from, endDay: to };
      const client = signedClient(options);
      if (options.csv === true) {
        process.stdout.write(await client.signedText('/perpx/v1/statements.csv', params));
        return;
      }
      console.log(statementTable(await client.signed<StatementJson[]>('GET', '/perpx/v1/statements', params)));
    });
}
