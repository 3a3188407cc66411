/**
 * @module api/surveillance/sockets
 * Surveillance's WebSocket streams on the API port:
 * - `/admin/v1/surveillance/stream` (operator: `Authorization: Bearer <token>` or an operator
 *   session cookie): every new alert as `{"e":"alert","alert":{…}}` the moment the audit log has it;
 *   `?severity=` sets a minimum, `?code=E1,E4` a list.
 * - `/perpx/v1/heatmap/stream?symbol=BTCUSDT[&step=&from=&to=]` (an account or operator session
 *   cookie, or `&listenKey=` from `POST /fapi/v1/listenKey`): the heatmap snapshot (as REST) at once
 *   and then at most once a second while surveillance processes new events.
 * A cross-site Origin is refused. Slow readers are cut off at 8 MiB of unsent data.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { WebSocket, WebSocketServer } from 'ws';
import { ALERT_CODES, SEVERITIES, type Alert, type AlertCode, type Severity } from '../../surveillance/alert.js';
import type { SurveillanceHost } from '../../surveillance/host.js';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { requireOperator } from '../web/operator-auth.js';
import { sameOrigin, sessionCredentials } from '../web/sessions.js';
import { heatmapSnapshot, type HeatmapParams } from './heatmap-query.js';

export const ALERT_STREAM_PATH = '/admin/v1/surveillance/stream';
export const HEATMAP_STREAM_PATH = '/perpx/v1/heatmap/stream';
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const HEATMAP_EVERY_MS = 1_000;
const MAX_SOCKETS = 1_000;

interface AlertSubscriber {
  readonly socket: WebSocket;
  readonly minSeverity: number;
  readonly codes: ReadonlySet<AlertCode> | undefined;
}

interface HeatmapSubscriber {
  readonly socket: WebSocket;
  readonly params: HeatmapParams;
  lastSeq: number;
}

function send(socket: WebSocket, text: string): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.terminate();
    return;
  }
  socket.send(text);
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export class SurveillanceSockets {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  private readonly alertSubscribers = new Set<AlertSubscriber>();
  private readonly heatmapSubscribers = new Set<HeatmapSubscriber>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ApiContext, private readonly host: SurveillanceHost) {
    this.unsubscribe = host.onAlerts((alerts) => this.publish(alerts));
    this.timer = setInterval(() => this.pushHeatmaps(), HEATMAP_EVERY_MS);
    this.timer.unref();
  }

  /** Takes the upgrade when the path is one of surveillance's; false leaves it to the API hub. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      return false;
    }
    if (url.pathname !== ALERT_STREAM_PATH && url.pathname !== HEATMAP_STREAM_PATH) return false;
    const credentials = sessionCredentials(request.headers);
    if (credentials !== undefined && !sameOrigin(credentials)) {
      refuse(socket, '403 Forbidden');
      return true;
    }
    if (this.alertSubscribers.size + this.heatmapSubscribers.size >= MAX_SOCKETS) {
      refuse(socket, '503 Service Unavailable');
      return true;
    }
    try {
      if (url.pathname === ALERT_STREAM_PATH) this.acceptAlerts(request, socket, head, url);
      else this.acceptHeatmap(request, socket, head, url);
    } catch (error) {
      refuse(socket, error instanceof ApiError && error.status === 401 ? '401 Unauthorized' : '400 Bad Request');
    }
    return true;
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.timer);
    for (const subscriber of [...this.alertSubscribers, ...this.heatmapSubscribers]) subscriber.socket.terminate();
    this.server.close();
  }

  private acceptAlerts(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    // requireOperator reads only the headers and the method of a request.
    requireOperator(this.ctx, { headers: request.headers, method: 'GET' } as FastifyRequest);
    const severity = url.searchParams.get('severity') ?? 'info';
    if (!(SEVERITIES as string[]).includes(severity)) throw new ApiError(-1130, 'severity');
    const codeList = url.searchParams.get('code')?.split(',');
    if (codeList !== undefined && !codeList.every((code) => (ALERT_CODES as string[]).includes(code))) throw new ApiError(-1130, 'code');
    this.server.handleUpgrade(request, socket, head, (ws) => {
      const subscriber: AlertSubscriber = {
        socket: ws, minSeverity: SEVERITIES.indexOf(severity as Severity), codes: codeList === undefined ? undefined : new Set(codeList as AlertCode[]),
      };
      this.alertSubscribers.add(subscriber);
      ws.on('close', () => this.alertSubscribers.delete(subscriber));
      ws.on('message', () => undefined);
      send(ws, JSON.stringify({ e: 'subscribed', stream: 'alerts', minSeverity: severity, codes: codeList ?? null }));
    });
  }

  private acceptHeatmap(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    this.authorizeReader(request, url);
    const get = (name: string): Record<string, string> => {
      const value = url.searchParams.get(name);
      return value === null ? {} : { [name]: value };
    };
    const params: HeatmapParams = { symbol: url.searchParams.get('symbol') ?? '', ...get('step'), ...get('from'), ...get('to') };
    const first = JSON.stringify({ e: 'heatmap', ...heatmapSnapshot(this.host, this.ctx.instruments, params) });
    this.server.handleUpgrade(request, socket, head, (ws) => {
      const subscriber: HeatmapSubscriber = { socket: ws, params, lastSeq: this.host.surveillance.lastSeq };
      this.heatmapSubscribers.add(subscriber);
      ws.on('close', () => this.heatmapSubscribers.delete(subscriber));
      ws.on('message', () => undefined);
      send(ws, first);
    });
  }

  /** An account or operator session, the operator token, or a live listenKey. */
  private authorizeReader(request: IncomingMessage, url: URL): void {
    const listenKey = url.searchParams.get('listenKey');
    if (listenKey !== null && this.ctx.listenKeys.get(listenKey, this.ctx.now()) !== undefined) return;
    if (this.ctx.sessions.resolve(request.headers.cookie, this.ctx.now()) !== undefined) return;
    requireOperator(this.ctx, { headers: request.headers, method: 'GET' } as FastifyRequest);
  }

  private publish(alerts: readonly Alert[]): void {
    if (this.alertSubscribers.size === 0) return;
    const texts = alerts.map((alert) => ({ alert, text: JSON.stringify({ e: 'alert', alert }) }));
    for (const subscriber of this.alertSubscribers) {
      for (const { alert, text } of texts) {
        if (SEVERITIES.indexOf(alert.severity) < subscriber.minSeverity) continue;
        if (subscriber.codes !== undefined && !subscriber.codes.has(alert.code)) continue;
        send(subscriber.socket, text);
      }
    }
  }

  private pushHeatmaps(): void {
    const seq = this.host.surveillance.lastSeq;
    // Subscribers with the same parameters share one snapshot.
    const texts = new Map<string, string>();
    for (const subscriber of this.heatmapSubscribers) {
      if (subscriber.lastSeq === seq) continue;
      subscriber.lastSeq = seq;
      const key = JSON.stringify(subscriber.params);
      try {
        let text = texts.get(key);
        if (text === undefined) {
          text = JSON.stringify({ e: 'heatmap', ...heatmapSnapshot(this.host, this.ctx.instruments, subscriber.params) });
          texts.set(key, text);
        }
        send(subscriber.socket, text);
      } catch {
        subscriber.socket.close(1008, 'bad parameters');
      }
    }
  }
}
