/**
 * WebSocket consumers that never read, against the real server process: 120 connections (60 from
 * the good reader's own address, 60 from twelve others) subscribed to every stream, asking for
 * subscription lists they never read. Once the kernel's socket buffers are full their messages
 * queue in the server; the server's memory must stay bounded (the send budgets, here set small:
 * 2 MiB per connection, 8 MiB per address, 32 MiB in all), the slowest consumers must be dropped,
 * and a consumer that reads must keep receiving throughout. Heavy: the kernel alone absorbs ~3 MB
 * per connection first, which takes ~30 s at these rates.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonReadingSubscribers, rssBytes, type StalledConnections } from './support/hostile.js';
import { allStreams, deepBook } from './support/market.js';
import { startServerProcess, type ServerProcess } from './support/server.js';

const MIB = 1024 * 1024;
/** Above the server's resident size before the attack; the budgets allow 32 MiB of queues plus their overhead. */
const RSS_GROWTH_BOUND_BYTES = 160 * MIB;
const MAX_DURATION_MS = 120_000;

describe('slow WebSocket consumers', () => {
  let server: ServerProcess;
  const held: StalledConnections[] = [];

  beforeAll(async () => {
    server = await startServerProcess(['--tick-interval-ms', '100', '--ws-buffer-per-connection-mib', '2',
      '--ws-buffer-per-ip-mib', '8', '--ws-buffer-total-mib', '32']);
    await deepBook(server, 25);
  });

  afterAll(async () => {
    for (const connections of held) connections.close();
    await server?.dispose();
  });

  it('keeps memory bounded by dropping the slowest consumers while a reader keeps receiving', async () => {
    const path = `/stream?streams=${allStreams().join('/')}`;
    const pid = server.child.pid!;
    const baseline = rssBytes(pid);
    let received = 0;
    let readerClosed = false;
    const reader = new WebSocket(`${server.wsUrl}${path}`);
    reader.on('message', () => { received++; });
    reader.on('close', () => { readerClosed = true; });
    await new Promise((resolve, reject) => { reader.once('open', resolve); reader.once('error', reject); });

    const chatter = { chatter: JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 1 }), chatterPerSecond: 20 };
    held.push(await nonReadingSubscribers(server.url, 60, path, { from: '127.0.0.1', ...chatter }));
    for (let i = 0; i < 12; i++) held.push(await nonReadingSubscribers(server.url, 5, path, { from: `127.0.10.${i + 1}`, ...chatter }));
    expect(held.flatMap((connections) => connections.replies()).every((line) => line.startsWith('HTTP/1.1 101'))).toBe(true);

    const started = Date.now();
    let peakGrowth = 0;
    let dropped = 0;
    const perWindow: number[] = [];
    while (Date.now() - started < MAX_DURATION_MS) {
      const before = received;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      perWindow.push(received - before);
      peakGrowth = Math.max(peakGrowth, rssBytes(pid) - baseline);
      dropped = held.reduce((sum, connections) => sum + connections.closedByServer(), 0);
      // Enough of the attack has played out once both the per-address and the total budget bit.
      if (dropped >= 80) break;
    }
    const readerCut = readerClosed;
    reader.close();
    console.log(`slow consumers: ${dropped} of 120 dropped after ${Math.round((Date.now() - started) / 1000)} s; server RSS ` +
      `+${Math.round(peakGrowth / MIB)} MiB at most; reader got ${Math.min(...perWindow)}..${Math.max(...perWindow)} messages per 5 s`);
    expect(peakGrowth).toBeLessThan(RSS_GROWTH_BOUND_BYTES);
    expect(dropped).toBeGreaterThanOrEqual(80);
    expect(readerCut).toBe(false);
    expect(Math.min(...perWindow)).toBeGreaterThan(20);
  });
});
