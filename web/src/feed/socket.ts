/**
 * One WebSocket to the API's combined-stream endpoint, reconnecting with exponential backoff
 * (×1.5 from 250 ms, capped at 10 s, reset once a connection has lasted) and at once when the tab
 * becomes visible again. Subscriptions are re-sent on every reconnect; `subscribed` tells consumers,
 * once the server has acknowledged them, to rebuild anything sequenced (an order book must resync
 * after a reconnect, never merge, and must not fetch its snapshot before its diffs are flowing).
 */
export type SocketState = 'CONNECTING' | 'OPEN' | 'CLOSED';

const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 10_000;
const BACKOFF_FACTOR = 1.5;
const STABLE_AFTER_MS = 5_000;

export interface SocketHandlers {
  message(stream: string, data: unknown): void;
  state(state: SocketState): void;
  /**
   * After every (re)connection, once the server has acknowledged the subscriptions sent on open:
   * from here on every update reaches the page, so a snapshot fetched now cannot miss one.
   */
  subscribed?(): void;
}

export class StreamSocket {
  private socket: WebSocket | undefined;
  private readonly streams = new Set<string>();
  private delayMs = BACKOFF_START_MS;
  private timer: number | undefined;
  private openedAtMs = 0;
  private closed = false;
  private nextId = 1;
  /** Id of the SUBSCRIBE sent on the current connection's open, until the server answers it. */
  private openSubscribeId: number | undefined;
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
      this.openSubscribeId = this.streams.size > 0 ? this.sendControl('SUBSCRIBE', [...this.streams]) : undefined;
      this.handlers.state('OPEN');
      if (this.openSubscribeId === undefined) this.handlers.subscribed?.();
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      let parsed: { stream?: string; data?: unknown; result?: unknown; id?: unknown; e?: string };
      try {
        parsed = JSON.parse(message.data) as typeof parsed;
      } catch {
        return;
      }
      if (parsed.id !== undefined && parsed.id === this.openSubscribeId && parsed.stream === undefined) {
        this.openSubscribeId = undefined;
        this.handlers.subscribed?.();
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

  /** Sends a control request; returns its id, or undefined when the socket is not open. */
  private sendControl(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', params: string[]): number | undefined {
    if (this.socket?.readyState !== WebSocket.OPEN) return undefined;
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ method, params, id }));
    return id;
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
