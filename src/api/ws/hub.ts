/**
 * @module api/ws/hub
 * WebSocket endpoints on the API port: /ws, /stream and the /public, /market and /private variants
 * (a trailing numeric segment — ccxt pro's connection index — is ignored), streams named in the
 * path or `?streams=`, SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY,
 * and user data via a listenKey in the path or `?listenKey=`. Paths ending in /stream get the
 * combined `{"stream","data"}` envelope, /ws paths the raw payload. Every payload is serialised
 * once per event and the same string goes to every subscriber.
 *
 * Depth diff streams batch the per-entry level changes of the projector: U = first, u = last update
 * id (entry seq) in the batch, pu = u of the previous message of that stream (or the book's
 * lastUpdateId when the batch chain started), which is exactly the chain REST depth snapshots
 * plug into (reference §4.4).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Instrument } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { clientKeyOf } from '../net/client-address.js';
import type { ListenKeyRecord } from './listen-keys.js';
import type { LevelChange } from '../read-models/depth.js';
import type { LiveSink, ProjectedEntry, PublicTrade } from '../read-models/projector.js';
import { ticker24h } from '../read-models/ticker.js';
import {
  aggTradePayload, bookTickerPayload, depthPayload, forceOrderPayload, klinePayload, markPricePayload, parseStream,
  tickerPayload, tradePayload, type StreamSpec,
} from './streams.js';
import { accountChanges, accountUpdate, leverageUpdate, marginCall, orderTradeUpdate } from './user-events.js';
import { enforceSendBudget, QUEUED_MESSAGE_OVERHEAD_BYTES, type Consumer, type WsBufferLimits } from './send-budget.js';
import { KlineTicker } from './kline-ticker.js';
import { leadStreamMessages, leadStreamName } from './lead-stream.js';

export { DEFAULT_WS_BUFFER_LIMITS, type WsBufferLimits } from './send-budget.js';

const MAX_STREAMS_PER_CONNECTION = 1024;
const MAX_MESSAGES_PER_SECOND = 50;
const HEARTBEAT_MS = 180_000;
/** RFC 6455 close code for a server going down. */
const GOING_AWAY = 1001;
/** How long shutdown waits for clients to answer the close frame before cutting them. */
const CLOSE_GRACE_MS = 1_000;
/** How often the per-client and total send budgets are enforced (the per-connection one on every send). */
const SEND_BUDGET_SWEEP_MS = 250;
const MARGIN_CALL_EVERY_MS = 60_000;
const TIMER_PERIODS = [100, 250, 500, 1000, 3000];

class Connection implements Consumer {
  readonly subscriptions = new Set<string>();
  listenKey: ListenKeyRecord | undefined;
  alive = true;
  private windowStartMs = 0;
  private messagesInWindow = 0;
  /** Messages handed to the socket and not yet written out to the kernel. */
  private queuedMessages = 0;
  private readonly onWritten = (): void => {
    this.queuedMessages--;
  };

  constructor(readonly socket: WebSocket, public combined: boolean, readonly clientKey: string,
    private readonly maxQueuedBytes: number) {}

  queuedBytes(): number {
    return this.queuedMessages === 0 ? 0 : this.socket.bufferedAmount + this.queuedMessages * QUEUED_MESSAGE_OVERHEAD_BYTES;
  }

  /** Closes the connection without a close frame (send-budget.ts explains why). */
  drop(): void {
    this.socket.terminate();
  }

  send(text: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    // A consumer that cannot keep up is cut off rather than buffered without bound.
    if (this.queuedMessages > 0 && this.queuedBytes() > this.maxQueuedBytes) {
      this.drop();
      return;
    }
    this.queuedMessages++;
    this.socket.send(text, this.onWritten);
  }

  /** True while the client stays within the incoming message rate. */
  countMessage(nowMs: number): boolean {
    if (nowMs - this.windowStartMs >= 1000) {
      this.windowStartMs = nowMs;
      this.messagesInWindow = 0;
    }
    return ++this.messagesInWindow <= MAX_MESSAGES_PER_SECOND;
  }
}

