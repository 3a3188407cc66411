/**
 * `perpx serve --scenario` end to end: the real server process serves a short 19 May 2021 crash
 * (test/sim/fixtures/serve-crash.yaml) at 60× speed, and an unchanged ccxt binanceusdm bot trades
 * and watches through it. Each scripted fault must be visible at the API: an outage answers 503
 * (ccxt's ExchangeNotAvailable), a stalled index stays put, a jumped index prints 3 % off, a drained
 * side of the book empties, and latency rises with the cascade's liquidations. The journal replays
 * to the same state, and the same scenario without a bot gives the same journal at any speed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import ccxt from 'ccxt';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCandleFile } from '../../src/sim/data/load.js';
import { ccxtClient, startServerProcess, waitFor, type ServerProcess } from '../api/support/server.js';
import { hasData } from './support.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'serve-crash.yaml');
const CLI = join(import.meta.dirname, '..', 'api', 'support', 'perpx-cli.ts');
const ROOT = join(import.meta.dirname, '..', '..');
const SYMBOL = 'BTC/USDT:USDT';
const SPEED = 60;
const at = (hhmmss: string): number => Date.parse(`2021-05-19T${hhmmss}Z`);

interface Sample {
  readonly pathMs: number;
  readonly latencyMs: number;
  readonly kind: 'book' | 'funding' | 'order';
  readonly error?: string;
  readonly bids?: number;
  readonly asks?: number;
  readonly index?: number;
}

/** Path time of a wall instant, from the server's "replay started" line. */
function pathClock(output: string): (wallMs: number) => number {
  const match = /scenario replay started: path (\S+) at wall (\S+), speed (\d+)/.exec(output);
  if (match === null) throw new Error(`no replay start in:\n${output}`);
  const path0 = Date.parse(match[1]!);
  const wall0 = Date.parse(match[2]!);
  return (wallMs) => path0 + (wallMs - wall0) * Number(match[3]);
}

function verifyJournal(dataDir: string): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'journal', 'verify', '--data-dir', dataDir, '--json'],
    { cwd: ROOT, encoding: 'utf8' });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { fullReplay: { stateHash: string } }).fullReplay.stateHash;
}

async function serveToTheEnd(speed: number): Promise<ServerProcess> {
  const server = await startServerProcess(['--scenario', FIXTURE, '--speed', String(speed), '--no-fsync']);
  await waitFor(() => (server.output().includes('scenario finished') ? true : undefined), 120_000, 'the scenario to finish');
  await server.stop();
  return server;
}

