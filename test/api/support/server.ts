/**
 * End-to-end support: spawns the real `perpx serve` process (TypeScript sources via tsx) on a free
 * port with a temporary data directory and a manual price source, and builds clients pointed at
 * it exactly as ../shared/reference/binance-api-surface.md §1 describes (unchanged ccxt and binance SDK).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ccxt from 'ccxt';
import { AdminClient, type CreatedAccount } from '../../../src/api/admin-client.js';

export interface ServerProcess {
  readonly url: string;
  readonly wsUrl: string;
  readonly token: string;
  readonly dataDir: string;
  readonly admin: AdminClient;
  readonly child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops the process and removes the data directory. */
  dispose(): Promise<void>;
}

const CLI = join(import.meta.dirname, 'perpx-cli.ts');
const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface StartOptions {
  readonly dataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Soft and hard limit on the server's open files (through util-linux `prlimit`). */
  readonly fdLimit?: number;
  /** Leave PERPX_ADMIN_TOKEN unset (the server then uses or generates <data-dir>/admin-token). */
  readonly tokenFromDataDir?: boolean;
}

export async function startServerProcess(extraArgs: string[] = [], options: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'perpx-api-'));
  let token = 'test-admin-token-0123456789abcdef';
  const node = [process.execPath, '--import', 'tsx', CLI, 'serve', '--port', '0', '--data-dir', dataDir,
    '--price-source', 'manual', ...extraArgs];
  // prlimit execs the command, so the child's pid is the server's.
  const command = options.fdLimit === undefined ? node : ['prlimit', `--nofile=${options.fdLimit}:${options.fdLimit}`, ...node];
  const env: NodeJS.ProcessEnv = { ...process.env, PERPX_ADMIN_TOKEN: token, ...options.env };
  if (options.tokenFromDataDir === true) delete env['PERPX_ADMIN_TOKEN'];
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = (): void => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  if (options.tokenFromDataDir === true) token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url, wsUrl: url.replace(/^http/, 'ws'), token, dataDir, child,
    admin: new AdminClient({ url, token }),
    output: () => output,
    stop,
    dispose: async () => {
      await stop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function ccxtUrls(url: string): Record<string, unknown> {
  return {
    fapiPublic: `${url}/fapi/v1`, fapiPublicV2: `${url}/fapi/v2`, fapiPublicV3: `${url}/fapi/v3`,
    fapiPrivate: `${url}/fapi/v1`, fapiPrivateV2: `${url}/fapi/v2`, fapiPrivateV3: `${url}/fapi/v3`,
    fapiData: `${url}/futures/data`, public: `${url}/api/v3`, private: `${url}/api/v3`, sapi: `${url}/sapi/v1`,
  };
}

/** An unchanged ccxt binanceusdm pointed at the server (reference §1.1), with the futures error table. */
export function ccxtClient(url: string, account?: CreatedAccount): InstanceType<typeof ccxt.binanceusdm> {
  const exchange = new ccxt.binanceusdm({
    ...(account === undefined ? {} : { apiKey: account.apiKey, secret: account.apiSecret }),
    enableRateLimit: false,
    options: { fetchCurrencies: false, warnOnFetchOpenOrdersWithoutSymbol: false },
    urls: { api: ccxtUrls(url) },
  });
  withFuturesErrors(exchange);
  return exchange;
}

/** ccxt pro binanceusdm with the ws URL override (reference §1.2); call loadHttpProxyAgent() before use. */
export function ccxtProClient(url: string, account?: CreatedAccount): InstanceType<typeof ccxt.pro.binanceusdm> {
  const exchange = new ccxt.pro.binanceusdm({
    ...(account === undefined ? {} : { apiKey: account.apiKey, secret: account.apiSecret }),
    enableRateLimit: false,
    options: { fetchCurrencies: false },
    urls: { api: { ...ccxtUrls(url), ws: { future: `${url.replace(/^http/, 'ws')}/ws` } } },
  });
  withFuturesErrors(exchange);
  return exchange;
}

/** Reference §3.4: the one-line fix so futures codes map as on fapi.binance.com. */
function withFuturesErrors(exchange: { exceptions: Record<string, unknown> }): void {
  const exceptions = exchange.exceptions as { exact: Record<string, unknown>; linear?: { exact?: Record<string, unknown> } };
  exceptions.exact = { ...exceptions.exact, ...(exceptions.linear?.exact ?? {}) };
}

export interface SignedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/** A plain signed request the way the binance SDK sends it (all params in the query string). */
export async function signedFetch(url: string, account: CreatedAccount, method: string, path: string,
  params: Record<string, string | number | boolean> = {}, options: { timestamp?: number; recvWindow?: number; inBody?: boolean } = {}):
  Promise<SignedResponse> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) query.set(key, String(value));
  query.set('timestamp', String(options.timestamp ?? Date.now()));
  if (options.recvWindow !== undefined) query.set('recvWindow', String(options.recvWindow));
  const payload = query.toString();
  const signature = createHmac('sha256', account.apiSecret).update(payload).digest('hex');
  const signed = `${payload}&signature=${signature}`;
  const init: RequestInit = { method, headers: { 'X-MBX-APIKEY': account.apiKey } };
  let target = `${url}${path}?${signed}`;
  if (options.inBody === true) {
    target = `${url}${path}`;
    init.body = signed;
    init.headers = { ...init.headers as Record<string, string>, 'content-type': 'application/x-www-form-urlencoded' };
  }
  return readResponse(await fetch(target, init));
}

export async function publicFetch(url: string, path: string): Promise<SignedResponse> {
  return readResponse(await fetch(`${url}${path}`));
}

/** Status, headers, and the body parsed as JSON when it is JSON (raw text otherwise). */
async function readResponse(response: Response): Promise<SignedResponse> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body, text };
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