interface Subscription {
  readonly spec: StreamSpec;
  readonly connections: Set<Connection>;
}

/** Pending diff-depth batch for one symbol and period. */
interface DepthBatch {
  readonly symbol: string;
  readonly periodMs: number;
  readonly streams: Set<string>;
  readonly pending: Map<string, LevelChange>;
  firstId: number;
  lastId: number;
  previousId: number;
}

export class WsHub implements LiveSink {
  readonly server = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly connections = new Set<Connection>();
  private readonly streams = new Map<string, Subscription>();
  private readonly depthBatches = new Map<string, DepthBatch>();
  private readonly partialLastId = new Map<string, number>();
  private readonly userConnections = new Map<number, Set<Connection>>();
  private readonly klineDirty = new Set<string>();
  private readonly klineTicker: KlineTicker;
  private readonly lastMarginCall = new Map<number, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly symbols: ReadonlySet<string>;
  /** Subscribed `<accountId>@leadTrades` streams (entries are only searched for lead events while > 0). */
  private leadStreams = 0;

  constructor(private readonly ctx: ApiContext, private readonly limits: WsBufferLimits) {
    this.symbols = new Set(ctx.instruments.keys());
    this.klineTicker = new KlineTicker(ctx.klines);
    ctx.listenKeys.onExpired = (record, nowMs) => this.expireListenKey(record, nowMs);
    for (const period of TIMER_PERIODS) {
      const timer = setInterval(() => this.tick(period), period);
      timer.unref();
      this.timers.push(timer);
    }
    const budget = setInterval(() => enforceSendBudget(this.connections, limits), SEND_BUDGET_SWEEP_MS);
    budget.unref();
    this.timers.push(budget);
    const heartbeat = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    heartbeat.unref();
    this.timers.push(heartbeat);
    const expiry = setInterval(() => ctx.listenKeys.expire(ctx.now()), 10_000);
    expiry.unref();
    this.timers.push(expiry);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Shutdown: every socket gets a close frame (1001 "going away", as a server restarting sends), so
   * clients see a clean close and reconnect; one that has not completed the handshake within
   * CLOSE_GRACE_MS (or never reads) is then cut.
   */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    const sockets = [...this.connections].map((connection) => connection.socket);
    const closed = sockets.map((socket) => new Promise<void>((resolve) => {
      if (socket.readyState === socket.CLOSED) resolve();
      else socket.once('close', () => resolve());
    }));
    for (const socket of sockets) socket.close(GOING_AWAY, 'server shutting down');
    const grace = setTimeout(() => { for (const socket of sockets) socket.terminate(); }, CLOSE_GRACE_MS);
    await Promise.all(closed);
    clearTimeout(grace);
    this.server.close();
  }

  // ---- connections ----------------------------------------------------------------------------

