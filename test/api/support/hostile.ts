/**
 * Hostile-client tools for end-to-end tests, on real sockets: raw HTTP requests from a chosen
 * loopback source address (Linux routes all of 127.0.0.0/8 to lo, so 127.0.0.x act as distinct
 * client IPs), connections that send a request's headers and then trickle or withhold the body,
 * and the server process's resident memory.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { CreatedAccount } from '../../../src/api/admin-client.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly body: { code?: number; msg?: string } & Record<string, unknown>;
}

export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Source address, e.g. 127.0.0.7 (default: the kernel's choice, 127.0.0.1). */
  readonly from?: string;
  /** Fails the request after this long (default 10 s). */
  readonly timeoutMs?: number;
}

/** One HTTP request on its own connection (no keep-alive pool), from `from`. */
export function rawRequest(url: string, options: RawRequest): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: target.hostname, port: target.port, method: options.method ?? 'GET', path: options.path, agent: false,
      headers: { ...options.headers, ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }) },
      ...(options.from === undefined ? {} : { localAddress: options.from }),
      timeout: options.timeoutMs ?? 10_000,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => {
        let body: RawResponse['body'] = {};
        try {
          body = JSON.parse(text) as RawResponse['body'];
        } catch {
          // not JSON: the test looks at `text`
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`request ${options.path} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A Binance-signed query string (params, timestamp, recvWindow, signature last). */
export function signedQuery(account: CreatedAccount, params: Record<string, string | number>,
  timestamp = Date.now(), recvWindow?: number): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) query.set(key, String(value));
  query.set('timestamp', String(timestamp));
  if (recvWindow !== undefined) query.set('recvWindow', String(recvWindow));
  const payload = query.toString();
  return `${payload}&signature=${createHmac('sha256', account.apiSecret).update(payload).digest('hex')}`;
}

/** A signed request from `from` (all parameters in the query, as the binance SDK sends them). */
export function signedRaw(url: string, account: CreatedAccount, method: string, path: string,
  params: Record<string, string | number> = {}, options: { from?: string; recvWindow?: number } = {}): Promise<RawResponse> {
  return rawRequest(url, { method, path: `${path}?${signedQuery(account, params, Date.now(), options.recvWindow)}`,
    headers: { 'X-MBX-APIKEY': account.apiKey }, ...(options.from === undefined ? {} : { from: options.from }) });
}

/** Open connections that have sent a request's headers (or part of them) and then stall. */
export interface StalledConnections {
  /** Sockets still open (the server has not closed them). */
  open(): number;
  /** Sockets the server closed. */
  closedByServer(): number;
  /** Everything the server wrote back, per socket that wrote anything. */
  replies(): string[];
  close(): void;
}

export interface StallOptions {
  /** Source address (default 127.0.0.1). */
  readonly from?: string;
  /**
   * 'body' (default): a POST to an order route announcing `bodyBytes` of body (no API key needed),
   * of which only a few bytes come; 'headers': half a request line; 'nothing': not a byte.
   */
  readonly stage?: 'body' | 'headers' | 'nothing';
  readonly bodyBytes?: number;
  /** Send exactly this instead (a malformed request, say). */
  readonly raw?: string;
}

/**
 * Opens `count` connections that each send the start of a request and then stall (StallOptions).
 * Resolves once every socket has connected or failed (a refused or reset connection counts as
 * closed by the server).
 */
export async function stalledConnections(url: string, count: number, options: StallOptions = {}): Promise<StalledConnections> {
  const target = new URL(url);
  const sockets: Socket[] = [];
  const replies = new Map<Socket, string>();
  let closed = 0;
  const stages = {
    body: `POST /fapi/v1/order HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      `Content-Length: ${options.bodyBytes ?? 60_000}\r\n\r\nsymbol=BTCUSDT`,
    headers: 'POST /fapi/v1/ord',
    nothing: '',
  };
  const head = options.raw ?? stages[options.stage ?? 'body'];
  await Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve) => {
    const socket = connect({ host: target.hostname, port: Number(target.port), ...(options.from === undefined ? {} : { localAddress: options.from }) });
    sockets.push(socket);
    let settled = false;
    const settle = (): void => {
      if (!settled) {
        settled = true;
        resolve();
      }
    };
    socket.on('connect', () => {
      if (head !== '') socket.write(head);
      settle();
    });
    socket.on('data', (chunk: Buffer) => replies.set(socket, (replies.get(socket) ?? '') + chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed++;
      settle();
    });
  })));
  return {
    open: () => sockets.filter((socket) => !socket.destroyed).length,
    closedByServer: () => closed,
    replies: () => [...replies.values()],
    close: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** A client-to-server WebSocket text frame (clients must mask). */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 65_535) throw new Error('frame too long for this helper');
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length])
    : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) masked[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([header, mask, masked]);
}

export interface NonReaderOptions {
  readonly from?: string;
  /** A control message each connection sends this many times a second (it still never reads the answers). */
  readonly chatter?: string;
  readonly chatterPerSecond?: number;
}

/**
 * WebSocket clients that complete the handshake for `path` (streams in the path or query) and then
 * never read: the server's writes pile up in its send buffers. With `chatter` they keep asking for
 * answers they do not read; a write failing because the server dropped the connection counts it as
 * closed by the server. Resolves once all have connected.
 */
export async function nonReadingSubscribers(url: string, count: number, path: string, options: NonReaderOptions = {}):
  Promise<StalledConnections> {
  const target = new URL(url);
  const sockets: Socket[] = [];
  const replies = new Map<Socket, string>();
  let closed = 0;
  await Promise.all(Array.from({ length: count }, (_, index) => new Promise<void>((resolve) => {
    const socket = connect({ host: target.hostname, port: Number(target.port), ...(options.from === undefined ? {} : { localAddress: options.from }) });
    sockets.push(socket);
    const key = Buffer.from(`perpx-slow-${index}`.padEnd(16, '.').slice(0, 16)).toString('base64');
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
    // Read only the handshake answer, then stop reading for good.
    socket.once('data', (chunk: Buffer) => {
      replies.set(socket, chunk.toString('latin1').split('\r\n')[0]!);
      socket.pause();
      resolve();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed++;
      resolve();
    });
  })));
  let chatter: NodeJS.Timeout | undefined;
  if (options.chatter !== undefined) {
    const frame = maskedTextFrame(options.chatter);
    chatter = setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write(frame);
    }, Math.round(1000 / (options.chatterPerSecond ?? 10)));
  }
  return {
    open: () => sockets.filter((socket) => !socket.destroyed).length,
    closedByServer: () => closed,
    replies: () => [...replies.values()],
    close: () => {
      if (chatter !== undefined) clearInterval(chatter);
      for (const socket of sockets) socket.destroy();
    },
  };
}
