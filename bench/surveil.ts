/**
 * @module bench/surveil
 * Surveillance benchmark (issue 16): does surveillance keep up with the engine, and how long does the
 * exact heatmap take to recompute?
 *
 * 1. The 2021-05-19 replay: the shipped scenario runs once to record its command stream; then the
 *    stream is re-applied on a fresh engine in chunks of 4,096 commands, each chunk's events going to
 *    surveillance right after (each timed apart, each with a warm cache, as on separate cores). Rates:
 *    events per second the engine produces (engine.apply, events decoded) and surveillance processes.
 * 2. The cascade: 1,000,000 positions (500,000 long/short pairs, 1–125x, as bench/liquidation.ts), then
 *    a 20 % gap: 480,000 liquidations in one Tick. The engine's rate is its streamed run (events in
 *    typed-array chunks, nothing decoded) on a copy restored from a snapshot; surveillance decodes each
 *    chunk into event objects and feeds them as they stream (decode timed apart).
 * 3. The heatmap: 500,000 cross accounts holding BTCUSDT and ETHUSDT positions (1,000,000 positions,
 *    from synthetic events); a BTCUSDT mark change moves the liquidation level of all 500,000 ETHUSDT
 *    positions (the engine's crossBackingE8 holds BTCUSDT at its mark), and a full recomputation places
 *    all 1,000,000.
 * Lag: a queue model of surveillance on its own core fed at the engine's flat-out rate: each batch
 * arrives when the engine finished it, and waits until surveillance finished the one before.
 *
 * Usage: npm run bench -- surveil [--json] [--pairs N] [--heat-accounts N] [--skip-replay]
 * The last line is one JSON object: processedVsProduced (the smaller ratio), maxLagMs, heatmapMs, …
 */
import { SingleBar, Presets } from 'cli-progress';
import { createOrderBook } from '../src/core/book/index.js';
import type { Command, PlaceOrderCommand, UnsequencedCommand } from '../src/core/engine/commands.js';
import { Engine } from '../src/core/engine/engine.js';
import type { EngineEvent } from '../src/core/engine/events.js';
import { BTCUSDT, ETHUSDT } from '../src/core/instrument/catalog.js';
import { compileInstrument } from '../src/core/instrument/instrument.js';
import { runScenario } from '../src/sim/run/batch.js';
import { loadScenarioFile } from '../src/sim/scenario/load.js';
import { Surveillance } from '../src/surveillance/service.js';

const CHUNK = 4_096;

