/**
 * @module api/net/connection-guard
 * Bounds the TCP connections of the API port (HTTP and WebSocket alike), in total and per client
 * (client-address.ts), so that clients can never take the descriptors the journal, snapshots and
 * read models need, and so that connections which hold a descriptor without making progress
 * cannot keep a well-behaved client out.
 *
 * Every HTTP connection is kept in an order of last progress (connected, or last request started);
 * WebSocket connections leave that order when they upgrade. At a limit the connection that has
 * made no progress for longest gives way to the newcomer — a slow-body or slow-header sender, or
 * an idle keep-alive connection: first among the newcomer's own client's connections when that
 * client is at its own limit, else among all. Only when every connection in the way is a
 * WebSocket is the newcomer refused (503, -1008). Header and body timeouts (server.ts) remove
 * stalled connections on their own; this handles a flood faster than the timeouts.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { clientKeyOf } from './client-address.js';

export interface ConnectionLimits {
  /** Open connections in total. */
  readonly maxConnections: number;
  /** Open connections per client (IPv4 address or IPv6 /64). */
  readonly maxConnectionsPerClient: number;
}

/** Descriptors kept back from clients: journal segments, snapshots, SQLite, sidecars, Node's own. */
export const RESERVED_DESCRIPTORS = 256;
/** Upper bound of the default total, whatever the descriptor limit (each connection costs memory too). */
export const MAX_DEFAULT_CONNECTIONS = 10_000;
export const DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 1_000;
/** Default total when the descriptor limit cannot be read. */
const FALLBACK_MAX_CONNECTIONS = 1_024 - RESERVED_DESCRIPTORS;
const MIN_CONNECTIONS = 16;

/** The process's soft limit on open files (Linux /proc; Node raises it to the hard limit at start). */
export function openFileLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line === null ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}

export function defaultConnectionLimits(descriptorLimit = openFileLimit()): ConnectionLimits {
  const maxConnections = descriptorLimit === undefined ? FALLBACK_MAX_CONNECTIONS
    : Math.max(MIN_CONNECTIONS, Math.min(MAX_DEFAULT_CONNECTIONS, descriptorLimit - RESERVED_DESCRIPTORS));
  return { maxConnections, maxConnectionsPerClient: Math.min(DEFAULT_MAX_CONNECTIONS_PER_CLIENT, maxConnections) };
}

interface Tracked {
  readonly client: ClientConnections;
  /** Still counted (false once closed or evicted). */
  open: boolean;
}

class ClientConnections {
  count = 0;
  /** This client's HTTP connections, least recent progress first. */
  readonly http = new Map<Socket, Tracked>();

  constructor(readonly key: string) {}
}

const OVERLOADED_BODY = JSON.stringify({ code: -1008, msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.' });
const OVERLOADED_RESPONSE = 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n' +
  `Content-Length: ${Buffer.byteLength(OVERLOADED_BODY)}\r\n\r\n${OVERLOADED_BODY}`;

export interface ConnectionStats {
  readonly open: number;
  readonly clients: number;
  readonly evicted: number;
  readonly refused: number;
}

export class ConnectionGuard {
  private readonly clients = new Map<string, ClientConnections>();
  private readonly sockets = new Map<Socket, Tracked>();
  /** All HTTP connections, least recent progress first. */
  private readonly http = new Map<Socket, Tracked>();
  private evicted = 0;
  private refused = 0;

  constructor(readonly limits: ConnectionLimits) {}

  /** Starts guarding a server's connections (call before it listens). */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  stats(): ConnectionStats {
    return { open: this.sockets.size, clients: this.clients.size, evicted: this.evicted, refused: this.refused };
  }

  /** A request started on this connection: it moves to the back of the eviction order. */
  progress(socket: Socket): void {
    const tracked = this.http.get(socket);
    if (tracked === undefined) return;
    this.http.delete(socket);
    this.http.set(socket, tracked);
    tracked.client.http.delete(socket);
    tracked.client.http.set(socket, tracked);
  }

  /** The connection became a WebSocket: it is bounded by the hub's buffer limits, not evicted here. */
  upgraded(socket: Socket): void {
    const tracked = this.http.get(socket);
    if (tracked === undefined) return;
    this.http.delete(socket);
    tracked.client.http.delete(socket);
  }

  private admit(socket: Socket): void {
    const key = clientKeyOf(socket.remoteAddress);
    let client = this.clients.get(key);
    if (client === undefined) {
      client = new ClientConnections(key);
      this.clients.set(key, client);
    }
    if (client.count >= this.limits.maxConnectionsPerClient ? !this.evictFrom(client.http)
      : this.sockets.size >= this.limits.maxConnections && !this.evictFrom(this.http)) {
      this.refuse(socket, client);
      return;
    }
    const tracked: Tracked = { client, open: true };
    client.count++;
    client.http.set(socket, tracked);
    this.http.set(socket, tracked);
    this.sockets.set(socket, tracked);
    socket.once('close', () => this.forget(socket, tracked));
  }

  /** Closes the first (least recently active) connection of `order`; false when there is none. */
  private evictFrom(order: Map<Socket, Tracked>): boolean {
    for (const [socket, tracked] of order) {
      this.forget(socket, tracked);
      socket.destroy();
      this.evicted++;
      return true;
    }
    return false;
  }

  private refuse(socket: Socket, client: ClientConnections): void {
    this.refused++;
    if (client.count === 0) this.clients.delete(client.key);
    // Written straight to the kernel (nothing is queued on a fresh socket), then closed at once, so
    // no request that may already be on its way is read and run on a refused connection.
    socket.on('error', () => undefined);
    socket.write(OVERLOADED_RESPONSE);
    socket.destroy();
  }

  private forget(socket: Socket, tracked: Tracked): void {
    if (!tracked.open) return;
    tracked.open = false;
    this.sockets.delete(socket);
    this.http.delete(socket);
    const client = tracked.client;
    client.http.delete(socket);
    if (--client.count === 0) this.clients.delete(client.key);
  }
}
