/**
 * @module cli/commands/serve
 * `perpx serve`: the exchange process. Opens the durable venue (journal + snapshots) in the data
 * directory, starts the Binance-compatible API on one port (HTTP + WebSocket), optionally a market
 * driver (`--price-source sim|replay:<csv>`, loaded lazily from src/sim), and with `--demo` creates
 * demo accounts once (kept in <data-dir>/demo-accounts.json) and prints them with a ccxt snippet.
 * The admin token comes from PERPX_ADMIN_TOKEN or <data-dir>/admin-token (generated on first start).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AdminClient } from '../../api/admin-client.js';
import { startServer } from '../../api/index.js';
import { openDurableVenue } from '../../journal/index.js';
import { readSurveillanceConfig, SurveillanceHost } from '../../surveillance/host.js';

export interface ServeOptions {
  port: string;
  host: string;
  dataDir: string;
  priceSource: string;
  speed: string;
  demo?: boolean;
  fsync: boolean;
  tickIntervalMs: string;
  rateLimitWeight?: string;
  rateLimitOrders10s?: string;
  rateLimitOrders1m?: string;
  surveil: boolean;
  surveilConfig?: string;
}

const TOKEN_FILE = 'admin-token';
const DEMO_FILE = 'demo-accounts.json';

/** The admin token: env, else the data directory's token file, else a new one written there (0600). */
export function adminToken(dataDir: string): { token: string; source: string } {
  const fromEnv = process.env['PERPX_ADMIN_TOKEN'];
  if (fromEnv !== undefined && fromEnv !== '') return { token: fromEnv, source: 'PERPX_ADMIN_TOKEN' };
  const path = join(dataDir, TOKEN_FILE);
  if (existsSync(path)) return { token: readFileSync(path, 'utf8').trim(), source: path };
  const token = randomBytes(24).toString('hex');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return { token, source: `${path} (generated)` };
}

