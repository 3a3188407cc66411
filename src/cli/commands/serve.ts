/**
 * @module cli/commands/serve
 * `perpx serve`: the exchange process. Opens the durable venue (journal + snapshots) in the data
 * directory, starts the Binance-compatible API on one port (HTTP + WebSocket), optionally a market
 * driver (`--price-source sim|replay:<csv>`, or `--scenario <file>` with its agents, index and
 * faults on the replay's clock; loaded lazily from src/sim), and with `--demo` creates
 * demo accounts once (kept in <data-dir>/demo-accounts.json, mode 0600) and prints a ccxt snippet
 * that reads their keys from that file. The admin token comes from PERPX_ADMIN_TOKEN or
 * <data-dir>/admin-token (generated on first start, mode 0600). No secret is printed unless asked
 * (`--print-keys`), except a newly generated admin token, which is shown that once.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AdminClient } from '../../api/admin-client.js';
import { startServer, type ServerLimits } from '../../api/index.js';
import { openDurableVenue } from '../../journal/index.js';

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
  printKeys?: boolean;
  maxConnections?: string;
  maxConnectionsPerIp?: string;
  headersTimeoutMs?: string;
  requestTimeoutMs?: string;
  wsBufferPerConnectionMib?: string;
  wsBufferPerIpMib?: string;
  wsBufferTotalMib?: string;
  scenario?: string;
}

const TOKEN_FILE = 'admin-token';
const DEMO_FILE = 'demo-accounts.json';

/** Where the admin token came from; `generated` only on the start that created the file. */
export type TokenSource = { kind: 'env' } | { kind: 'file'; path: string; generated: boolean };

/** The admin token: env, else the data directory's token file, else a new one written there (0600). */
export function adminToken(dataDir: string): { token: string; source: TokenSource } {
  const fromEnv = process.env['PERPX_ADMIN_TOKEN'];
  if (fromEnv !== undefined && fromEnv !== '') return { token: fromEnv, source: { kind: 'env' } };
  const path = join(dataDir, TOKEN_FILE);
  if (existsSync(path)) {
    // A file copied or restored with looser permissions is tightened, as the key store does.
    chmodSync(path, 0o600);
    return { token: readFileSync(path, 'utf8').trim(), source: { kind: 'file', path, generated: false } };
  }
  const token = randomBytes(24).toString('hex');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { token, source: { kind: 'file', path, generated: true } };
}

/** What start-up prints about the admin token: the value only when just generated or asked for. */
function tokenLine(token: string, source: TokenSource, printKeys: boolean): string {
  if (source.kind === 'env') return 'admin token: from PERPX_ADMIN_TOKEN';
  if (source.generated) return `admin token (generated, stored in ${source.path} with mode 0600; shown this once): ${token}`;
  return `admin token: in ${source.path}${printKeys ? `: ${token}` : ' (--print-keys prints it)'}`;
}

const MIB = 1024 * 1024;

/** The connection, timeout and WebSocket buffer flags given (the rest keep the server's defaults). */
function serverLimits(options: ServeOptions): Partial<ServerLimits> {
  const flags: [string | undefined, string, keyof ServerLimits, number][] = [
    [options.maxConnections, 'max-connections', 'maxConnections', 1],
    [options.maxConnectionsPerIp, 'max-connections-per-ip', 'maxConnectionsPerClient', 1],
    [options.headersTimeoutMs, 'headers-timeout-ms', 'headersTimeoutMs', 1],
    [options.requestTimeoutMs, 'request-timeout-ms', 'requestTimeoutMs', 1],
    [options.wsBufferPerConnectionMib, 'ws-buffer-per-connection-mib', 'wsBufferPerConnectionBytes', MIB],
    [options.wsBufferPerIpMib, 'ws-buffer-per-ip-mib', 'wsBufferPerClientBytes', MIB],
    [options.wsBufferTotalMib, 'ws-buffer-total-mib', 'wsBufferTotalBytes', MIB],
  ];
  const limits: Partial<Record<keyof ServerLimits, number>> = {};
  for (const [text, name, field, unit] of flags) if (text !== undefined) limits[field] = positiveInt(text, name) * unit;
  return limits;
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
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return JSON.parse(readFileSync(path, 'utf8')) as DemoAccount[];
  }
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

