/**
 * @module cli/signed-connection
 * The connection options of CLI commands that call a running server's signed account API
 * (`perpx copy`, `perpx statement`): `--url`, `--key`, `--secret`, defaulting to `$PERPX_URL`,
 * `$PERPX_API_KEY` and `$PERPX_API_SECRET`.
 */
import type { Command } from 'commander';
import { SignedClient } from '../api/signed-client.js';

export interface ConnectionOptions {
  url?: string;
  key?: string;
  secret?: string;
}

export function signedClient(options: ConnectionOptions): SignedClient {
  const apiKey = options.key ?? process.env['PERPX_API_KEY'];
  const apiSecret = options.secret ?? process.env['PERPX_API_SECRET'];
  return new SignedClient({
    url: options.url ?? process.env['PERPX_URL'] ?? 'http://127.0.0.1:8080',
    ...(apiKey === undefined ? {} : { apiKey }), ...(apiSecret === undefined ? {} : { apiSecret }),
  });
}

export function withConnection(command: Command): Command {
  return command
    .option('--url <url>', 'server root (default $PERPX_URL or http://127.0.0.1:8080)')
    .option('--key <apiKey>', 'API key of the master or the sub-account (default $PERPX_API_KEY)')
    .option('--secret <apiSecret>', 'its secret (default $PERPX_API_SECRET)');
}
