/**
 * Soak: two minutes of good and hostile load at once against the real server process, run with a
 * descriptor limit of 1024 (so connection floods reach it) and short header and body timeouts.
 *
 * Good: four traders, each from its own address, placing, crossing and cancelling orders over raw
 * signed HTTP; a ccxt client reading balances, positions and books; a WebSocket reader on depth
 * and trades. Hostile, from other addresses: slow-body and slow-header floods, WebSocket
 * subscribers that never read and keep asking for answers, requests badly signed with a good
 * trader's API key, an unauthenticated flood that gets itself banned, malformed request lines and
 * replays of a captured order.
 *
 * Checked: every good request answered (no 5xx, no connection failure, no rate limit), the
 * reader never cut off, the server's resident memory bounded, and the operator ledger's auditor
 * clean at the end. The test process itself holds up to ~1,000 sockets at a time.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import {
  nonReadingSubscribers, rawRequest, rssBytes, signedQuery, signedRaw, stalledConnections, type RawResponse, type StalledConnections,
} from './support/hostile.js';
import { allStreams, deepBook } from './support/market.js';
import { ccxtClient, startServerProcess, type ServerProcess } from './support/server.js';

const MIB = 1024 * 1024;
const LOAD_MS = 120_000;
const RSS_GROWTH_BOUND_BYTES = 400 * MIB;

interface GoodTally {
  answered: number;
  failures: string[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `step` until `until`, pausing `pauseMs` between runs; a hostile step's errors are expected and ignored. */
async function loop(until: number, pauseMs: number, step: (round: number) => Promise<void>): Promise<void> {
  for (let round = 0; Date.now() < until; round++) {
    await step(round).catch(() => undefined);
    await sleep(pauseMs);
  }
}

