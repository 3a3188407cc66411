/**
 * @module cli/commands/admin
 * Operator subcommands that talk to a running `perpx serve` over its /admin/v1 API: account create
 * and show, api-key create, deposit, withdraw, transfer, insurance, index-price, ledger. They print
 * the server's JSON answer; errors print the server's {code,msg} and exit non-zero.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AdminClient } from '../../api/admin-client.js';
import { registerSubAccountCommands } from './sponsor.js';

interface ConnectionOptions {
  url?: string;
  token?: string;
  dataDir?: string;
}

function client(options: ConnectionOptions): AdminClient {
  const url = options.url ?? process.env['PERPX_URL'] ?? 'http://127.0.0.1:8080';
  let token = options.token ?? process.env['PERPX_ADMIN_TOKEN'];
  if (token === undefined) {
    const path = join(options.dataDir ?? './perpx-data', 'admin-token');
    if (!existsSync(path)) throw new Error(`no admin token: pass --token, set PERPX_ADMIN_TOKEN, or point --data-dir at the server's data directory`);
    token = readFileSync(path, 'utf8').trim();
  }
  return new AdminClient({ url, token });
}

function withConnection(command: Command): Command {
  return command
    .option('--url <url>', 'server root (default $PERPX_URL or http://127.0.0.1:8080)')
    .option('--token <token>', 'admin token (default $PERPX_ADMIN_TOKEN or <data-dir>/admin-token)')
    .option('--data-dir <dir>', 'server data directory, to read admin-token from', './perpx-data');
}

function accountId(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`not an account id: ${text}`);
  return value;
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "5m", "8h", "1d" or a plain number of milliseconds. */
export function durationMs(text: string): number {
  const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(text.trim());
  if (match === null) throw new Error(`not a duration: ${text} (e.g. 90s, 5m, 8h, 1d)`);
  return Number(match[1]) * DURATION_UNITS_MS[match[2] ?? 'ms']!;
}

async function print(result: Promise<unknown>): Promise<void> {
  console.log(JSON.stringify(await result, null, 2));
}

export function register(program: Command): void {
  const account = program.command('account').description('accounts on a running server (operator API; `sub`: your own key)');
  registerSubAccountCommands(account);
  withConnection(account.command('create').description('create an account with a first API key'))
    .option('--deposit <amount>', 'initial USDT deposit', '0')
    .option('--parent <accountId>', 'parent account (sub-account)')
    .option('--permissions <list>', 'key permissions: read,trade', 'read,trade')
    .option('--ip <list>', 'IP allow-list for the key (comma-separated)')
    .action((options: ConnectionOptions & { deposit: string; parent?: string; permissions: string; ip?: string }) => print(
      client(options).createAccount(options.deposit, {
        ...(options.parent === undefined ? {} : { parentAccountId: accountId(options.parent) }),
        permissions: list(options.permissions) ?? [],
        ...(options.ip === undefined ? {} : { ipAllowList: list(options.ip) ?? [] }),
      })));
  withConnection(account.command('show <accountId>').description('balances, positions and keys of an account'))
    .action((id: string, options: ConnectionOptions) => print(client(options).account(accountId(id))));

  const apiKey = program.command('api-key').description('API keys on a running server (operator API)');
  withConnection(apiKey.command('create').description('create an API key for an account'))
    .requiredOption('--account <accountId>', 'account id')
    .option('--permissions <list>', 'read,trade', 'read,trade')
    .option('--ip <list>', 'IP allow-list (comma-separated)')
    .action((options: ConnectionOptions & { account: string; permissions: string; ip?: string }) => print(
      client(options).createApiKey(accountId(options.account), list(options.permissions), list(options.ip))));

  withConnection(program.command('deposit').description('credit USDT to an account'))
    .requiredOption('--account <accountId>', 'account id')
    .requiredOption('--amount <amount>', 'USDT amount, decimal string')
    .action((options: ConnectionOptions & { account: string; amount: string }) =>
      print(client(options).deposit(accountId(options.account), options.amount)));
  withConnection(program.command('withdraw').description('debit USDT from an account (withdrawable balance only)'))
    .requiredOption('--account <accountId>', 'account id')
    .requiredOption('--amount <amount>', 'USDT amount, decimal string')
    .action((options: ConnectionOptions & { account: string; amount: string }) =>
      print(client(options).withdraw(accountId(options.account), options.amount)));
  withConnection(program.command('transfer').description('move USDT between two accounts'))
    .requiredOption('--from <accountId>', 'source account')
    .requiredOption('--to <accountId>', 'target account')
    .requiredOption('--amount <amount>', 'USDT amount, decimal string')
    .action((options: ConnectionOptions & { from: string; to: string; amount: string }) =>
      print(client(options).transfer(accountId(options.from), accountId(options.to), options.amount)));
  withConnection(program.command('insurance').description('fund the insurance fund'))
    .requiredOption('--amount <amount>', 'USDT amount, decimal string')
    .action((options: ConnectionOptions & { amount: string }) => print(client(options).fundInsurance(options.amount)));
  withConnection(program.command('index-price').description('set an index price (server started with --price-source manual)'))
    .requiredOption('--symbol <symbol>', 'e.g. BTCUSDT')
    .requiredOption('--price <price>', 'decimal price on the symbol tick')
    .action((options: ConnectionOptions & { symbol: string; price: string }) =>
      print(client(options).setIndexPrice(options.symbol, options.price)));
  withConnection(program.command('clock').description('show the venue clock; --advance moves it forward (funding, candles, timers), --speed sets its rate'))
    .option('--advance <duration>', 'move venue time forward, e.g. 8h, 5m, 90s')
    .option('--speed <x>', 'venue time per wall time from now on')
    .action((options: ConnectionOptions & { advance?: string; speed?: string }) => print(client(options).clock({
      ...(options.advance === undefined ? {} : { advanceMs: durationMs(options.advance) }),
      ...(options.speed === undefined ? {} : { speed: Number(options.speed) }),
    })));
  withConnection(program.command('ledger').description("Σ deposits, withdrawals, balances, insurance, fees and the auditor's verdict"))
    .action(async (options: ConnectionOptions) => {
      const ledger = await client(options).ledger();
      console.log(JSON.stringify(ledger, null, 2));
      if (!ledger.ok) process.exitCode = 1;
    });
}