  /** HTTP upgrade handler: routes the path, then completes the WebSocket handshake. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const route = this.route(request.url ?? '/');
    if (typeof route === 'string') {
      socket.end(`HTTP/1.1 ${route}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const clientKey = clientKeyOf(request.socket.remoteAddress);
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, route, clientKey));
  }

  private route(url: string): { combined: boolean; streams: string[]; listenKey: ListenKeyRecord | undefined } | string {
    let parsed: URL;
    try {
      parsed = new URL(url, 'http://localhost');
    } catch {
      return '400 Bad Request';
    }
    const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
    if (segments.length > 0 && ['public', 'market', 'private'].includes(segments[0]!)) segments.shift();
    const mode = segments.shift();
    if (mode !== 'ws' && mode !== 'stream') return '404 Not Found';
    const streams: string[] = [];
    let listenKey: ListenKeyRecord | undefined;
    const nowMs = this.ctx.now();
    const names = [...segments, ...(parsed.searchParams.get('streams')?.split('/') ?? [])].filter((name) => name !== '');
    const queryKey = parsed.searchParams.get('listenKey');
    if (queryKey !== null && queryKey !== '') names.push(queryKey);
    for (const name of names) {
      if (/^\d{1,4}$/.test(name)) continue;
      if (parseStream(name, this.symbols) !== undefined) {
        streams.push(name);
        continue;
      }
      const record = this.ctx.listenKeys.get(name, nowMs);
      if (record === undefined) return '400 Bad Request';
      listenKey = record;
    }
    if (streams.length > MAX_STREAMS_PER_CONNECTION) return '400 Bad Request';
    return { combined: mode === 'stream', streams, listenKey };
  }

  private accept(socket: WebSocket, route: { combined: boolean; streams: string[]; listenKey: ListenKeyRecord | undefined },
    clientKey: string): void {
    const connection = new Connection(socket, route.combined, clientKey, this.limits.wsBufferPerConnectionBytes);
    this.connections.add(connection);
    for (const name of route.streams) this.subscribe(connection, name);
    if (route.listenKey !== undefined) this.attachUser(connection, route.listenKey);
    socket.on('message', (data: RawData, isBinary: boolean) => this.onMessage(connection, data, isBinary));
    socket.on('pong', () => { connection.alive = true; });
    socket.on('close', () => this.drop(connection));
    socket.on('error', () => socket.terminate());
  }

  private drop(connection: Connection): void {
    this.connections.delete(connection);
    for (const name of [...connection.subscriptions]) this.unsubscribe(connection, name);
    if (connection.listenKey !== undefined) this.detachUser(connection);
  }

  private heartbeat(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  private attachUser(connection: Connection, record: ListenKeyRecord): void {
    connection.listenKey = record;
    let set = this.userConnections.get(record.accountId);
    if (set === undefined) {
      set = new Set();
      this.userConnections.set(record.accountId, set);
    }
    set.add(connection);
  }

  private detachUser(connection: Connection): void {
    const record = connection.listenKey;
    if (record === undefined) return;
    const set = this.userConnections.get(record.accountId);
    set?.delete(connection);
    if (set?.size === 0) this.userConnections.delete(record.accountId);
    connection.listenKey = undefined;
  }

  private expireListenKey(record: ListenKeyRecord, nowMs: number): void {
    const set = this.userConnections.get(record.accountId);
    if (set === undefined) return;
    for (const connection of [...set]) {
      if (connection.listenKey?.listenKey !== record.listenKey) continue;
      this.sendUser(connection, { e: 'listenKeyExpired', E: nowMs, listenKey: record.listenKey });
      this.detachUser(connection);
    }
  }

  // ---- control messages ----------------------------------------------------------------------

  private onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    if (!connection.countMessage(this.ctx.now())) {
      connection.socket.close(1008, 'Too many requests');
      return;
    }
    const reply = (body: Record<string, unknown>): void => connection.send(JSON.stringify(body));
    const fail = (id: unknown, code: number, msg: string): void => reply({ error: { code, msg }, id: id ?? null });
    if (isBinary) return fail(null, 3, 'Invalid JSON: binary frames are not supported');
    let message: unknown;
    try {
      message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'));
    } catch {
      return fail(null, 3, 'Invalid JSON: expected value at line 1 column 1');
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return fail(null, 2, 'Invalid request: expected an object');
    }
    const { method, params, id } = message as { method?: unknown; params?: unknown; id?: unknown };
    if (id !== undefined && id !== null && !(typeof id === 'number' && Number.isSafeInteger(id) && id >= 0)) {
      return fail(null, 2, 'Invalid request: request ID must be an unsigned integer');
    }
    if (typeof method !== 'string') return fail(id, 2, 'Invalid request: missing field `method`');
    const names = Array.isArray(params) ? params : [];
    switch (method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        if (!Array.isArray(params) || params.some((name) => typeof name !== 'string')) {
          return fail(id, 2, 'Invalid request: params must be a list of stream names');
        }
        const unknown = (names as string[]).find((name) => parseStream(name, this.symbols) === undefined);
        if (unknown !== undefined) return fail(id, 2, `Invalid request: unknown stream '${unknown.slice(0, 64)}'`);
        if (method === 'SUBSCRIBE') {
          if (connection.subscriptions.size + names.length > MAX_STREAMS_PER_CONNECTION) {
            return fail(id, 2, `Invalid request: at most ${MAX_STREAMS_PER_CONNECTION} streams per connection`);
          }
          for (const name of names as string[]) this.subscribe(connection, name);
        } else {
          for (const name of names as string[]) this.unsubscribe(connection, name);
        }
        return reply({ result: null, id: id ?? null });
      }
      case 'LIST_SUBSCRIPTIONS':
        return reply({ result: [...connection.subscriptions], id: id ?? null });
      case 'SET_PROPERTY':
        if (names[0] !== 'combined' || typeof names[1] !== 'boolean') {
          return fail(id, 2, 'Invalid request: SET_PROPERTY takes ["combined", true|false]');
        }
        connection.combined = names[1];
        return reply({ result: null, id: id ?? null });
      case 'GET_PROPERTY':
        if (names[0] !== 'combined') return fail(id, 2, 'Invalid request: unknown property');
        return reply({ result: connection.combined, id: id ?? null });
      default:
        return fail(id, 2, `Invalid request: unknown variant \`${method.slice(0, 32)}\`, expected one of \`SUBSCRIBE\`, ` +
          '`UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`');
    }
  }

  private subscribe(connection: Connection, name: string): void {
    const spec = parseStream(name, this.symbols);
    if (spec === undefined || connection.subscriptions.has(name)) return;
    connection.subscriptions.add(name);
    let subscription = this.streams.get(name);
    if (subscription === undefined) {
      subscription = { spec, connections: new Set() };
      this.streams.set(name, subscription);
      if (spec.kind === 'depthDiff') this.addDepthStream(spec);
      if (spec.kind === 'leadTrades') this.leadStreams++;
    }
    subscription.connections.add(connection);
  }

  private unsubscribe(connection: Connection, name: string): void {
    if (!connection.subscriptions.delete(name)) return;
    const subscription = this.streams.get(name);
    if (subscription === undefined) return;
    subscription.connections.delete(connection);
    if (subscription.connections.size > 0) return;
    this.streams.delete(name);
    if (subscription.spec.kind === 'depthDiff') this.removeDepthStream(subscription.spec);
    if (subscription.spec.kind === 'leadTrades') this.leadStreams--;
    this.partialLastId.delete(name);
    this.klineTicker.forget(name);
  }

  private addDepthStream(spec: StreamSpec): void {
    const key = `${spec.symbol}|${spec.periodMs}`;
    let batch = this.depthBatches.get(key);
    if (batch === undefined) {
      const lastId = this.ctx.market.get(spec.symbol)?.depth.lastUpdateId ?? 0;
      batch = { symbol: spec.symbol, periodMs: spec.periodMs, streams: new Set(), pending: new Map(), firstId: 0, lastId,
        previousId: lastId };
      this.depthBatches.set(key, batch);
    }
    batch.streams.add(spec.name);
  }

  private removeDepthStream(spec: StreamSpec): void {
    const key = `${spec.symbol}|${spec.periodMs}`;
    const batch = this.depthBatches.get(key);
    if (batch === undefined) return;
    batch.streams.delete(spec.name);
    if (batch.streams.size === 0) this.depthBatches.delete(key);
  }

  // ---- publishing ----------------------------------------------------------------------------

  private has(name: string): boolean {
    return this.streams.has(name);
  }

  publish(name: string, payload: unknown): void {
    const subscription = this.streams.get(name);
    if (subscription === undefined) return;
    let raw: string | undefined;
    let wrapped: string | undefined;
    for (const connection of subscription.connections) {
      raw ??= JSON.stringify(payload);
      if (connection.combined) {
        wrapped ??= `{"stream":${JSON.stringify(name)},"data":${raw}}`;
        connection.send(wrapped);
      } else {
        connection.send(raw);
      }
    }
  }

  private sendUser(connection: Connection, payload: unknown): void {
    const raw = JSON.stringify(payload);
    const key = connection.listenKey?.listenKey ?? '';
    connection.send(connection.combined ? `{"stream":${JSON.stringify(key)},"data":${raw}}` : raw);
  }

  private instrument(symbol: string): Instrument | undefined {
    return this.ctx.instruments.get(symbol);
  }

  onEntry(projected: ProjectedEntry): void {
    const nowMs = this.ctx.now();
    for (const [symbol, changes] of projected.depth) this.onDepth(symbol, projected.seq, changes, nowMs);
    if (projected.trades.length > 0) this.onTrades(projected.trades, nowMs);
    for (const event of projected.entry.events) {
      if (event.type === 'Liquidation') {
        const instrument = this.instrument(event.symbol);
        if (instrument === undefined) continue;
        const payload = forceOrderPayload(instrument, event, nowMs);
        this.publish(`${event.symbol.toLowerCase()}@forceOrder`, payload);
        this.publish('!forceOrder@arr', payload);
      } else if (event.type === 'MarkPriceUpdated' && this.userConnections.size > 0) {
        this.checkMarginCalls(event.symbol, nowMs);
      }
    }
    if (this.userConnections.size > 0) this.userEvents(projected, nowMs);
    if (this.leadStreams > 0) this.leadEvents(projected, nowMs);
  }

  /** Lead portfolios' fills and positions, for leads someone watches and that share live (ws/lead-stream.ts). */
  private leadEvents(projected: ProjectedEntry, nowMs: number): void {
    const wanted = (accountId: number): boolean => this.has(leadStreamName(accountId))
      && this.ctx.copySharing.isSharing(accountId) && this.ctx.engine.isLeadPortfolio(accountId);
    for (const [accountId, payload] of leadStreamMessages(this.ctx, projected.entry.events, wanted, nowMs)) {
      this.publish(leadStreamName(accountId), payload);
    }
  }

