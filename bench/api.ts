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
 * Then the wrk phases (bench/api-wrk.ts, bench/api-orders.lua), when `wrk` is on PATH: autocannon
 * and the signing in setupRequest cost ~0.3–0.5 core of the load generator on this 2-core machine,
 * which the server then lacks. Before the phase every request is pre-signed (same payload form and
 * account/side cycle, a distinct newClientOrderId each, timestamp = generation time, recvWindow
 * 60000; --wrk-max-rate × duration × 1.5 of them) into a file; wrk (--wrk-connections, default 64;
 * --wrk-threads, default 1) sends them in order, each at most once. Server CPU per request as in
 * the autocannon phases, plus wrk's own CPU. The peer: a bare node:http process (same node flags
 * as the server) that reads each body and answers with a captured perpx order response, driven by
 * the same script and request file right after perpx (perpx stopped); `vsPeer` = perpx req/s ÷
 * peer req/s. Every load phase also reports `otherCpu`: cores used meanwhile by other processes.
 * Without wrk these phases are skipped (a note on stderr; null figures).
 *
 * Usage: npm run bench -- api [--json] [--duration S] [--connections N] [--subscribers N] [--paced-rate N] [--paced-connections N]
 *   [--wrk-connections N] [--wrk-threads N] [--wrk-max-rate N] [--no-fsync] [--profile DIR]
 * (--profile writes a V8 CPU profile of the server process to DIR.)
 * With --json the last stdout line is one JSON object with every figure.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { AdminClient, type CreatedAccount } from '../src/api/admin-client.js';
import {
  findOnPath, machineBusySeconds, processCpuSeconds, spawnListening, startPeer, wrkLoad, writeOrderFile, type ListeningProcess,
  type LoadFigures, type SampleResponse, type WrkFigures,
} from './api-wrk.js';

const ROOT = resolve(import.meta.dirname, '..');

function option(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

type Server = ListeningProcess;

async function startServer(dataDir: string, fsync: boolean, profileDir: string | undefined): Promise<Server> {
  // The server runs exactly as `npm start` runs it: compiled JavaScript (built first) with the same
  // V8 flags, not through the TypeScript loader.
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { stdio: 'inherit' });
  const args = [...(profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]), '--max-semi-space-size=64',
    join(ROOT, 'bin/perpx.js'), 'serve', '--port', '0', '--data-dir', dataDir,
    '--rate-limit-weight', '1000000000', '--rate-limit-orders-10s', '1000000000', '--rate-limit-orders-1m', '1000000000',
    // Every load phase comes from one address (1,000 WebSocket subscribers and 64 HTTP connections).
    '--max-connections-per-ip', '100000',
    ...(fsync ? [] : ['--no-fsync'])];
  return spawnListening('server', args, { cwd: ROOT, env: { ...process.env, PERPX_ADMIN_TOKEN: 'bench-token' } });
}

/** The 4-step account/side cycle every load phase follows, indexed by request id % 4. */
const PLAN: readonly (readonly [0 | 1, 'BUY' | 'SELL'])[] = [[0, 'BUY'], [1, 'SELL'], [0, 'SELL'], [1, 'BUY']];

function signedBody(account: CreatedAccount, side: 'BUY' | 'SELL', id: number, nowMs: number): string {
  // Self-trade prevention pinned to NONE, the default before Binance's EXPIRE_MAKER was adopted: with
  // 64 connections an account's own orders cross at times, and the workload must stay the one the
  // earlier figures measured.
  const payload = `symbol=BTCUSDT&side=${side}&type=LIMIT&timeInForce=GTC&quantity=0.001&price=60000` +
    `&selfTradePreventionMode=NONE&newClientOrderId=b${id}&timestamp=${nowMs}&recvWindow=60000`;
  return `${payload}&signature=${createHmac('sha256', account.apiSecret).update(payload).digest('hex')}`;
}

interface RestFigures extends LoadFigures {
  /** Binance error code → count, for non-2xx answers. */
  readonly errorCodes: Record<string, number>;
  /** Share of one core used by this process (autocannon and the signing of every request). */
  readonly loadGeneratorCpu: number;
}