function option(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

function progress(label: string, total: number, quiet: boolean): SingleBar | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} {eta_formatted}`, stream: process.stderr }, Presets.shades_classic);
  bar.start(total, 0);
  return bar;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const round = (value: number): number => Math.round(value * 100) / 100;
const hr = (): bigint => process.hrtime.bigint();

/** Lag of a consumer fed at the producer's pace: per batch, finish − arrival (ms). */
class LagModel {
  private producedNs = 0;
  private doneNs = 0;
  maxLagMs = 0;

  add(engineNs: number, surveillanceNs: number): void {
    this.producedNs += engineNs;
    const start = Math.max(this.producedNs, this.doneNs);
    this.doneNs = start + surveillanceNs;
    const lag = (this.doneNs - this.producedNs) / 1e6;
    if (lag > this.maxLagMs) this.maxLagMs = lag;
  }
}

interface Workload {
  readonly events: number;
  readonly engineMs: number;
  readonly surveillanceMs: number;
  readonly ratio: number;
  readonly maxLagMs: number;
  readonly alerts: number;
}

/** 1: the 2021-05-19 scenario's command stream, re-applied in chunks. */
function replayWorkload(quiet: boolean): Workload & { commands: number } {
  const loaded = loadScenarioFile('scenarios/2021-05-19-btc.yaml');
  const commands: Command[] = [];
  let spec = BTCUSDT;
  const bar = progress('2021-05-19 (recording)', 1440, quiet);
  runScenario(loaded, {
    hook: (world) => {
      spec = world.engine.instruments[0]!.spec;
      world.onCommand((command) => commands.push(command));
    },
    onProgress: (done) => bar?.update(done),
  });
  bar?.stop();
  collectGarbage();
  const engine = new Engine({ instruments: [spec], bookFactory: createOrderBook });
  const surveillance = new Surveillance({ instruments: [compileInstrument(spec)] });
  const lag = new LagModel();
  let engineNs = 0;
  let surveillanceNs = 0;
  let events = 0;
  let alerts = 0;
  const produced: EngineEvent[][] = [];
  const times: number[] = [];
  const replayBar = progress('2021-05-19 (timed)', commands.length, quiet);
  for (let from = 0; from < commands.length; from += CHUNK) {
    const to = Math.min(commands.length, from + CHUNK);
    produced.length = 0;
    times.length = 0;
    for (let i = from; i < to; i++) {
      const start = hr();
      produced.push(engine.apply(commands[i]!));
      times.push(Number(hr() - start));
    }
    for (let i = from; i < to; i++) {
      const command = commands[i]!;
      const batch = produced[i - from]!;
      const start = hr();
      alerts += surveillance.ingest({ fromSeq: command.seq, toSeq: command.seq, atMs: command.atMs, events: batch }).length;
      const ns = Number(hr() - start);
      engineNs += times[i - from]!;
      surveillanceNs += ns;
      events += batch.length;
      lag.add(times[i - from]!, ns);
    }
    replayBar?.update(to);
  }
  replayBar?.stop();
  return {
    commands: commands.length, events, engineMs: engineNs / 1e6, surveillanceMs: surveillanceNs / 1e6, ratio: engineNs / surveillanceNs,
    maxLagMs: lag.maxLagMs, alerts,
  };
}

// ---- 2: the cascade -------------------------------------------------------------------------------

const START_MS = Date.UTC(2021, 4, 19, 12);
const PRICE_TICKS = 500_000;
const GAP_PRICE_TICKS = 400_000;
const SPEC = { ...BTCUSDT, maxQty: '10000000', marketMaxQty: '10000000', funding: { ...BTCUSDT.funding, interestRate: '0' } };
const ORDER: Omit<PlaceOrderCommand, 'seq' | 'atMs' | 'accountId' | 'side' | 'qtyLots' | 'priceTicks'> = {
  type: 'PlaceOrder', symbol: 'BTCUSDT', orderType: 'LIMIT', timeInForce: 'GTC', stopPriceTicks: 0, activationPriceTicks: 0,
  callbackRateBps: 0, reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE',
  clientOrderId: '',
};

class Driver {
  readonly engine = new Engine({ instruments: [SPEC], bookFactory: createOrderBook });
  readonly surveillance = new Surveillance({ instruments: [compileInstrument(SPEC)] });
  private seq = 0;
  atMs = START_MS;

  apply(command: UnsequencedCommand): EngineEvent[] {
    const sequenced = { ...command, seq: ++this.seq, atMs: this.atMs } as Command;
    const events = this.engine.apply(sequenced);
    this.surveillance.ingest({ fromSeq: sequenced.seq, toSeq: sequenced.seq, atMs: sequenced.atMs, events });
    return events;
  }
}

function cascadeWorkload(pairs: number, quiet: boolean): Workload & { liquidations: number; decodeMs: number; surveillanceOnlyMs: number } {
  const driver = new Driver();
  driver.apply({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: PRICE_TICKS });
  driver.apply({ type: 'FundInsurance', amountE8: 1_000_000_000_000_000_000n });
  const backstop = (driver.apply({ type: 'CreateAccount', parentAccountId: 0 })[0] as { accountId: number }).accountId;
  driver.apply({ type: 'Deposit', accountId: backstop, amountE8: 100_000_000_000_000_000n });
  driver.apply({ type: 'SetLeverage', accountId: backstop, symbol: 'BTCUSDT', leverage: 1 });
  const bar = progress('cascade positions', pairs, quiet);
  for (let i = 0; i < pairs; i++) {
    const leverage = 1 + (i % 125);
    const lots = 1 + (i % 40);
    const notionalUsdt = (PRICE_TICKS * lots) / 10_000;
    const depositE8 = BigInt(Math.ceil((notionalUsdt / leverage) * 1.05 + notionalUsdt * 0.001 + 1)) * 100_000_000n;
    const ids: number[] = [];
    for (let side = 0; side < 2; side++) {
      const id = (driver.apply({ type: 'CreateAccount', parentAccountId: 0 })[0] as { accountId: number }).accountId;
      ids.push(id);
      driver.apply({ type: 'Deposit', accountId: id, amountE8: depositE8 });
      driver.apply({ type: 'SetLeverage', accountId: id, symbol: 'BTCUSDT', leverage });
    }
    driver.apply({ ...ORDER, accountId: ids[1]!, side: 'SELL', qtyLots: lots, priceTicks: PRICE_TICKS });
    driver.apply({ ...ORDER, accountId: ids[0]!, side: 'BUY', qtyLots: lots, priceTicks: PRICE_TICKS });
    if ((i & 4095) === 0) bar?.update(i);
  }
  bar?.stop();
  const market = driver.engine.market('BTCUSDT');
  driver.atMs += 500;
  driver.apply({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: GAP_PRICE_TICKS });
  driver.apply({ ...ORDER, accountId: backstop, side: 'BUY', qtyLots: market.longOpenInterestLots, priceTicks: (GAP_PRICE_TICKS * 99) / 100 });
  driver.atMs = Math.ceil((driver.atMs + 1) / 1000) * 1000;
  const tick: Command = { type: 'Tick', seq: driver.engine.lastSeq + 1, atMs: driver.atMs };
  // The engine alone, streamed, on a copy restored from a snapshot.
  const copy = new Engine({ instruments: [SPEC], bookFactory: createOrderBook });
  copy.restore(driver.engine.serialize());
  collectGarbage();
  let produced = 0;
  let start = hr();
  copy.applyStreaming(tick, (chunk) => { produced += chunk.count; });
  const engineNs = Number(hr() - start);
  collectGarbage();
  // The engine with surveillance consuming each chunk: decode (timed) + feed (timed).
  const surveillance = driver.surveillance;
  surveillance.begin({ fromSeq: tick.seq, toSeq: tick.seq, atMs: tick.atMs });
  const decoded: EngineEvent[] = [];
  let decodeNs = 0;
  let feedNs = 0;
  driver.engine.applyStreaming(tick, (chunk) => {
    decoded.length = 0;
    let at = hr();
    chunk.decodeInto(decoded);
    decodeNs += Number(hr() - at);
    at = hr();
    surveillance.feed(decoded);
    feedNs += Number(hr() - at);
  });
  start = hr();
  const alerts = surveillance.end().length;
  const endNs = Number(hr() - start);
  const surveillanceNs = feedNs + endNs;
  const lag = new LagModel();
  lag.add(engineNs, decodeNs + surveillanceNs);
  if (driver.engine.stateHash() !== copy.stateHash()) throw new Error('the two copies of the cascade ended in different states');
  const liquidations = pairs - market.longOpenInterestLots; // informational: positions closed on the long side
  return {
    events: produced, engineMs: engineNs / 1e6, surveillanceMs: (decodeNs + surveillanceNs) / 1e6, decodeMs: decodeNs / 1e6,
    surveillanceOnlyMs: surveillanceNs / 1e6, ratio: engineNs / surveillanceNs, maxLagMs: lag.maxLagMs, alerts, liquidations,
  };
}

// ---- 3: the heatmap ------------------------------------------------------------------------------

function heatmapWorkload(accounts: number, quiet: boolean): { positions: number; incrementalMs: number; incrementalRecomputed: number; fullMs: number;
  fullRecomputed: number; markBatchMs: number; placed: number } {
  const instruments = [compileInstrument(BTCUSDT), compileInstrument(ETHUSDT)];
  const surveillance = new Surveillance({ instruments });
  const [btc, eth] = instruments as [typeof instruments[0], typeof instruments[0]];
  let seq = 0;
  const atMs = START_MS;
  const feed = (events: EngineEvent[]): void => {
    surveillance.ingest({ fromSeq: ++seq, toSeq: seq, atMs, events });
  };
  const mark = (symbol: string, markTicks: number): EngineEvent => ({
    type: 'MarkPriceUpdated', symbol, atMs, markTicks, indexTicks: markTicks, estimatedFundingRateE8: 0n, lastFundingRateE8: 0n, nextFundingMs: 0,
  });
  feed([mark('BTCUSDT', 500_000), mark('ETHUSDT', 300_000)]);
  const bar = progress('heatmap accounts', accounts, quiet);
  const events: EngineEvent[] = [];
  for (let i = 1; i <= accounts; i++) {
    const long = i % 2 === 0 ? 1 : -1;
    const btcLots = long * (1 + (i % 40));
    const ethLots = -long * (10 + (i % 400));
    const btcCost = BigInt(btcLots) * 500_000n * btc.quotePerTickLotE8;
    const ethCost = BigInt(ethLots) * 300_000n * eth.quotePerTickLotE8;
    const notional = (btcCost < 0n ? -btcCost : btcCost) + (ethCost < 0n ? -ethCost : ethCost);
    const leverage = 2 + (i % 120);
    const wallet = notional / BigInt(leverage) + notional / 500n;
    events.push(
      { type: 'AccountCreated', accountId: i, parentAccountId: 0 },
      { type: 'BalanceChanged', accountId: i, isolatedSymbol: '', reason: 'DEPOSIT', symbol: '', deltaE8: wallet, balanceE8: wallet, refId: 0 },
      { type: 'PositionChanged', accountId: i, symbol: 'BTCUSDT', sizeLots: btcLots, costE8: btcCost, marginType: 'CROSSED', isolatedWalletE8: 0n,
        leverage, realizedPnlE8: 0n },
      { type: 'PositionChanged', accountId: i, symbol: 'ETHUSDT', sizeLots: ethLots, costE8: ethCost, marginType: 'CROSSED', isolatedWalletE8: 0n,
        leverage, realizedPnlE8: 0n },
    );
    if (events.length >= 4 * 1024) {
      feed(events.splice(0, events.length));
      bar?.update(i);
    }
  }
  feed(events.splice(0, events.length));
  bar?.stop();
  const positions = surveillance.risk.size;
  collectGarbage();
  // A BTCUSDT mark change: the risk book's update is the heatmap's recomputation.
  const before = surveillance.risk.recomputed;
  surveillance.begin({ fromSeq: ++seq, toSeq: seq, atMs: atMs + 1000 });
  surveillance.feed([mark('BTCUSDT', 499_000)]);
  let start = hr();
  const changed = surveillance.risk.settle();
  const incrementalNs = Number(hr() - start);
  // The rest of the batch (E1 and the other rules over the changed entries), for the record.
  start = hr();
  surveillance.end();
  const restNs = Number(hr() - start);
  const incrementalRecomputed = surveillance.risk.recomputed - before;
  collectGarbage();
  const beforeFull = surveillance.risk.recomputed;
  start = hr();
  surveillance.risk.recomputeAll();
  const fullNs = Number(hr() - start);
  let placed = 0;
  for (const heat of surveillance.risk.heatmaps) placed += heat.longs.positions + heat.shorts.positions;
  void changed;
  return {
    positions, incrementalMs: incrementalNs / 1e6, incrementalRecomputed, fullMs: fullNs / 1e6,
    fullRecomputed: surveillance.risk.recomputed - beforeFull, markBatchMs: (incrementalNs + restNs) / 1e6, placed,
  };
}

export function runSurveilBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const pairs = option(argv, '--pairs', 500_000);
  const heatAccounts = option(argv, '--heat-accounts', 500_000);
  const replay = argv.includes('--skip-replay') ? undefined : replayWorkload(json);
  collectGarbage();
  const cascade = cascadeWorkload(pairs, json);
  collectGarbage();
  const heat = heatmapWorkload(heatAccounts, json);
  const ratios = [cascade.ratio, ...(replay === undefined ? [] : [replay.ratio])];
  const result = {
    processedVsProduced: round(Math.min(...ratios)),
    maxLagMs: round(Math.max(cascade.maxLagMs, replay?.maxLagMs ?? 0)),
    heatmapMs: round(heat.fullMs),
    heatmapIncrementalMs: round(heat.incrementalMs),
    replay: replay === undefined ? null : {
      commands: replay.commands, events: replay.events, engineMs: round(replay.engineMs), surveillanceMs: round(replay.surveillanceMs),
      engineEventsPerSec: Math.round(replay.events / (replay.engineMs / 1000)),
      surveillanceEventsPerSec: Math.round(replay.events / (replay.surveillanceMs / 1000)), ratio: round(replay.ratio),
      maxLagMs: round(replay.maxLagMs), alerts: replay.alerts,
    },
    cascade: {
      events: cascade.events, engineStreamedMs: round(cascade.engineMs), decodeMs: round(cascade.decodeMs),
      surveillanceMs: round(cascade.surveillanceOnlyMs), ratio: round(cascade.ratio),
      ratioWithDecode: round(cascade.engineMs / cascade.surveillanceMs), maxLagMs: round(cascade.maxLagMs), alerts: cascade.alerts,
    },
    heatmap: {
      positions: heat.positions, placed: heat.placed, fullRecomputeMs: round(heat.fullMs), fullRecomputed: heat.fullRecomputed,
      afterMarkChangeMs: round(heat.incrementalMs), afterMarkChangeRecomputed: heat.incrementalRecomputed, markBatchMs: round(heat.markBatchMs),
    },
  };
  if (!json) {
    if (replay !== undefined) {
      console.log(`2021-05-19 replay: ${replay.commands} commands, ${replay.events} events; engine ${result.replay!.engineEventsPerSec} events/s, ` +
        `surveillance ${result.replay!.surveillanceEventsPerSec} events/s (${result.replay!.ratio}x); max lag ${result.replay!.maxLagMs} ms`);
    }
    console.log(`cascade: ${cascade.events} events; engine streamed ${result.cascade.engineStreamedMs} ms; surveillance ${result.cascade.surveillanceMs} ms ` +
      `(${result.cascade.ratio}x) + decoding ${result.cascade.decodeMs} ms (${result.cascade.ratioWithDecode}x with it)`);
    console.log(`heatmap: ${heat.positions} positions; after a BTCUSDT mark change ${result.heatmap.afterMarkChangeMs} ms for ${heat.incrementalRecomputed} ` +
      `levels; full recomputation ${result.heatmap.fullRecomputeMs} ms for ${heat.fullRecomputed}`);
  }
  console.log(JSON.stringify(result));
  return Promise.resolve();
}
