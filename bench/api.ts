/**
 * @module bench/api
 * API benchmark: signed order entry over REST on loopback with the journal fsyncing, and
 * WebSocket depth fan-out.
 *
 * The server runs as its own process (`perpx serve`, durable venue with fsync on, rate limits
 * raised) so the load generator does not share its event loop; on this 2-core machine the two
 * processes get one core each. Load: autocannon, N keep-alive connections, pipelining 1, every
 * request a distinct HMAC-signed POST /fapi/v1/order form body (signed in setupRequest, so the
 * signing cost sits in the load generator, as with a real client). Orders alternate between two
 * accounts in a 4-step cycle (A buys, B sells into it, A sells, B buys), so the book stays shallow,
 * half of the orders trade, and positions stay bounded.
 *
 * Fan-out: S WebSocket clients subscribe to btcusdt@depth@100ms while orders keep the book moving;
 * we count messages and the delay from the payload's E (publish time) to receipt.
 *
 * Then the same flow at a fixed offered rate (--paced-rate, default 5,000 req/s, on --paced-connections,
 * default 16) for latency below saturation; autocannon paces each connection, so arrivals still
 * come in small bursts.
 *
 * Usage: npm run bench -- api [--json] [--duration S] [--connections N] [--subscribers N] [--paced-rate N] [--paced-connections N] [--no-fsync] [--profile DIR]
 * (--profile writes a V8 CPU profile of the server process to DIR.)
 * With --json the last stdout line is one JSON object with every figure.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { AdminClient, type CreatedAccount } from '../src/api/admin-client.js';

const ROOT = resolve(import.meta.dirname, '..');

function option(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(dataDir: string, fsync: boolean, profileDir: string | undefined): Promise<Server> {
  // The server runs exactly as `npm start` runs it: compiled JavaScript (built first) with the same
  // V8 flags, not through the TypeScript loader.
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { stdio: 'inherit' });
  const args = [...(profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]), '--max-semi-space-size=64',
    join(ROOT, 'bin/perpx.js'), 'serve', '--port', '0', '--data-dir', dataDir,
    '--rate-limit-weight', '1000000000', '--rate-limit-orders-10s', '1000000000', '--rate-limit-orders-1m', '1000000000',
    ...(fsync ? [] : ['--no-fsync'])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, PERPX_ADMIN_TOKEN: 'bench-token' },
    stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match !== null) done(match[1]!);
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}): ${output}`)));
  });
  return {
    url, child,
    stop: () => new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

function signedBody(account: CreatedAccount, side: 'BUY' | 'SELL', id: number, nowMs: number): string {
  const payload = `symbol=BTCUSDT&side=${side}&type=LIMIT&timeInForce=GTC&quantity=0.001&price=60000` +
    `&newClientOrderId=b${id}&timestamp=${nowMs}&recvWindow=60000`;
  return `${payload}&signature=${createHmac('sha256', account.apiSecret).update(payload).digest('hex')}`;
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); with `thread`, only
 * that thread (the main thread's id is the pid: the thread that runs HTTP, the engine and the journal).
 */
