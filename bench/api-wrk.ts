/**
 * @module bench/api-wrk
 * The wrk phases of bench/api.ts: pre-signed order requests written to a file, wrk driving them
 * with bench/api-orders.lua, CPU accounting from /proc, and the bare node:http peer.
 *
 * wrk is a separate C process (one thread by default), so the load generator neither shares the
 * bench's event loop nor signs anything during the measured window: every request is signed
 * before the phase, with the same payload form and account/side cycle as the autocannon phases.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The Lua script wrk runs (shipped next to this file). */
export const WRK_SCRIPT = resolve(import.meta.dirname, 'api-orders.lua');

/** The executable's path when `name` is on PATH, else undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); with `thread`, only
 * that thread (the main thread's id is the pid: the thread that runs HTTP, the engine and the journal).
 */
export function processCpuSeconds(pid: number, thread?: number): number {
  try {
    const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds of this process's children that have exited and been reaped (cutime + cstime in
 * /proc/self/stat): the exact total of a child once it is gone, when /proc/<pid> no longer exists.
 */
function reapedChildrenCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Busy CPU seconds of the whole machine so far (every core; /proc/stat, idle and iowait excluded). */
export function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Writes `count` requests to `path` for api-orders.lua: a header line, then one line per request,
 * "<account index> <signed form body>". `next()` gives the next request (account index and body).
 */
export function writeOrderFile(path: string, count: number, next: () => [0 | 1, string]): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `perpx-orders ${count}\n`);
    let lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const [who, body] = next();
      lines.push(`${who} ${body}\n`);
      if (lines.length === 8192) {
        writeSync(fd, lines.join(''));
        lines = [];
      }
    }
    if (lines.length > 0) writeSync(fd, lines.join(''));
  } finally {
    closeSync(fd);
  }
}

/** What every load phase reports, whichever tool drove it. */
export interface LoadFigures {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Completed requests. */
  readonly requests: number;
  /** Answers that were not 2xx. */
  readonly non2xx: number;
  readonly errors: number;
  readonly connections: number;
  readonly durationS: number;
  /** Share of one core used by the server process (all threads) and by its main thread alone. */
  readonly serverCpu: number;
  readonly serverMainThreadCpu: number;
  /** Server CPU per request in µs: every thread, and the main thread alone. */
  readonly serverCpuUsPerRequest: number;
  readonly serverMainThreadUsPerRequest: number;
  /**
   * Cores used meanwhile by everything else on the machine (busy CPU from /proc/stat minus the
   * server and the load generator): ~0 on an idle machine; on a shared one it says how much of the
   * 2 cores the run did not have.
   */
  readonly otherCpu: number;
}

export interface WrkFigures extends LoadFigures {
  /** Socket errors (connect + read + write + timeout); `errors` is their sum. */
  readonly socketErrors: { readonly connect: number; readonly read: number; readonly write: number; readonly timeout: number };
  readonly threads: number;
  /** Distinct pre-signed requests in the file, and how often a thread's slice started over. */
  readonly preSigned: number;
  readonly wraps: number;
  /** Share of one core used by the wrk process during the load (its file loading excluded). */
  readonly wrkCpu: number;
  readonly wrkCpuUsPerRequest: number;
}

export interface WrkRun {
  /** Base URL of the server under load (http://127.0.0.1:port). */
  readonly url: string;
  readonly serverPid: number;
  readonly file: string;
  readonly preSigned: number;
  readonly apiKeys: readonly [string, string];
  readonly connections: number;
  readonly threads: number;
  readonly durationS: number;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** wrk's time format (format_time_us): "812.00us", "4.51ms", "1.02s", "1.00m". */
function parseWrkTimeMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  const value = Number(match[1]);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'us' | 'ms' | 's' | 'm' | 'h'];
  return round2(value * scale);
}