/** A ccxt snippet for the first demo account: its key and secret inline, or read from `keysPath`. */
function ccxtSnippet(url: string, account: DemoAccount, keysPath: string, printKeys: boolean): string {
  const wsUrl = url.replace(/^http/, 'ws');
  const credentials = printKeys
    ? [`  apiKey: '${account.apiKey}', secret: '${account.apiSecret}',`]
    : [`  apiKey: demo.apiKey, secret: demo.apiSecret,`];
  return [
    "import ccxt from 'ccxt';",
    ...(printKeys ? [] : ["import { readFileSync } from 'node:fs';",
      `const [demo] = JSON.parse(readFileSync(${JSON.stringify(keysPath)}, 'utf8'));`]),
    `const B = '${url}';`,
    'const exchange = new ccxt.pro.binanceusdm({',
    ...credentials,
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
  if (options.scenario !== undefined && priceSource !== 'manual') {
    throw new Error('--scenario brings its own index; leave --price-source at manual');
  }
  const { token, source } = adminToken(dataDir);
  // A served scenario runs on its path clock: the venue stamps every command with the replay's
  // time (set by the driver at each index step), and the driver's steps advance it (no wall ticks).
  const pathClock = { nowMs: 0 };
  const scenario = options.scenario;
  const venue = await openDurableVenue({
    dataDir, fsync: options.fsync,
    tickIntervalMs: scenario === undefined ? positiveInt(options.tickIntervalMs, 'tick-interval-ms') : 0,
    ...(scenario === undefined ? {} : { clock: () => pathClock.nowMs }),
  });
  const served = scenario === undefined ? undefined
    : await import('../../sim/live/serve-scenario.js').then((m) => m.prepareServedScenario(venue, scenario, Number(options.speed), pathClock));
  const rateLimits = {
    ...(options.rateLimitWeight === undefined ? {} : { weightPerMinute: positiveInt(options.rateLimitWeight, 'rate-limit-weight') }),
    ...(options.rateLimitOrders10s === undefined ? {} : { ordersPer10s: positiveInt(options.rateLimitOrders10s, 'rate-limit-orders-10s') }),
    ...(options.rateLimitOrders1m === undefined ? {} : { ordersPerMinute: positiveInt(options.rateLimitOrders1m, 'rate-limit-orders-1m') }),
  };
  const server = await startServer({
    venue, dataDir, adminToken: token, priceSource: served === undefined ? priceSource : `scenario:${served.name}`, rateLimits,
    limits: serverLimits(options),
    ...(served === undefined ? {} : { requestGate: served.requestGate }),
    host: options.host, port: positiveInt(options.port, 'port'),
    // Tests stretch this to prove that a crash before a flush is repaired by replay on restart.
    readModelFlushMs: positiveInt(process.env['PERPX_READ_MODEL_FLUSH_MS'] ?? '100', 'PERPX_READ_MODEL_FLUSH_MS'),
  });
  const marketDrivers: { stop(): Promise<void> }[] = [];
  if (served !== undefined) {
    marketDrivers.push(served.start());
  } else if (priceSource !== 'manual') {
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
  const market = served === undefined ? `price source ${priceSource}` : `scenario "${served.name}" at speed ${options.speed}`;
  console.log(`perpx API listening on ${server.url} (data ${dataDir}, ${market}, seq ${venue.engine.lastSeq})`);
  const printKeys = options.printKeys === true;
  console.log(tokenLine(token, source, printKeys));
  console.log(`web UI: ${server.url}/ (log in with an account's API key and secret, or with the admin token as the operator)`);
  if (options.demo === true) {
    const accounts = await demoAccounts(server.url, token, dataDir, priceSource === 'manual');
    const keysPath = join(dataDir, DEMO_FILE);
    for (const account of accounts) {
      console.log(`demo account ${account.accountId}: ${printKeys ? `apiKey ${account.apiKey} secret ${account.apiSecret}`
        : `API key and secret in ${keysPath} (--print-keys prints them)`}`);
    }
    console.log(`\nccxt:\n${ccxtSnippet(server.url, accounts[0]!, keysPath, printKeys)}\n`);
  }
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    for (const driver of marketDrivers) await driver.stop();
    await server.close();
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
    .option('--scenario <file>', 'serve a scenario (e.g. scenarios/2021-05-19-btc.yaml): its agents, index and faults run live at --speed; needs an empty --data-dir')
    .option('--demo', 'create demo accounts on first start (keys in <data-dir>/demo-accounts.json) and print a ccxt snippet')
    .option('--print-keys', 'print the admin token and the demo accounts\' API keys and secrets')
    .option('--no-fsync', 'do not fsync the journal (tests and benchmarks only)')
    .option('--tick-interval-ms <ms>', 'engine clock tick period (mark price, funding, triggers)', '1000')
    .option('--rate-limit-weight <n>', 'request weight per minute per IP and per key (default 2400)')
    .option('--rate-limit-orders-10s <n>', 'orders per 10 s per account (default 300)')
    .option('--rate-limit-orders-1m <n>', 'orders per minute per account (default 1200)')
    .option('--max-connections <n>', 'open connections in total (default: the descriptor limit less 256, at most 10000)')
    .option('--max-connections-per-ip <n>', 'open connections per IPv4 address or IPv6 /64 (default 1000)')
    .option('--headers-timeout-ms <ms>', 'time for a request\'s headers to arrive (default 10000)')
    .option('--request-timeout-ms <ms>', 'time for a whole request to arrive (default 30000)')
    .option('--ws-buffer-per-connection-mib <n>', 'WebSocket data queued for one slow reader before it is dropped (default 4)')
    .option('--ws-buffer-per-ip-mib <n>', 'WebSocket data queued for one IP\'s readers; the slowest go first (default 16)')
    .option('--ws-buffer-total-mib <n>', 'WebSocket data queued for all readers; the slowest go first (default 256)')
    .action(serve);
}
