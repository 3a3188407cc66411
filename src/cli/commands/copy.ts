/**
 * @module cli/commands/copy
 * `perpx copy …`: copy trading against a running server through the account's own signed API
 * (`/perpx/v1/copy/…`, docs/api.md "Copy trading"), with the API key and secret of the master or
 * of the sub-account concerned: open and close a lead portfolio, follow and unfollow one from a
 * copy sub-account, list the public portfolios, read a lead's profile and the leaderboard, and switch a
 * portfolio's live sharing (docs/api.md "Lead profiles"). They print the server's JSON answer; errors print
 * the server's {code,msg} and exit non-zero.
 */
import type { Command } from 'commander';
import { signedClient as client, withConnection, type ConnectionOptions } from '../signed-connection.js';

const MODES: Readonly<Record<string, string>> = { ratio: 'FIXED_RATIO', amount: 'FIXED_AMOUNT' };

async function print(result: Promise<unknown>): Promise<void> {
  console.log(JSON.stringify(await result, null, 2));
}

export function register(program: Command): void {
  const copy = program.command('copy').description('copy trading on a running server (the account\'s signed API)');
  withConnection(copy.command('open').description('open a lead portfolio in a sub-account'))
    .requiredOption('--account <accountId>', 'the portfolio\'s sub-account')
    .option('--profit-share <percent>', 'share of followers\' profit, 0-30 %', '10')
    .option('--copy-cap <usdt>', 'most a follower may invest (default: the venue maximum)')
    .option('--min-copy <usdt>', 'least a follower may invest (default: the venue minimum)')
    .option('--max-followers <n>', 'follower slots (default: by the portfolio\'s equity)')
    .action((options: ConnectionOptions & { account: string; profitShare: string; copyCap?: string; minCopy?: string;
      maxFollowers?: string; }) => print(client(options).signed('POST', '/perpx/v1/copy/portfolio', {
      accountId: options.account, profitShare: options.profitShare, copyCap: options.copyCap, minCopy: options.minCopy,
      maxFollowers: options.maxFollowers,
    })));
  withConnection(copy.command('close').description('close a lead portfolio (every follower is settled and removed)'))
    .requiredOption('--account <accountId>', 'the portfolio\'s sub-account')
    .action((options: ConnectionOptions & { account: string }) =>
      print(client(options).signed('DELETE', '/perpx/v1/copy/portfolio', { accountId: options.account })));
  withConnection(copy.command('follow').description('copy a lead portfolio from a copy sub-account'))
    .requiredOption('--account <accountId>', 'the copy sub-account (flat, funded)')
    .requiredOption('--lead <accountId>', 'the lead portfolio')
    .requiredOption('--amount <usdt>', 'ratio: the investment copied in proportion; amount: margin per copied opening')
    .option('--mode <mode>', 'ratio or amount', 'ratio')
    .option('--leverage <x>', '1-10, or 0 for the lead\'s', '0')
    .option('--slippage <percent>', 'open-slippage guard, 0.1-3 % (default 0.5 % BTC/ETH, 1.5 % others)')
    .option('--stop-loss <percent>', 'stop copying once the loss reaches this share of the investment')
    .option('--copy-existing', 'also copy the lead\'s open positions')
    .action((options: ConnectionOptions & { account: string; lead: string; amount: string; mode: string; leverage: string;
      slippage?: string; stopLoss?: string; copyExisting?: boolean; }) => {
      const mode = MODES[options.mode];
      if (mode === undefined) throw new Error(`--mode is ratio or amount, not ${options.mode}`);
      return print(client(options).signed('POST', '/perpx/v1/copy/follow', {
        accountId: options.account, leadAccountId: options.lead, mode, amount: options.amount, leverage: options.leverage,
        slippage: options.slippage, stopLoss: options.stopLoss, copyExisting: options.copyExisting === true,
      }));
    });
  withConnection(copy.command('unfollow').description('stop copying: positions closed, profit share settled, money back to the master'))
    .requiredOption('--account <accountId>', 'the copy sub-account')
    .action((options: ConnectionOptions & { account: string }) =>
      print(client(options).signed('POST', '/perpx/v1/copy/unfollow', { accountId: options.account })));
  withConnection(copy.command('list').description('the public lead portfolios, or one with --lead'))
    .option('--lead <accountId>', 'one portfolio')
    .action((options: ConnectionOptions & { lead?: string }) => print(options.lead === undefined
      ? client(options).public('/perpx/v1/copy/portfolios')
      : client(options).public('/perpx/v1/copy/portfolio', { accountId: options.lead })));
  withConnection(copy.command('profile').description('a lead portfolio\'s public record (PnL, ROI, drawdown, win rate, followers)'))
    .requiredOption('--lead <accountId>', 'the portfolio')
    .action((options: ConnectionOptions & { lead: string }) =>
      print(client(options).public('/perpx/v1/copy/profile', { accountId: options.lead })));
  withConnection(copy.command('leaderboard').description('open portfolios ranked'))
    .option('--sort <key>', 'roi30, pnl30, drawdown, aum or copierPnl', 'roi30')
    .option('--hide-full', 'leave out portfolios without a free slot')
    .option('--limit <n>', 'rows, 1-100', '20')
    .action((options: ConnectionOptions & { sort: string; hideFull?: boolean; limit: string }) =>
      print(client(options).public('/perpx/v1/copy/leaderboard',
        { sort: options.sort, hideFull: options.hideFull === true, limit: options.limit })));
  withConnection(copy.command('share').description('switch live sharing of a portfolio\'s positions and fills'))
    .requiredOption('--account <accountId>', 'the portfolio\'s sub-account')
    .requiredOption('--live <on|off>', 'on: positions in the profile and the <accountId>@leadTrades stream; off: neither')
    .action((options: ConnectionOptions & { account: string; live: string }) => {
      if (options.live !== 'on' && options.live !== 'off') throw new Error(`--live is on or off, not ${options.live}`);
      return print(client(options).signed('POST', '/perpx/v1/copy/sharing', { accountId: options.account, live: options.live === 'on' }));
    });
}
