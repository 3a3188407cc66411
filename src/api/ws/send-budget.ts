/**
 * @module api/ws/send-budget
 * Bounds the memory WebSocket consumers can make the server hold. A consumer that reads slower than
 * its streams publish leaves messages queued in the server (once the kernel's socket buffers are
 * full); that queue is bounded per connection (checked on every send), per client (IPv4 address or
 * IPv6 /64) and in total (checked by a periodic sweep). Over a bound, the slowest consumers — the
 * ones with the most queued — are dropped first until the rest fit, so a client that reads keeps
 * its connection whatever others do.
 *
 * Dropping means closing the TCP connection without a close frame (the client sees 1006, abnormal
 * closure): a close frame would queue behind the data the consumer is not reading. Binance does not
 * document its slow-consumer handling; clients of its streams report exactly such unannounced
 * closures (docs/api.md, WebSocket).
 */

export interface WsBufferLimits {
  /** Bytes one connection may have queued in the server. */
  readonly wsBufferPerConnectionBytes: number;
  /** Bytes all connections of one client may have queued. */
  readonly wsBufferPerClientBytes: number;
  /** Bytes all connections together may have queued. */
  readonly wsBufferTotalBytes: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_WS_BUFFER_LIMITS: WsBufferLimits = {
  wsBufferPerConnectionBytes: 4 * MIB,
  wsBufferPerClientBytes: 16 * MIB,
  wsBufferTotalBytes: 256 * MIB,
};

/**
 * What a queued message costs beyond its payload: the frame header buffer and two entries in the
 * socket's write queue. Payloads are shared between connections (one string per event), the
 * per-message objects are not, so a consumer behind on many small messages holds more than its
 * byte count says.
 */
export const QUEUED_MESSAGE_OVERHEAD_BYTES = 256;

export interface Consumer {
  readonly clientKey: string;
  /** Bytes queued for this consumer, overhead included. */
  queuedBytes(): number;
  drop(): void;
}

interface Queued {
  readonly consumer: Consumer;
  readonly bytes: number;
}

function slowestFirst(a: Queued, b: Queued): number {
  return b.bytes - a.bytes;
}

/**
 * Drops the slowest consumers until every client's queue fits its bound and the total fits the
 * total bound; returns how many were dropped.
 */
export function enforceSendBudget(consumers: Iterable<Consumer>, limits: WsBufferLimits): number {
  const byClient = new Map<string, { bytes: number; queued: Queued[] }>();
  let total = 0;
  for (const consumer of consumers) {
    const bytes = consumer.queuedBytes();
    if (bytes === 0) continue;
    total += bytes;
    let client = byClient.get(consumer.clientKey);
    if (client === undefined) {
      client = { bytes: 0, queued: [] };
      byClient.set(consumer.clientKey, client);
    }
    client.bytes += bytes;
    client.queued.push({ consumer, bytes });
  }
  let dropped = 0;
  const survivors: Queued[] = [];
  for (const client of byClient.values()) {
    client.queued.sort(slowestFirst);
    let index = 0;
    for (; index < client.queued.length && client.bytes > limits.wsBufferPerClientBytes; index++) {
      const slowest = client.queued[index]!;
      slowest.consumer.drop();
      dropped++;
      client.bytes -= slowest.bytes;
      total -= slowest.bytes;
    }
    for (; index < client.queued.length; index++) survivors.push(client.queued[index]!);
  }
  if (total > limits.wsBufferTotalBytes) {
    survivors.sort(slowestFirst);
    for (const slowest of survivors) {
      if (total <= limits.wsBufferTotalBytes) break;
      slowest.consumer.drop();
      dropped++;
      total -= slowest.bytes;
    }
  }
  return dropped;
}