  private onDepth(symbol: string, seq: number, changes: readonly LevelChange[], nowMs: number): void {
    for (const batch of this.depthBatches.values()) {
      if (batch.symbol !== symbol) continue;
      if (batch.pending.size === 0) batch.firstId = seq;
      batch.lastId = seq;
      for (const change of changes) batch.pending.set(`${change.side}${change.priceTicks}`, change);
    }
    const lower = symbol.toLowerCase();
    if (this.has(`${lower}@bookTicker`) || this.has('!bookTicker')) {
      const state = this.ctx.market.get(symbol);
      if (state !== undefined) {
        const payload = bookTickerPayload(state, nowMs);
        this.publish(`${lower}@bookTicker`, payload);
        this.publish('!bookTicker', payload);
      }
    }
  }

  private onTrades(trades: readonly PublicTrade[], nowMs: number): void {
    let group: PublicTrade[] = [];
    const flushGroup = (): void => {
      if (group.length === 0) return;
      const instrument = this.instrument(group[0]!.symbol);
      if (instrument !== undefined) this.publish(`${instrument.symbol.toLowerCase()}@aggTrade`, aggTradePayload(instrument, group, nowMs));
      group = [];
    };
    for (const trade of trades) {
      const instrument = this.instrument(trade.symbol);
      if (instrument === undefined) continue;
      this.klineDirty.add(trade.symbol);
      this.publish(`${trade.symbol.toLowerCase()}@trade`, tradePayload(instrument, trade, nowMs));
      if (group.length > 0 && (group[0]!.aggId !== trade.aggId || group[0]!.symbol !== trade.symbol)) flushGroup();
      group.push(trade);
    }
    flushGroup();
  }

