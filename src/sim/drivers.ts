/**
 * @module sim/drivers
 * Live market driver for `perpx serve --price-source sim|replay:<csv>`: moves the index and runs
 * agents against a Venue, through venue.submit — the same durable path as API clients.
 *
 * - `replay:<csv>`: the index follows the candle file's intra-candle path (data/index-path.ts)
 *   at wall-clock speed × `speed`, starting at the file's first candle; after the last candle the
 *   index holds its last price. Market makers and an arbitrageur quote around it.
 * - `sim`: an endless synthetic path (calm GBM with rare jumps, pulled back toward its start
 *   price) plus market makers, an arbitrageur and a background crowd of traders.
 *
 * Agent accounts are created through the venue (CreateAccount + Deposit) on first start. With
 * `stateDir`, their ids are kept in <stateDir>/sim-agents.json and reused after a restart (their
 * stale orders are cancelled first); without it, every start creates fresh accounts.
 * Agents' own clocks run on path time (so speed 60 makes them 60× busier); the engine stamps
 * wall-clock time as for every venue command.
 */
import type { EngineEvent, UnsequencedCommand } from '../core/index.js';
import type { Venue } from '../venue/venue.js';
import type { Agent } from './agents/types.js';
import type { TickCandle } from './data/candle.js';
import { candlePath } from './data/index-path.js';
import { loadCandleFile } from './data/load.js';
import { SyntheticCandles } from './data/synthetic.js';
import { toTickCandle } from './data/ticks.js';
import { liveAgents, type LiveCast } from './live/agents.js';
import { readAgentAccounts, writeAgentAccounts } from './live/state-file.js';
import { Rng } from './rng.js';
import { assertIntegerCommand, eventAccountId } from './run/dispatch.js';
import { WakeQueue } from './run/scheduler.js';
import { liquidatedUsdt, usdtToE8 } from './run/world.js';
import { createView, recordIndex, refreshView } from './run/view.js';

export interface MarketDriverOptions {
  /** 'sim' or 'replay:<csv path or data-directory file name>'. */
  readonly source: string;
  /** Path time per wall-clock time (default 1). */
  readonly speed?: number;
  readonly seed?: number;
  readonly symbol?: string;
  /** Who trades: 'none', 'makers' (default for replay) or 'all' (default for sim). */
  readonly agents?: LiveCast;
  /** Where agent account ids are remembered across restarts. */
  readonly stateDir?: string;
  /** Index step along the path, ms of path time (default 1000). */
  readonly stepMs?: number;
  /** Wall-clock ms between driver ticks (default 250). */
  readonly tickMs?: number;
  /** Synthetic source: start price (default 60,000 for BTC, 3,000 otherwise). */
  readonly startPrice?: number;
  readonly onError?: (error: unknown) => void;
}

export interface MarketDriver {
  stop(): Promise<void>;
}

const MAX_POINTS_PER_TICK = 200;