function processCpuSeconds(pid: number, thread?: number): number {
  try {
    const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

interface RestFigures {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly connections: number;
  readonly durationS: number;
  /** Binance error code → count, for non-2xx answers. */
  readonly errorCodes: Record<string, number>;
  /** Share of one core used during the run by the server process and by this load generator. */
  readonly serverCpu: number;
  /** Share of one core used by the server's main thread alone (the single writer's thread). */
  readonly serverMainThreadCpu: number;
  /** Server CPU per request in µs: every thread, and the main thread alone. */
  readonly serverCpuUsPerRequest: number;
  readonly serverMainThreadUsPerRequest: number;
  readonly loadGeneratorCpu: number;
}

async function orderLoad(url: string, accounts: [CreatedAccount, CreatedAccount], connections: number, durationS: number,
  counter: { next: number }, serverPid: number, overallRate?: number): Promise<RestFigures> {
  const serverCpuBefore = processCpuSeconds(serverPid);
  const mainCpuBefore = processCpuSeconds(serverPid, serverPid);
  const ownCpuBefore = process.cpuUsage();
  const wallBefore = Date.now();
  const plan: [0 | 1, 'BUY' | 'SELL'][] = [[0, 'BUY'], [1, 'SELL'], [0, 'SELL'], [1, 'BUY']];
  const errorCodes = new Map<string, number>();
  const result = await autocannon({
    url, connections, pipelining: 1, duration: durationS, ...(overallRate === undefined ? {} : { overallRate }),
    requests: [{
      method: 'POST', path: '/fapi/v1/order',
      // autocannon resets a connection's context after each pass over `requests`, so the cycle
      // position comes from the global request counter instead.
      setupRequest: (request: Record<string, unknown>) => {
        const id = counter.next++;
        const [who, side] = plan[id % 4]!;
        const account = accounts[who];
        request['headers'] = { 'content-type': 'application/x-www-form-urlencoded', 'X-MBX-APIKEY': account.apiKey };
        request['body'] = signedBody(account, side, id, Date.now());
        return request;
      },
      onResponse: (status: number, body: string) => {
        if (status === 200) return;
        const code = /"code":(-?\d+)/.exec(body)?.[1] ?? String(status);
        errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
      },
    }],
  });
  const serverCpuS = processCpuSeconds(serverPid) - serverCpuBefore;
  const mainCpuS = processCpuSeconds(serverPid, serverPid) - mainCpuBefore;
  const requests = Math.max(1, result.requests.total);
  return {
    requestsPerSec: Math.round(result.requests.average), p50Ms: result.latency.p50, p90Ms: result.latency.p90,
    p99Ms: result.latency.p99, maxMs: result.latency.max, requests: result.requests.total, non2xx: result.non2xx,
    errors: result.errors, connections, durationS, errorCodes: Object.fromEntries(errorCodes),
    serverCpu: round2(serverCpuS / ((Date.now() - wallBefore) / 1000)),
    serverMainThreadCpu: round2(mainCpuS / ((Date.now() - wallBefore) / 1000)),
    serverCpuUsPerRequest: Math.round((serverCpuS * 1e6) / requests),
    serverMainThreadUsPerRequest: Math.round((mainCpuS * 1e6) / requests),
    loadGeneratorCpu: round2(cpuSeconds(process.cpuUsage(ownCpuBefore)) / ((Date.now() - wallBefore) / 1000)),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

interface FanoutFigures {
  readonly subscribers: number;
  readonly messages: number;
  readonly messagesPerSec: number;
  readonly perSubscriberPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly connectMs: number;
}

async function fanout(url: string, accounts: [CreatedAccount, CreatedAccount], subscribers: number, durationS: number,
  counter: { next: number }, serverPid: number): Promise<FanoutFigures> {
  const wsUrl = `${url.replace(/^http/, 'ws')}/ws/btcusdt@depth@100ms`;
  const sockets: WebSocket[] = [];
  const delays: number[] = [];
  let messages = 0;
  let measuring = false;
  const connectStart = Date.now();
  for (let i = 0; i < subscribers; i += 100) {
    const batch = Array.from({ length: Math.min(100, subscribers - i) }, () => new Promise<void>((done, fail) => {
      const socket = new WebSocket(wsUrl);
      socket.once('open', () => done());
      socket.once('error', fail);
      socket.on('message', (data: Buffer) => {
        if (!measuring) return;
        messages++;
        // Sample the delay on a subset to keep the client's own cost down.
        if ((messages & 15) === 0) delays.push(Date.now() - (JSON.parse(data.toString()) as { E: number }).E);
      });
      sockets.push(socket);
    }));
    await Promise.all(batch);
  }
  const connectMs = Date.now() - connectStart;
  measuring = true;
  const started = Date.now();
  // Keep the book moving: a modest order flow on 4 connections for the whole window.
  await orderLoad(url, accounts, 4, durationS, counter, serverPid);
  const elapsedS = (Date.now() - started) / 1000;
  measuring = false;
  for (const socket of sockets) socket.terminate();
  delays.sort((a, b) => a - b);
  const quantile = (q: number): number => delays.length === 0 ? 0 : delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
  return {
    subscribers, messages, messagesPerSec: Math.round(messages / elapsedS),
    perSubscriberPerSec: Math.round((messages / elapsedS / subscribers) * 10) / 10, p50Ms: quantile(0.5), p99Ms: quantile(0.99),
    connectMs,
  };
}

export async function runApiBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const fsync = !argv.includes('--no-fsync');
  const durationS = option(argv, '--duration', 10);
  const connections = option(argv, '--connections', 64);
  const subscribers = option(argv, '--subscribers', 1000);
  const pacedRate = option(argv, '--paced-rate', 5000);
  const pacedConnections = option(argv, '--paced-connections', 16);
  const dataDir = mkdtempSync(join(tmpdir(), 'perpx-bench-api-'));
  const profileAt = argv.indexOf('--profile');
  const profileDir = profileAt < 0 ? undefined : resolve(argv[profileAt + 1] ?? 'runs/api-profile');
  const server = await startServer(dataDir, fsync, profileDir);
  try {
    const admin = new AdminClient({ url: server.url, token: 'bench-token' });
    await admin.fundInsurance('1000000');
    await admin.setIndexPrice('BTCUSDT', '60000');
    const accounts: [CreatedAccount, CreatedAccount] = [await admin.createAccount('10000000'), await admin.createAccount('10000000')];
    const counter = { next: 1 };
    if (!json) console.log(`server ${server.url} (fsync ${fsync ? 'on' : 'off'}); warming up…`);
    await orderLoad(server.url, accounts, connections, 3, counter, server.child.pid!);
    const rest = await orderLoad(server.url, accounts, connections, durationS, counter, server.child.pid!);
    if (!json) {
      console.log(`REST signed orders: ${rest.requestsPerSec} req/s, p50 ${rest.p50Ms} ms, p90 ${rest.p90Ms} ms, p99 ${rest.p99Ms} ms ` +
        `(${connections} connections, ${rest.requests} requests, non-2xx ${rest.non2xx} ${JSON.stringify(rest.errorCodes)}, ` +
        `errors ${rest.errors}); CPU: server ${rest.serverCpu} core (main thread ${rest.serverMainThreadCpu}; ` +
        `${rest.serverCpuUsPerRequest} µs/request, main thread ${rest.serverMainThreadUsPerRequest} µs), ` +
        `load generator ${rest.loadGeneratorCpu} core`);
    }
    // The same flow offered at a fixed rate below saturation: latency without the queueing of a
    // saturated single writer.
    const paced = await orderLoad(server.url, accounts, pacedConnections, durationS, counter, server.child.pid!, pacedRate);
    if (!json) {
      console.log(`REST at a paced ${pacedRate} req/s (${pacedConnections} connections): ${paced.requestsPerSec} req/s, p50 ${paced.p50Ms} ms, p90 ${paced.p90Ms} ms, ` +
        `p99 ${paced.p99Ms} ms, max ${paced.maxMs} ms`);
    }
    const ws = await fanout(server.url, accounts, subscribers, durationS, counter, server.child.pid!);
    if (!json) {
      console.log(`WS depth fan-out: ${subscribers} subscribers, ${ws.messagesPerSec} msg/s (${ws.perSubscriberPerSec}/subscriber), ` +
        `delay p50 ${ws.p50Ms} ms, p99 ${ws.p99Ms} ms`);
    }
    const ledger = await admin.ledger();
    const figures = { bench: 'api', fsync, rest, restPaced: { ratePerSec: pacedRate, ...paced }, ws, ledgerOk: ledger.ok, cpus: (await import('node:os')).cpus().length };
    console.log(json ? JSON.stringify(figures) : `ledger ok: ${ledger.ok}`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