  private userEvents(projected: ProjectedEntry, nowMs: number): void {
    const wanted = (accountId: number): boolean => this.userConnections.has(accountId);
    const send = (accountId: number, payload: unknown): void => {
      for (const connection of this.userConnections.get(accountId) ?? []) this.sendUser(connection, payload);
    };
    for (const event of projected.entry.events) {
      if (event.type === 'OrderUpdate' && wanted(event.order.accountId)) {
        const instrument = this.instrument(event.order.symbol);
        if (instrument !== undefined) send(event.order.accountId, orderTradeUpdate(instrument, event, nowMs));
      } else if (event.type === 'LeverageChanged' && wanted(event.accountId)) {
        send(event.accountId, leverageUpdate(event.symbol, event.leverage, nowMs));
      }
    }
    for (const [accountId, changes] of accountChanges(projected.entry.events, wanted)) {
      const view = this.ctx.engine.accountView(accountId);
      send(accountId, accountUpdate(changes, view, this.ctx.instruments,
        (symbol) => this.ctx.market.get(symbol)?.mark.markTicks ?? 0, nowMs));
    }
  }

  private checkMarginCalls(symbol: string, nowMs: number): void {
    for (const [accountId, connections] of this.userConnections) {
      const last = this.lastMarginCall.get(accountId) ?? 0;
      if (nowMs - last < MARGIN_CALL_EVERY_MS) continue;
      const view = this.ctx.engine.accountView(accountId);
      if (view === undefined || !view.positions.some((position) => position.symbol === symbol && position.sizeLots !== 0)) continue;
      const payload = marginCall(view, this.ctx.instruments, nowMs);
      if (payload === undefined) continue;
      this.lastMarginCall.set(accountId, nowMs);
      for (const connection of connections) this.sendUser(connection, payload);
    }
  }