describe('soak: good and hostile load together', () => {
  let server: ServerProcess;
  let traders: CreatedAccount[];
  const held: StalledConnections[] = [];

  beforeAll(async () => {
    server = await startServerProcess(['--headers-timeout-ms', '2000', '--request-timeout-ms', '4000', '--tick-interval-ms', '250'],
      { fdLimit: 1024 });
    await server.admin.fundInsurance('1000000');
    await deepBook(server, 20);
    traders = [];
    for (let i = 0; i < 4; i++) traders.push(await server.admin.createAccount('1000000'));
  });

  afterAll(async () => {
    for (const connections of held) connections.close();
    await server?.dispose();
  });

  it('answers every good request, bounds memory and keeps the books balanced under hostile load', async () => {
    const pid = server.child.pid!;
    const baseline = rssBytes(pid);
    const until = Date.now() + LOAD_MS;
    const good: GoodTally = { answered: 0, failures: [] };
    const check = (what: string, answer: RawResponse): void => {
      good.answered++;
      // Business rejects (margin, post-only, unknown order after a fill) are answers; these are not.
      if (answer.status >= 500 || answer.status === 429 || answer.status === 418 || answer.status === 408 || answer.body.code === undefined && answer.status !== 200) {
        good.failures.push(`${what}: ${answer.status} ${answer.text.slice(0, 120)}`);
      }
    };
    const guarded = async (what: string, request: () => Promise<RawResponse>): Promise<void> => {
      try {
        check(what, await request());
      } catch (error) {
        good.failures.push(`${what}: ${(error as Error).message}`);
      }
    };

    // ---- good clients ----
    const trading = traders.map((trader, index) => loop(until, 150, async (round) => {
      const from = `127.0.20.${index + 1}`;
      const side = (round + index) % 2 === 0 ? 'BUY' : 'SELL';
      const offset = (round % 7) - 3; // some cross the spread
      const price = side === 'BUY' ? 60_000 + offset * 10 : 60_000 - offset * 10;
      await guarded('order', () => signedRaw(server.url, trader, 'POST', '/fapi/v1/order',
        { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: String(price),
          newClientOrderId: `soak-${index}-${round}` }, { from }));
      if (round % 10 === 9) {
        await guarded('cancel-all', () => signedRaw(server.url, trader, 'DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' }, { from }));
      }
    }));
    const reading = (async () => {
      const ccxt = ccxtClient(server.url, traders[0]);
      await loop(until, 1_000, async () => {
        try {
          await ccxt.fetchBalance();
          await ccxt.fetchPositions(['BTC/USDT:USDT']);
          await ccxt.fetchOrderBook('BTC/USDT:USDT', 20);
          good.answered += 3;
        } catch (error) {
          good.failures.push(`ccxt: ${(error as Error).message.slice(0, 160)}`);
        }
      });
    })();
    let streamed = 0;
    let readerClosed = false;
    /** Stream messages per 10 s: the reader must never go quiet. */
    const streamedPerWindow: number[] = [];
    const reader = new WebSocket(`${server.wsUrl}/stream?streams=btcusdt@depth20@100ms/btcusdt@aggTrade/btcusdt@markPrice@1s`);
    reader.on('message', () => { streamed++; });
    reader.on('close', () => { readerClosed = true; });
    await new Promise((resolve, reject) => { reader.once('open', resolve); reader.once('error', reject); });

    // ---- hostile clients ----
    const streams = `/stream?streams=${allStreams().join('/')}`;
    const chatter = { chatter: JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 1 }), chatterPerSecond: 10 };
    const victim = traders[1]!;
    const captured = signedQuery(traders[2]!, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001',
      price: '50000', newClientOrderId: 'soak-captured' }, Date.now(), 60_000);
    let capturedPlaced = 0;
    const hostile = [
      loop(until, 5_000, async (round) => {
        held.push(await stalledConnections(server.url, 400, { from: '127.0.30.1' }));
        for (let i = 0; i < 20; i++) held.push(await stalledConnections(server.url, 15, { from: `127.0.31.${(round % 10) * 20 + i + 1}` }));
        held.push(await stalledConnections(server.url, 100, { from: '127.0.32.1', stage: 'headers' }));
        for (const connections of held.splice(0, Math.max(0, held.length - 100))) connections.close();
      }),
      loop(until, 20_000, async (round) => {
        held.push(await nonReadingSubscribers(server.url, 10, streams, { from: `127.0.33.${round + 1}`, ...chatter }));
      }),
      loop(until, 20, async () => {
        const forged = signedQuery({ ...victim, apiSecret: 'stolen-key-wrong-secret' }, {});
        await rawRequest(server.url, { path: `/fapi/v2/balance?${forged}`, headers: { 'X-MBX-APIKEY': victim.apiKey }, from: '127.0.34.1' });
      }),
      loop(until, 20, async (round) => {
        await rawRequest(server.url, { path: '/fapi/v1/depth?symbol=BTCUSDT&limit=1000', from: `127.0.35.${(round % 4) + 1}` });
      }),
      loop(until, 100, async () => {
        await stalledConnections(server.url, 1, { from: '127.0.36.1', raw: 'BREW /coffee HTCPCP/1.0\r\n\r\n' }).then((c) => c.close());
        const replay = await rawRequest(server.url, { method: 'POST', path: `/fapi/v1/order?${captured}`,
          headers: { 'X-MBX-APIKEY': traders[2]!.apiKey }, from: '127.0.36.2' });
        if (replay.status === 200) capturedPlaced++;
      }),
    ];

    let peakGrowth = 0;
    let streamedBefore = 0;
    const sampling = loop(until, 10_000, () => {
      peakGrowth = Math.max(peakGrowth, rssBytes(pid) - baseline);
      streamedPerWindow.push(streamed - streamedBefore);
      streamedBefore = streamed;
      return Promise.resolve();
    });
    await Promise.all([...trading, reading, ...hostile, sampling]);
    const readerCut = readerClosed;
    reader.close();
    for (const connections of held.splice(0)) connections.close();

    const ledger = await server.admin.ledger();
    console.log(`soak: ${good.answered} good requests, ${good.failures.length} failed; ${streamed} stream messages ` +
      `(${Math.min(...streamedPerWindow.slice(1))} in the quietest 10 s); ` +
      `server RSS +${Math.round(peakGrowth / MIB)} MiB at most; ledger ok ${ledger.ok}`);
    expect(good.failures.slice(0, 10)).toEqual([]);
    expect(good.answered).toBeGreaterThan(200);
    expect(readerCut).toBe(false);
    // The first sample is taken as the load starts.
    expect(Math.min(...streamedPerWindow.slice(1))).toBeGreaterThan(20);
    expect(peakGrowth).toBeLessThan(RSS_GROWTH_BOUND_BYTES);
    expect(ledger).toMatchObject({ ok: true, violations: [] });
    expect(capturedPlaced).toBe(1); // the captured order, sent again and again, was placed once
  });
});
