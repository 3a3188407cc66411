/**
 * One WebSocket to the API's combined-stream endpoint, reconnecting with exponential backoff
 * (×1.5 from 250 ms, capped at 10 s, reset once a connection has lasted) and at once when the tab
 * becomes visible again. Subscriptions are re-sent on every reconnect; `onOpen` tells consumers to
 * rebuild anything sequenced (an order book must resync after a reconnect, never merge).
 */
export type SocketState = 'CONNECTING' | 'OPEN' | 'CLOSED';

const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 10_000;
const BACKOFF_FACTOR = 1.5;
const STABLE_AFTER_MS = 5_000;

export interface SocketHandlers {
  message(stream: string, data: unknown): void;
  state(state: SocketState): void;
  /** After every (re)connection, once subscriptions are sent. */
  open?(): void;
}

export class StreamSocket {
  private socket: WebSocket | undefined;
  private readonly streams = new Set<string>();
  private delayMs = BACKOFF_START_MS;
  private timer: number | undefined;
  private openedAtMs = 0;
  private closed = false;
  private nextId = 1;
  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible' && this.socket === undefined && !this.closed) this.connect();
  };

  constructor(private readonly path: string, private readonly handlers: SocketHandlers) {
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  private url(): string {
    return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${this.path}`;
  }

  private connect(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
    this.handlers.state('CONNECTING');
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.onopen = () => {
      this.openedAtMs = Date.now();
      if (this.streams.size > 0) this.sendControl('SUBSCRIBE', [...this.streams]);
      this.handlers.state('OPEN');
      this.handlers.open?.();
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      let parsed: { stream?: string; data?: unknown; result?: unknown; e?: string };
      try {
        parsed = JSON.parse(message.data) as typeof parsed;
      } catch {
        return;
      }
      if (parsed.stream !== undefined) this.handlers.message(parsed.stream, parsed.data);
      else if (parsed.e !== undefined) this.handlers.message(parsed.e, parsed);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.handlers.state('CLOSED');
      if (this.closed) return;
      if (Date.now() - this.openedAtMs > STABLE_AFTER_MS) this.delayMs = BACKOFF_START_MS;
      this.timer = window.setTimeout(() => this.connect(), this.delayMs);
      this.delayMs = Math.min(BACKOFF_MAX_MS, this.delayMs * BACKOFF_FACTOR);
    };
  }

  private sendControl(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', params: string[]): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ method, params, id: this.nextId++ }));
  }

  subscribe(streams: readonly string[]): void {
    const added = streams.filter((stream) => !this.streams.has(stream));
    for (const stream of added) this.streams.add(stream);
    if (added.length > 0) this.sendControl('SUBSCRIBE', added);
  }

  unsubscribe(streams: readonly string[]): void {
    const removed = streams.filter((stream) => this.streams.delete(stream));
    if (removed.length > 0) this.sendControl('UNSUBSCRIBE', removed);
  }

  close(): void {
    this.closed = true;
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
  }
}