  // ---- timed streams -------------------------------------------------------------------------

  private tick(periodMs: number): void {
    if (this.streams.size === 0) return;
    const nowMs = this.ctx.now();
    for (const batch of this.depthBatches.values()) {
      if (batch.periodMs !== periodMs || batch.pending.size === 0) continue;
      const instrument = this.instrument(batch.symbol)!;
      const bids: [number, number][] = [];
      const asks: [number, number][] = [];
      for (const change of batch.pending.values()) (change.side === 'bid' ? bids : asks).push([change.priceTicks, change.qtyLots]);
      bids.sort((a, b) => b[0] - a[0]);
      asks.sort((a, b) => a[0] - b[0]);
      const payload = depthPayload(instrument, batch.firstId, batch.lastId, batch.previousId, bids, asks, nowMs);
      batch.previousId = batch.lastId;
      batch.pending.clear();
      for (const name of batch.streams) this.publish(name, payload);
    }
    for (const [name, subscription] of this.streams) {
      const spec = subscription.spec;
      if (spec.periodMs !== periodMs) continue;
      this.timedStream(name, spec, nowMs);
    }
    if (periodMs === 250) this.klineDirty.clear();
  }

  private timedStream(name: string, spec: StreamSpec, nowMs: number): void {
    const market = this.ctx.market;
    switch (spec.kind) {
      case 'depthPartial': {
        const state = market.get(spec.symbol)!;
        const top = state.depth.top(spec.levels);
        const lastId = state.depth.lastUpdateId;
        const previous = this.partialLastId.get(name) ?? lastId;
        this.partialLastId.set(name, lastId);
        this.publish(name, depthPayload(state.instrument, lastId, lastId, previous, top.bids, top.asks, nowMs));
        return;
      }
      case 'markPrice': {
        if (spec.symbol === '') {
          this.publish(name, [...market.symbols.values()].filter((state) => state.mark.markTicks > 0)
            .map((state) => markPricePayload(state, nowMs)));
          return;
        }
        const state = market.get(spec.symbol)!;
        if (state.mark.markTicks > 0) this.publish(name, markPricePayload(state, nowMs));
        return;
      }
      case 'kline': {
        if (spec.interval === undefined) return;
        const instrument = this.instrument(spec.symbol)!;
        // Candles follow the venue's clock, which runs ahead of the wall after an operator advance.
        const venueMs = this.ctx.venueNow();
        for (const row of this.klineTicker.due(name, spec.symbol, spec.interval, this.klineDirty.has(spec.symbol), venueMs)) {
          this.publish(name, klinePayload(instrument, spec.interval, row, venueMs));
        }
        return;
      }
      case 'ticker':
      case 'miniTicker': {
        const states = spec.symbol === '' ? [...market.symbols.values()] : [market.get(spec.symbol)!];
        const payloads = states.map((state) =>
          tickerPayload(state.instrument, ticker24h(this.ctx.klines, state, this.ctx.venueNow()), nowMs, spec.kind === 'miniTicker'));
        this.publish(name, spec.symbol === '' ? payloads : payloads[0]);
        return;
      }
      case 'aggTrade':
      case 'trade':
      case 'bookTicker':
      case 'depthDiff':
      case 'forceOrder':
      case 'leadTrades':
        return;
    }
  }
}