export async function startMarketDriver(venue: Venue, options: MarketDriverOptions): Promise<MarketDriver> {
  const symbol = options.symbol ?? 'BTCUSDT';
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error('speed must be positive');
  const seed = options.seed ?? 1;
  const stepMs = options.stepMs ?? 1_000;
  const instrument = venue.engine.market(symbol).instrument;
  const onError = options.onError ?? ((error: unknown) => console.error('market driver:', error));
  const rng = new Rng(seed, 'live-path');
  let candles: Iterator<TickCandle>;
  let cast: LiveCast;
  if (options.source === 'sim') {
    const startPrice = options.startPrice ?? (symbol.startsWith('BTC') ? 60_000 : 3_000);
    candles = new SyntheticCandles({
      startMs: 0, intervalMs: 60_000, startPrice, annualVol: 0.5, jumpProbability: 0.002, jumpSize: 0.01,
      meanReversionHalfLifeMs: 7 * 86_400_000,
    }, instrument.tick, rng.derive('candles'));
    cast = options.agents ?? 'all';
  } else if (options.source.startsWith('replay:')) {
    const series = loadCandleFile(options.source.slice('replay:'.length));
    candles = series.candles.map((c) => toTickCandle(c, series.intervalMs, instrument.tick))[Symbol.iterator]();
    cast = options.agents ?? 'makers';
  } else {
    throw new Error(`unknown price source "${options.source}" (use sim or replay:<csv>)`);
  }

  // Path points, generated a candle at a time.
  const points: { atMs: number; ticks: number }[] = [];
  const buffer: number[] = [];
  let finished = false;
  const refill = (): void => {
    const next = candles.next();
    if (next.done === true) {
      finished = true;
      return;
    }
    const candle = next.value;
    const n = candlePath(candle, stepMs, rng, buffer);
    for (let i = 0; i < n; i++) points.push({ atMs: candle.openTimeMs + i * stepMs, ticks: buffer[i]! });
  };
  refill();
  if (points.length === 0) throw new Error('price source has no candles');
  const pathStartMs = points[0]!.atMs;

  const agents = liveAgents(instrument.spec, cast, seed);
  const byAccount = new Map<number, Agent>();
  const view = createView(venue.engine, symbol);
  const unsubscribe = venue.subscribe((entry) => {
    for (const event of entry.events) dispatch(event);
  });
  function dispatch(event: EngineEvent): void {
    const accountId = eventAccountId(event);
    if (accountId !== 0) byAccount.get(accountId)?.onEvent(event);
    if (event.type === 'Liquidation' && event.symbol === symbol) view.history.recordLiquidation(event.atMs, liquidatedUsdt(event, view));
  }
  const submit = async (command: UnsequencedCommand): Promise<readonly EngineEvent[]> => {
    assertIntegerCommand(command);
    return (await venue.submit(command)).events;
  };

  // Open the market if nobody has set an index yet.
  if (venue.engine.market(symbol).markTicks === 0) {
    await submit({ type: 'SetIndexPrice', symbol, priceTicks: points[0]!.ticks });
  }
  refreshView(view, pathStartMs);
  recordIndex(view, pathStartMs);
  const state = readAgentAccounts(options.stateDir, symbol);
  for (const agent of agents) {
    const known = state.accounts[agent.name];
    if (known !== undefined && venue.engine.accountView(known) !== undefined) {
      agent.accountId = known;
      byAccount.set(known, agent);
      await submit({ type: 'CancelAllOrders', accountId: known, symbol, scope: 'ALL' });
      agent.resume?.(view);
      continue;
    }
    const created = (await submit({ type: 'CreateAccount', parentAccountId: 0 })).find((e) => e.type === 'AccountCreated');
    if (created?.type !== 'AccountCreated') throw new Error(`could not create an account for ${agent.name}`);
    agent.accountId = created.accountId;
    byAccount.set(agent.accountId, agent);
    await submit({ type: 'Deposit', accountId: agent.accountId, amountE8: usdtToE8(agent.capitalUsdt) });
    for (const command of agent.setup(view)) await submit(command);
    state.accounts[agent.name] = agent.accountId;
  }
  writeAgentAccounts(options.stateDir, state);

  const queue = new WakeQueue();
  const stepAgents: Agent[] = [];
  agents.forEach((agent, i) => {
    agent.nextWakeMs = pathStartMs + Math.max(0, agent.nextWakeMs);
    if (agent.everyStep) stepAgents.push(agent);
    else queue.push(agent.nextWakeMs, i);
  });

  const wallStart = Date.now();
  let cursor = 0;
  let stopped = false;
  let running: Promise<void> | undefined;

  const runAgent = async (agent: Agent, pathMs: number): Promise<void> => {
    refreshView(view, pathMs);
    for (const command of agent.act(view)) await submit(command);
  };

  const tick = async (): Promise<void> => {
    const pathNow = pathStartMs + (Date.now() - wallStart) * speed;
    // Due index points; if the driver fell far behind, skip to the newest few.
    let due = 0;
    while (!finished && (points.length - cursor < 2 || points[points.length - 1]!.atMs <= pathNow)) refill();
    while (cursor + due < points.length && points[cursor + due]!.atMs <= pathNow) due++;
    if (due === 0) return;
    if (due > MAX_POINTS_PER_TICK) {
      cursor += due - MAX_POINTS_PER_TICK;
      due = MAX_POINTS_PER_TICK;
    }
    for (let k = 0; k < due && !stopped; k++) {
      const point = points[cursor++]!;
      if (point.ticks !== venue.engine.market(symbol).indexTicks) {
        await submit({ type: 'SetIndexPrice', symbol, priceTicks: point.ticks });
      }
      refreshView(view, point.atMs);
      recordIndex(view, point.atMs);
    }
    if (cursor > 10_000) {
      points.splice(0, cursor);
      cursor = 0;
    }
    const pathMs = view.nowMs;
    for (const agent of stepAgents) if (!stopped) await runAgent(agent, pathMs);
    while (!stopped && queue.peekTime() <= pathMs) {
      const i = queue.pop();
      const agent = agents[i]!;
      await runAgent(agent, pathMs);
      queue.push(agent.nextWakeMs > pathMs ? agent.nextWakeMs : pathMs + 1, i);
    }
  };

  const timer = setInterval(() => {
    if (running !== undefined || stopped) return;
    running = tick().catch(onError).finally(() => {
      running = undefined;
    });
  }, options.tickMs ?? 250);

  return {
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      if (running !== undefined) await running;
      unsubscribe();
    },
  };
}
