/**
 * @module cli/commands/sponsor
 * A master's sub-accounts and sponsored accounts against a running server, through the account's own
 * signed API (docs/api.md "Sub-accounts and sponsored accounts"):
 * - `perpx account sub create|list|key|revoke`: the caller's sub-accounts and their API keys;
 * - `perpx sponsor start|end|list|key`: fund a sub-account for a trader with a profit split and
 *   loss limits, end it, list the live ones, and (as the trader) take a key for the account.
 * They print the server's JSON answer; errors print the server's {code,msg} and exit non-zero.
 */
import type { Command } from 'commander';
import { signedClient as client, withConnection, type ConnectionOptions } from '../signed-connection.js';

async function print(result: Promise<unknown>): Promise<void> {
  console.log(JSON.stringify(await result, null, 2));
}

/** `perpx account sub …`, under the operator's `account` command (these use the account's own key). */
export function registerSubAccountCommands(account: Command): void {
  const sub = account.command('sub').description('your sub-accounts (your account\'s signed API)');
  withConnection(sub.command('create').description('a new, empty sub-account of yours'))
    .action((options: ConnectionOptions) => print(client(options).signed('POST', '/perpx/v1/subAccount')));
  withConnection(sub.command('list').description('your sub-accounts with their balances'))
    .action((options: ConnectionOptions) => print(client(options).signed('GET', '/perpx/v1/subAccounts')));
  withConnection(sub.command('key').description('an API key for one of your sub-accounts (the secret is shown once)'))
    .requiredOption('--account <accountId>', 'the sub-account')
    .option('--permissions <list>', 'read or read,trade', 'read,trade')
    .action((options: ConnectionOptions & { account: string; permissions: string }) =>
      print(client(options).signed('POST', '/perpx/v1/subAccount/apiKey', { accountId: options.account, permissions: options.permissions })));
  withConnection(sub.command('revoke').description('revoke an API key of one of your sub-accounts'))
    .requiredOption('--api-key <apiKey>', 'the key to revoke')
    .action((options: ConnectionOptions & { apiKey: string }) =>
      print(client(options).signed('DELETE', '/perpx/v1/subAccount/apiKey', { apiKey: options.apiKey })));
}

export function register(program: Command): void {
  const sponsor = program.command('sponsor').description('sponsored accounts on a running server (the account\'s signed API)');
  withConnection(sponsor.command('start').description('fund one of your empty sub-accounts for a trader'))
    .requiredOption('--account <accountId>', 'your sub-account (empty, flat, no orders)')
    .requiredOption('--trader <accountId>', 'who trades it (another top-level account)')
    .requiredOption('--amount <usdt>', 'the initial balance, from your balance')
    .option('--trader-share <percent>', 'the trader\'s share of the profit above the initial balance', '0')
    .option('--daily-loss <percent>', 'daily loss limit, % of the UTC day\'s starting equity (0: none)', '0')
    .option('--static-loss <percent>', 'loss limit, % of the initial balance (0: none)', '0')
    .option('--trailing-loss <percent>', 'loss limit, % of the equity\'s high-water mark (0: none)', '0')
    .action((options: ConnectionOptions & { account: string; trader: string; amount: string; traderShare: string;
      dailyLoss: string; staticLoss: string; trailingLoss: string; }) => print(client(options).signed('POST', '/perpx/v1/sponsor', {
      accountId: options.account, traderAccountId: options.trader, amount: options.amount, traderShare: options.traderShare,
      dailyLoss: options.dailyLoss, staticLoss: options.staticLoss, trailingLoss: options.trailingLoss,
    })));
  withConnection(sponsor.command('end').description('end a sponsorship: orders cancelled, positions closed, profit split, the rest back'))
    .requiredOption('--account <accountId>', 'the sponsored account')
    .action((options: ConnectionOptions & { account: string }) =>
      print(client(options).signed('POST', '/perpx/v1/sponsor/end', { accountId: options.account })));
  withConnection(sponsor.command('list').description('the live sponsorships you sponsor or trade'))
    .action((options: ConnectionOptions) => print(client(options).signed('GET', '/perpx/v1/sponsorships')));
  withConnection(sponsor.command('key').description('as the trader: an API key for the account you were sponsored'))
    .requiredOption('--account <accountId>', 'the sponsored account')
    .action((options: ConnectionOptions & { account: string }) =>
      print(client(options).signed('POST', '/perpx/v1/sponsored/apiKey', { accountId: options.account })));
}