function positiveInt(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

interface DemoAccount {
  accountId: number;
  apiKey: string;
  apiSecret: string;
}

async function demoAccounts(url: string, token: string, dataDir: string, manual: boolean): Promise<DemoAccount[]> {
  const path = join(dataDir, DEMO_FILE);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as DemoAccount[];
  const admin = new AdminClient({ url, token });
  const accounts: DemoAccount[] = [];
  for (let i = 0; i < 3; i++) {
    const created = await admin.createAccount('100000');
    accounts.push({ accountId: created.accountId, apiKey: created.apiKey, apiSecret: created.apiSecret });
  }
  await admin.fundInsurance('1000000');
  if (manual) {
    await admin.setIndexPrice('BTCUSDT', '60000');
    await admin.setIndexPrice('ETHUSDT', '3000');
  }
  writeFileSync(path, JSON.stringify(accounts, null, 2), { mode: 0o600 });
  return accounts;
}

function ccxtSnippet(url: string, account: DemoAccount): string {
  const wsUrl = url.replace(/^http/, 'ws');
  return [
    "import ccxt from 'ccxt';",
    `const B = '${url}';`,
    'const exchange = new ccxt.pro.binanceusdm({',
    `  apiKey: '${account.apiKey}', secret: '${account.apiSecret}',`,
    '  options: { fetchCurrencies: false },',
    '  urls: { api: { fapiPublic: B + \'/fapi/v1\', fapiPublicV2: B + \'/fapi/v2\', fapiPublicV3: B + \'/fapi/v3\',',
    '    fapiPrivate: B + \'/fapi/v1\', fapiPrivateV2: B + \'/fapi/v2\', fapiPrivateV3: B + \'/fapi/v3\',',
    `    fapiData: B + '/futures/data', ws: { future: '${wsUrl}/ws' } } },`,
    '});',
    'await exchange.loadHttpProxyAgent(); // needed for ws:// URLs',
    'console.log(await exchange.fetchBalance());',
  ].join('\n');
}

export async function serve(options: ServeOptions): Promise<void> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const priceSource = options.priceSource;
  if (priceSource !== 'manual' && priceSource !== 'sim' && !priceSource.startsWith('replay:')) {
    throw new Error(`--price-source must be manual, sim or replay:<csv>, not ${priceSource}`);
  }
  const { token, source } = adminToken(dataDir);
  const venue = await openDurableVenue({
    dataDir, fsync: options.fsync, tickIntervalMs: positiveInt(options.tickIntervalMs, 'tick-interval-ms'),
  });
  const rateLimits = {
    ...(options.rateLimitWeight === undefined ? {} : { weightPerMinute: positiveInt(options.rateLimitWeight, 'rate-limit-weight') }),
    ...(options.rateLimitOrders10s === undefined ? {} : { ordersPer10s: positiveInt(options.rateLimitOrders10s, 'rate-limit-orders-10s') }),
    ...(options.rateLimitOrders1m === undefined ? {} : { ordersPerMinute: positiveInt(options.rateLimitOrders1m, 'rate-limit-orders-1m') }),
  };
  // Surveillance in-process (docs/surveillance.md): its audit log lives in the data directory.
  const surveillance = options.surveil
    ? new SurveillanceHost({ instruments: venue.engine.instruments, dataDir, ...readSurveillanceConfig(options.surveilConfig) })
    : undefined;
  const server = await startServer({
    venue, dataDir, adminToken: token, priceSource, rateLimits, ...(surveillance === undefined ? {} : { surveillance }),
    host: options.host, port: positiveInt(options.port, 'port'),
    // Tests stretch this to prove that a crash before a flush is repaired by replay on restart.
    readModelFlushMs: positiveInt(process.env['PERPX_READ_MODEL_FLUSH_MS'] ?? '100', 'PERPX_READ_MODEL_FLUSH_MS'),
  });
  // Catching up with the journal's history runs in the background; the API serves meanwhile.
  void surveillance?.attach(venue).then(
    () => console.log(`surveillance caught up at seq ${surveillance.surveillance.lastSeq}`),
    (error: unknown) => console.error('surveillance failed:', error),
  );
  const marketDrivers: { stop(): Promise<void> }[] = [];
  if (priceSource !== 'manual') {
    // Loaded lazily: `serve --price-source manual` must not depend on the simulator.
    const drivers = await import('../../sim/drivers.js');
    marketDrivers.push(await drivers.startMarketDriver(venue, {
      source: priceSource, speed: Number(options.speed), stateDir: dataDir,
    }));
    if (priceSource === 'sim') {
      // The synthetic market runs every other instrument too, each with its own agents and seed.
      const others = venue.engine.instruments.map((instrument) => instrument.symbol).filter((symbol) => symbol !== 'BTCUSDT');
      for (const [index, symbol] of others.entries()) {
        const stateDir = join(dataDir, `sim-${symbol.toLowerCase()}`);
        mkdirSync(stateDir, { recursive: true });
        marketDrivers.push(await drivers.startMarketDriver(venue, {
          source: priceSource, speed: Number(options.speed), stateDir, symbol, seed: 2 + index,
        }));
      }
    }
  }
  console.log(`perpx API listening on ${server.url} (data ${dataDir}, price source ${priceSource}, seq ${venue.engine.lastSeq})`);
  console.log(`admin token (${source}): ${source === 'PERPX_ADMIN_TOKEN' ? '<from environment>' : token}`);
  console.log(`web UI: ${server.url}/ (log in with an account's API key and secret, or with the admin token as the operator)`);
  if (options.demo === true) {
    const accounts = await demoAccounts(server.url, token, dataDir, priceSource === 'manual');
    for (const account of accounts) {
      console.log(`demo account ${account.accountId}: apiKey ${account.apiKey} secret ${account.apiSecret}`);
    }
    console.log(`\nccxt:\n${ccxtSnippet(server.url, accounts[0]!)}\n`);
  }
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    for (const driver of marketDrivers) await driver.stop();
    await server.close();
    // Stops a catch-up still reading the journal too (it checks the runner's stop flag per entry).
    surveillance?.close();
    await venue.close();
    console.log('perpx stopped');
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop().then(() => process.exit(0), (error: unknown) => {
        console.error(error);
        process.exit(1);
      });
    });
  }
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the exchange: durable venue + Binance-compatible REST/WebSocket API + operator API on one port')
    .option('--port <n>', 'TCP port (0 = any free port)', '8080')
    .option('--host <h>', 'interface to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'journal, snapshots, API keys and read models', './perpx-data')
    .option('--price-source <source>', 'manual (operator API sets index prices), sim, or replay:<csv>', 'manual')
    .option('--speed <x>', 'market driver speed (path time per wall time)', '1')
    .option('--demo', 'create demo accounts on first start and print them with a ccxt snippet')
    .option('--no-fsync', 'do not fsync the journal (tests and benchmarks only)')
    .option('--tick-interval-ms <ms>', 'engine clock tick period (mark price, funding, triggers)', '1000')
    .option('--rate-limit-weight <n>', 'request weight per minute per IP and per key (default 2400)')
    .option('--rate-limit-orders-10s <n>', 'orders per 10 s per key (default 300)')
    .option('--rate-limit-orders-1m <n>', 'orders per minute per key (default 1200)')
    .option('--no-surveil', 'do not run risk and market-abuse surveillance in this process')
    .option('--surveil-config <file>', 'surveillance thresholds, account links and webhooks (JSON, docs/surveillance.md)')
    .action(serve);
}