/** Runs wrk with api-orders.lua against `run.url` and measures it (see WrkFigures). */
export async function wrkLoad(run: WrkRun): Promise<WrkFigures> {
  const host = new URL(run.url).host;
  const durationS = Math.max(1, Math.round(run.durationS));
  const args = ['-t', String(run.threads), '-c', String(run.connections), '-d', `${durationS}s`, '--latency',
    '-s', WRK_SCRIPT, `${run.url}/fapi/v1/order`];
  const childrenCpuBefore = reapedChildrenCpuSeconds();
  const child: ChildProcess = spawn('wrk', args, {
    env: { ...process.env, PERPX_WRK_ORDERS: run.file, PERPX_WRK_THREADS: String(run.threads), PERPX_WRK_HOST: host,
      PERPX_WRK_KEY0: run.apiKeys[0], PERPX_WRK_KEY1: run.apiKeys[1] },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let ready = 0;
  // Sampled when the last thread has loaded its slice (the script says so on stderr, which is
  // unbuffered): the load starts right then, so file loading stays out of every CPU figure.
  let start: { wall: number; server: number; main: number; wrk: number; machine: number; own: NodeJS.CpuUsage } | undefined;
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr += text;
    ready += text.split('perpx-wrk ready').length - 1;
    if (start === undefined && ready >= run.threads) {
      start = { wall: Date.now(), server: processCpuSeconds(run.serverPid), main: processCpuSeconds(run.serverPid, run.serverPid),
        wrk: processCpuSeconds(child.pid!), machine: machineBusySeconds(), own: process.cpuUsage() };
    }
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', (exitCode) => done(exitCode));
  });
  const wallS = start === undefined ? Number.NaN : (Date.now() - start.wall) / 1000;
  const serverCpuS = processCpuSeconds(run.serverPid) - (start?.server ?? Number.NaN);
  const mainCpuS = processCpuSeconds(run.serverPid, run.serverPid) - (start?.main ?? Number.NaN);
  const wrkCpuS = reapedChildrenCpuSeconds() - childrenCpuBefore - (start?.wrk ?? Number.NaN);
  const machineS = machineBusySeconds() - (start?.machine ?? Number.NaN);
  const own = start === undefined ? undefined : process.cpuUsage(start.own);
  const ownS = own === undefined ? Number.NaN : (own.user + own.system) / 1e6;
  if (code !== 0 || start === undefined) throw new Error(`wrk failed (exit ${code}): ${stderr}${stdout}`);

  const percentile = (p: number): number => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)\\s*$`, 'm').exec(stdout);
    return match === null ? Number.NaN : parseWrkTimeMs(match[1]!);
  };
  const latencyLine = /^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(stdout);
  const total = /^\s+(\d+) requests in (\S+),/m.exec(stdout);
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(stdout);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const doneLine = /perpx-wrk done sent=(\d+) wraps=(\d+)/.exec(stdout);
  if (total === null || rate === null || doneLine === null) throw new Error(`cannot parse wrk's output:\n${stdout}${stderr}`);
  const requests = Number(total[1]);
  const socketErrors = { connect: Number(socket?.[1] ?? 0), read: Number(socket?.[2] ?? 0), write: Number(socket?.[3] ?? 0),
    timeout: Number(socket?.[4] ?? 0) };
  const perRequest = Math.max(1, requests);
  return {
    requestsPerSec: Math.round(Number(rate[1])), p50Ms: percentile(50), p90Ms: percentile(90), p99Ms: percentile(99),
    maxMs: latencyLine === null ? Number.NaN : parseWrkTimeMs(latencyLine[3]!),
    requests, non2xx: Number(non2xx?.[1] ?? 0),
    errors: socketErrors.connect + socketErrors.read + socketErrors.write + socketErrors.timeout, socketErrors,
    connections: run.connections, threads: run.threads, durationS, preSigned: run.preSigned, wraps: Number(doneLine[2]),
    serverCpu: round2(serverCpuS / wallS), serverMainThreadCpu: round2(mainCpuS / wallS),
    serverCpuUsPerRequest: Math.round((serverCpuS * 1e6) / perRequest),
    serverMainThreadUsPerRequest: Math.round((mainCpuS * 1e6) / perRequest),
    wrkCpu: round2(wrkCpuS / wallS), wrkCpuUsPerRequest: Math.round((wrkCpuS * 1e6) / perRequest),
    otherCpu: round2(Math.max(0, machineS - serverCpuS - wrkCpuS - ownS) / wallS),
  };
}

/** A captured perpx order response, replayed verbatim by the peer. */
export interface SampleResponse {
  readonly body: string;
  /** Flat [name, value, …] as perpx's raw path writes them (content-length included). */
  readonly headers: readonly string[];
}

/**
 * The peer: a bare node:http server that reads each request's whole body and answers 200 with a
 * fixed response (a real perpx order response: same headers, same body), through the same calls
 * perpx's raw path uses (setEncoding + string concatenation, one writeHead + end) and the same
 * server timeouts. It is the HTTP floor under perpx's order entry on this machine.
 */
const PEER_SOURCE = `
import { createServer } from 'node:http';
const { body, headers } = JSON.parse(process.env.PERPX_PEER_RESPONSE);
const server = createServer({ headersTimeout: 10000, requestTimeout: 30000, connectionsCheckingInterval: 1000 }, (req, res) => {
  let received = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { received += chunk; });
  req.on('end', () => {
    if (received.length === 0) { res.writeHead(400); res.end(); return; }
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 75000;
server.setTimeout(0);
server.listen(0, '127.0.0.1', () => console.log('peer listening on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

export interface Peer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A child process serving HTTP, started by spawnListening. */
export interface ListeningProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Spawns `node <args>` and waits for its "listening on <url>" line on stdout (stderr is kept for
 * the error when it exits first). stop() sends SIGTERM and waits for the exit.
 */
export async function spawnListening(label: string, args: readonly string[],
  options: { readonly cwd?: string; readonly env: NodeJS.ProcessEnv }): Promise<ListeningProcess> {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match !== null) done(match[1]!);
    });
    child.once('exit', (code) => fail(new Error(`${label} exited (${code}): ${output}`)));
  });
  return {
    url, child,
    stop: () => new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

/** Spawns the peer as its own process with the node flags the perpx server gets. */
export async function startPeer(workDir: string, sample: SampleResponse): Promise<Peer> {
  const script = join(workDir, 'peer.mjs');
  writeFileSync(script, PEER_SOURCE);
  const peer = await spawnListening('peer', ['--max-semi-space-size=64', script],
    { env: { ...process.env, PERPX_PEER_RESPONSE: JSON.stringify(sample) } });
  return { url: peer.url, pid: peer.child.pid!, stop: () => peer.stop() };
}