describe.runIf(hasData('btcusdt-1m-2021-05-17_2021-05-20.csv'))('perpx serve --scenario', () => {
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await server.dispose();
  });

  it('shows every scripted fault to an unchanged ccxt bot trading through the crash, and its journal replays', async () => {
    const server = await startServerProcess(['--scenario', FIXTURE, '--speed', String(SPEED), '--no-fsync']);
    servers.push(server);
    const account = await server.admin.createAccount('100000');
    const bot = ccxtClient(server.url, account);
    await bot.loadMarkets();
    await bot.setLeverage(10, SYMBOL);
    await waitFor(() => (server.output().includes('scenario replay started') ? true : undefined), 120_000, 'the replay to start');
    const toPath = pathClock(server.output());
    const samples: Sample[] = [];
    const timed = async (kind: Sample['kind'], call: () => Promise<Partial<Sample>>): Promise<void> => {
      const started = Date.now();
      try {
        const fields = await call();
        samples.push({ pathMs: toPath(started), latencyMs: Date.now() - started, kind, ...fields });
      } catch (error) {
        samples.push({ pathMs: toPath(started), latencyMs: Date.now() - started, kind, error: (error as Error).constructor.name });
      }
    };
    let trades = 0;
    for (let loop = 0; toPath(Date.now()) < at('13:11:30'); loop++) {
      await timed('book', async () => {
        const book = await bot.fetchOrderBook(SYMBOL, 50);
        return { bids: book.bids.reduce((s, [, q]) => s + Number(q), 0), asks: book.asks.reduce((s, [, q]) => s + Number(q), 0) };
      });
      await timed('funding', async () => ({ index: (await bot.fetchFundingRate(SYMBOL)).indexPrice! }));
      if (loop % 5 === 0) {
        await timed('order', async () => {
          const order = await bot.createOrder(SYMBOL, 'market', trades % 2 === 0 ? 'buy' : 'sell', 0.002);
          if (order.status === 'closed') trades++;
          return {};
        });
      }
    }
    const inside = (from: string, to: string, kind: Sample['kind']): Sample[] =>
      samples.filter((s) => s.kind === kind && s.pathMs >= at(from) && s.pathMs < at(to));
    // Outage 13:00–13:02: every request fails as ExchangeNotAvailable; before it, none did.
    const outage = [...inside('13:00:10', '13:01:50', 'book'), ...inside('13:00:10', '13:01:50', 'funding')];
    expect(outage.length).toBeGreaterThan(3);
    expect(outage.every((s) => s.error === ccxt.ExchangeNotAvailable.name)).toBe(true);
    expect(inside('12:58:10', '12:59:50', 'book').filter((s) => s.error !== undefined)).toEqual([]);
    // Index stall 13:03–13:04: one price.
    const stalled = inside('13:03:05', '13:03:55', 'funding').filter((s) => s.error === undefined).map((s) => s.index);
    expect(stalled.length).toBeGreaterThan(3);
    expect(new Set(stalled).size).toBe(1);
    // Index jump 13:05–13:06: 3 % above the spot candle it follows, above that candle's high.
    const spot = loadCandleFile('btcusdt-1m-2021-05-17_2021-05-20.csv').candles.find((c) => c.openTimeMs === at('13:05:00'))!;
    const jumped = inside('13:05:05', '13:05:55', 'funding').filter((s) => s.error === undefined).map((s) => s.index!);
    expect(jumped.length).toBeGreaterThan(3);
    expect(Math.min(...jumped)).toBeGreaterThan(spot.high);
    expect(Math.min(...jumped)).toBeGreaterThanOrEqual(spot.low * 1.03 * 0.9999);
    expect(Math.max(...jumped)).toBeLessThanOrEqual(spot.high * 1.03 * 1.0001);
    // Bids drained 13:07–13:08 (asks stay); both sides quoted before.
    const drained = inside('13:07:10', '13:07:55', 'book').filter((s) => s.error === undefined);
    expect(drained.length).toBeGreaterThan(3);
    expect(drained.every((s) => s.bids! < 0.05 && s.asks! > 0.5)).toBe(true);
    expect(inside('13:06:10', '13:06:50', 'book').every((s) => s.error !== undefined || s.bids! > 0.5)).toBe(true);
    // Latency rises with the cascade's liquidations (13:08–13:11) over the calm before the outage.
    const calm = inside('12:58:00', '13:00:00', 'book').filter((s) => s.error === undefined).map((s) => s.latencyMs).sort((a, b) => a - b);
    const cascade = inside('13:08:00', '13:11:30', 'book').filter((s) => s.error === undefined).map((s) => s.latencyMs);
    const calmMedian = calm[Math.floor(calm.length / 2)]!;
    expect(Math.max(...cascade)).toBeGreaterThan(Math.max(100, 5 * calmMedian));
    expect(trades).toBeGreaterThan(2);
    await server.stop();
    expect(server.output()).not.toMatch(/scenario driver:/);
    verifyJournal(server.dataDir);
  });

  it.skipIf(process.env['ONLY_FAULTS'] === '1')('writes the same journal at any speed when no bot trades', async () => {
    const slow = await serveToTheEnd(120);
    servers.push(slow);
    const fast = await serveToTheEnd(600);
    servers.push(fast);
    expect(verifyJournal(fast.dataDir)).toBe(verifyJournal(slow.dataDir));
  });
});