async function orderLoad(url: string, accounts: [CreatedAccount, CreatedAccount], connections: number, durationS: number,
  counter: { next: number }, serverPid: number, overallRate?: number): Promise<RestFigures> {
  const serverCpuBefore = processCpuSeconds(serverPid);
  const mainCpuBefore = processCpuSeconds(serverPid, serverPid);
  const ownCpuBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const wallBefore = Date.now();
  const errorCodes = new Map<string, number>();
  const result = await autocannon({
    url, connections, pipelining: 1, duration: durationS, ...(overallRate === undefined ? {} : { overallRate }),
    requests: [{
      method: 'POST', path: '/fapi/v1/order',
      // autocannon resets a connection's context after each pass over `requests`, so the cycle
      // position comes from the global request counter instead.
      setupRequest: (request: Record<string, unknown>) => {
        const id = counter.next++;
        const [who, side] = PLAN[id % 4]!;
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
  const ownCpuS = cpuSeconds(process.cpuUsage(ownCpuBefore));
  const otherCpuS = machineBusySeconds() - machineBefore - serverCpuS - ownCpuS;
  const requests = Math.max(1, result.requests.total);
  return {
    requestsPerSec: Math.round(result.requests.average), p50Ms: result.latency.p50, p90Ms: result.latency.p90,
    p99Ms: result.latency.p99, maxMs: result.latency.max, requests: result.requests.total, non2xx: result.non2xx,
    errors: result.errors, connections, durationS, errorCodes: Object.fromEntries(errorCodes),
    serverCpu: round2(serverCpuS / ((Date.now() - wallBefore) / 1000)),
    serverMainThreadCpu: round2(mainCpuS / ((Date.now() - wallBefore) / 1000)),
    serverCpuUsPerRequest: Math.round((serverCpuS * 1e6) / requests),
    serverMainThreadUsPerRequest: Math.round((mainCpuS * 1e6) / requests),
    loadGeneratorCpu: round2(ownCpuS / ((Date.now() - wallBefore) / 1000)),
    otherCpu: round2(Math.max(0, otherCpuS) / ((Date.now() - wallBefore) / 1000)),
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

/**
 * The wrk phases' requests are signed before the phase with timestamp = generation time and
 * recvWindow=60000, so generation + phase must stay well inside 60 s.
 */
const MAX_WRK_DURATION_S = 45;

/** perpx req/s ÷ peer req/s, to 3 decimals. */
function ratio(perpx: WrkFigures, peer: WrkFigures): number {
  return Math.round((perpx.requestsPerSec / peer.requestsPerSec) * 1000) / 1000;
}

/**
 * One real order (the next step of the cycle) sent with fetch: its answer (headers and body) is
 * what the peer sends back.
 */
async function sampleOrderResponse(url: string, accounts: [CreatedAccount, CreatedAccount], counter: { next: number }):
  Promise<SampleResponse> {
  const id = counter.next++;
  const [who, side] = PLAN[id % 4]!;
  const account = accounts[who];
  const response = await fetch(`${url}/fapi/v1/order`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-MBX-APIKEY': account.apiKey },
    body: signedBody(account, side, id, Date.now()),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`sample order answered ${response.status}: ${body}`);
  const headers: string[] = [];
  for (const name of ['x-mbx-used-weight-1m', 'x-mbx-order-count-10s', 'x-mbx-order-count-1m', 'content-type']) {
    const value = response.headers.get(name);
    if (value !== null) headers.push(name, value);
  }
  headers.push('content-length', String(Buffer.byteLength(body)));
  return { body, headers };
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
  const wrkConnections = option(argv, '--wrk-connections', 64);
  const wrkThreads = option(argv, '--wrk-threads', 1);
  const wrkMaxRate = option(argv, '--wrk-max-rate', 60_000);
  const workDir = mkdtempSync(join(tmpdir(), 'perpx-bench-api-wrk-'));
  const server = await startServer(dataDir, fsync, profileDir);
  let serverStopped = false;
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
        `load generator ${rest.loadGeneratorCpu} core, everything else ${rest.otherCpu} core`);
    }
    // The same flow offered at a fixed rate below saturation: latency without the queueing of a
    // saturated single writer.
    const paced = await orderLoad(server.url, accounts, pacedConnections, durationS, counter, server.child.pid!, pacedRate);
    if (!json) {
      console.log(`REST at a paced ${pacedRate} req/s (${pacedConnections} connections): ${paced.requestsPerSec} req/s, p50 ${paced.p50Ms} ms, p90 ${paced.p90Ms} ms, ` +
        `p99 ${paced.p99Ms} ms, max ${paced.maxMs} ms (everything else ${paced.otherCpu} core)`);
    }
    const ws = await fanout(server.url, accounts, subscribers, durationS, counter, server.child.pid!);
    if (!json) {
      console.log(`WS depth fan-out: ${subscribers} subscribers, ${ws.messagesPerSec} msg/s (${ws.perSubscriberPerSec}/subscriber), ` +
        `delay p50 ${ws.p50Ms} ms, p99 ${ws.p99Ms} ms`);
    }
    // wrk phases: perpx, then (after the ledger check, with perpx stopped) the bare node:http peer,
    // both with the same Lua script and the same file of pre-signed requests.
    let restWrk: WrkFigures | null = null;
    let peerWrk: (WrkFigures & { responseBytes: number }) | null = null;
    const wrkPath = findOnPath('wrk');
    let sample: SampleResponse | undefined;
    let preSigned = 0;
    const orders = join(workDir, 'orders.txt');
    const wrkDurationS = Math.min(durationS, MAX_WRK_DURATION_S);
    if (wrkPath === undefined) {
      console.error('wrk not on PATH (apt-get install wrk): skipping the wrk phases');
    } else {
      sample = await sampleOrderResponse(server.url, accounts, counter);
      // Enough distinct requests for the whole phase at up to --wrk-max-rate, on a multiple of
      // 4 × threads so every thread's slice keeps the 4-step cycle.
      const unit = 4 * wrkThreads;
      preSigned = Math.ceil((wrkMaxRate * wrkDurationS * 1.5) / unit) * unit;
      const generated = Date.now();
      writeOrderFile(orders, preSigned, () => {
        const id = counter.next++;
        const [who, side] = PLAN[id % 4]!;
        return [who, signedBody(accounts[who], side, id, Date.now())];
      });
      if (!json) {
        console.log(`wrk: ${preSigned} requests pre-signed in ${Date.now() - generated} ms` +
          `${wrkDurationS < durationS ? ` (wrk phases capped at ${wrkDurationS} s: the timestamps must stay inside recvWindow)` : ''}`);
      }
      restWrk = await wrkLoad({ url: server.url, serverPid: server.child.pid!, file: orders, preSigned,
        apiKeys: [accounts[0].apiKey, accounts[1].apiKey], connections: wrkConnections, threads: wrkThreads, durationS: wrkDurationS });
      if (!json) {
        console.log(`REST signed orders via wrk: ${restWrk.requestsPerSec} req/s, p50 ${restWrk.p50Ms} ms, p90 ${restWrk.p90Ms} ms, ` +
          `p99 ${restWrk.p99Ms} ms, max ${restWrk.maxMs} ms (${wrkConnections} connections, ${wrkThreads} wrk thread(s), ` +
          `${restWrk.requests} requests of ${preSigned} pre-signed${restWrk.wraps > 0 ? `, slice started over ${restWrk.wraps}×` : ''}, ` +
          `non-2xx ${restWrk.non2xx}, socket errors ${restWrk.errors}); ` +
          `CPU: server ${restWrk.serverCpu} core (main thread ${restWrk.serverMainThreadCpu}; ${restWrk.serverCpuUsPerRequest} µs/request, ` +
          `main thread ${restWrk.serverMainThreadUsPerRequest} µs), wrk ${restWrk.wrkCpu} core (${restWrk.wrkCpuUsPerRequest} µs/request), ` +
          `everything else ${restWrk.otherCpu} core`);
      }
    }
    const ledger = await admin.ledger();
    await server.stop();
    serverStopped = true;
    if (wrkPath !== undefined && sample !== undefined && restWrk !== null) {
      const peer = await startPeer(workDir, sample);
      try {
        const peerRun = { url: peer.url, serverPid: peer.pid, file: orders, preSigned,
          apiKeys: [accounts[0].apiKey, accounts[1].apiKey] as const, connections: wrkConnections, threads: wrkThreads };
        await wrkLoad({ ...peerRun, durationS: 1 }); // warm-up: perpx was warmed by the phases before
        peerWrk = { ...(await wrkLoad({ ...peerRun, durationS: wrkDurationS })), responseBytes: Buffer.byteLength(sample.body) };
      } finally {
        await peer.stop();
      }
      if (!json) {
        console.log(`bare node:http peer via wrk (same script and requests, the ${peerWrk.responseBytes}-byte perpx answer): ` +
          `${peerWrk.requestsPerSec} req/s, p50 ${peerWrk.p50Ms} ms, p90 ${peerWrk.p90Ms} ms, p99 ${peerWrk.p99Ms} ms, max ${peerWrk.maxMs} ms ` +
          `(non-2xx ${peerWrk.non2xx}, socket errors ${peerWrk.errors}); CPU: peer ${peerWrk.serverCpu} core ` +
          `(${peerWrk.serverCpuUsPerRequest} µs/request), wrk ${peerWrk.wrkCpu} core, everything else ${peerWrk.otherCpu} core; ` +
          `perpx ÷ peer ${ratio(restWrk, peerWrk)} (req/s); main-thread CPU per request ` +
          `${restWrk.serverMainThreadUsPerRequest} µs vs ${peerWrk.serverMainThreadUsPerRequest} µs`);
      }
    }
    const vsPeer = restWrk === null || peerWrk === null ? null : ratio(restWrk, peerWrk);
    // Less sensitive to other load on a shared machine than the rates: main-thread CPU per request.
    const cpuPerRequestVsPeer = restWrk === null || peerWrk === null ? null
      : Math.round((restWrk.serverMainThreadUsPerRequest / peerWrk.serverMainThreadUsPerRequest) * 10) / 10;
    const figures = { bench: 'api', fsync, rest, restPaced: { ratePerSec: pacedRate, ...paced }, ws, restWrk, peerWrk, vsPeer,
      cpuPerRequestVsPeer,
      ledgerOk: ledger.ok, cpus: (await import('node:os')).cpus().length };
    console.log(json ? JSON.stringify(figures) : `ledger ok: ${ledger.ok}`);
  } finally {
    if (!serverStopped) await server.stop();
    rmSync(workDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
