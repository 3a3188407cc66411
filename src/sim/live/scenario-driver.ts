/**
 * @module sim/live/scenario-driver
 * A scenario served live (`perpx serve --scenario <file> --speed N`): the same agents, index path
 * and faults as `perpx sim`, driven through the durable venue behind the Binance-compatible API,
 * so an unchanged bot trades inside the replay and its orders move the book.
 *
 * Time: the venue stamps every command — the agents' and the bot's — with the path clock, which
 * the driver sets to each index step's time; the warm-up runs as fast as the journal allows, the
 * replay at `speed` × wall time. Determinism: before each step the driver waits until every
 * command applied so far (the bot's included) is durable and its events have reached the agents,
 * then runs the whole step synchronously; bot commands therefore land between steps, stamped with
 * the last step's time. The same scenario, seed and bot commands in the same places give the same
 * journal, and without a bot the journal is the same at any speed. The journal replays it
 * (`perpx journal verify`).
 */
import { afterSetup, needsSubAccount } from '../agents/copy-accounts.js';
import type { EngineEvent, UnsequencedCommand } from '../../core/index.js';
import type { Venue } from '../../venue/venue.js';
import { createAgents } from '../agents/factory.js';
import type { Agent } from '../agents/types.js';
import { candlePath } from '../data/index-path.js';
import { Rng } from '../rng.js';
import { assertIntegerCommand, eventAccountId } from '../run/dispatch.js';
import { WakeQueue } from '../run/scheduler.js';
import { createView, recordIndex, refreshView } from '../run/view.js';
import { liquidatedUsdt, usdtToE8 } from '../run/world.js';
import { FaultPlan } from '../scenario/faults.js';
import { resolveData, type LoadedScenario } from '../scenario/load.js';
import { LoadMeter } from './load-meter.js';
import type { PathClock } from './request-gate.js';

const HOUR_MS = 3_600_000;

export interface ScenarioDriverOptions {
  readonly loaded: LoadedScenario;
  /** Path time per wall time during the replay (the warm-up is not paced). */
  readonly speed: number;
  /** The venue's clock: the driver moves it to each step's path time. */
  readonly clock: PathClock;
  readonly log?: (line: string) => void;
  readonly onError?: (error: unknown) => void;
}

export interface ScenarioDriver {
  readonly faults: FaultPlan;
  readonly load: LoadMeter;
  /** Starts the warm-up and then the paced replay (call once the API listens). */
  start(): void;
  /** Resolves when the replay starts being paced (the warm-up is done, every agent exists). */
  readonly replayStarted: Promise<void>;
  /** Resolves when the last index step has run. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

/** Checks that the venue can host the scenario; throws a message for the operator otherwise. */
function checkVenue(venue: Venue, loaded: LoadedScenario): void {
  if (Object.keys(loaded.spec.engine.instrument).length > 0) {
    throw new Error('serve --scenario: the scenario overrides instrument settings (engine.instrument), which a running venue cannot take; remove them or use perpx sim');
  }
  if (venue.engine.lastSeq > 0) {
    throw new Error(`serve --scenario needs an empty data directory (this one holds ${venue.engine.lastSeq} commands); a scenario always starts from its first candle`);
  }
}

export function createScenarioDriver(venue: Venue, options: ScenarioDriverOptions): ScenarioDriver {
  const { loaded, speed, clock } = options;
  if (!(speed > 0)) throw new Error('--speed must be positive');
  checkVenue(venue, loaded);
  const spec = loaded.spec;
  const symbol = spec.symbol;
  const instrument = venue.engine.market(symbol).instrument;
  const data = resolveData(loaded, instrument.spec);
  const faults = new FaultPlan(spec.faults);
  const load = new LoadMeter();
  const log = options.log ?? ((line: string) => console.log(line));
  const onError = options.onError ?? ((error: unknown) => console.error('scenario driver:', error));
  const view = createView(venue.engine, symbol);
  view.history.setLiquidationHalfLife(spec.market.liquidationMemorySec * 1000);
  const byAccount = new Map<number, Agent>();
  let dispatchedSeq = venue.engine.lastSeq;
  let waiting: (() => void) | undefined;
  const unsubscribe = venue.subscribe((entry) => {
    load.record(entry.command.atMs, entry.events);
    for (const event of entry.events) dispatch(event);
    dispatchedSeq = entry.command.seq;
    if (waiting !== undefined && dispatchedSeq >= venue.engine.lastSeq) {
      const resolve = waiting;
      waiting = undefined;
      resolve();
    }
  });
  function dispatch(event: EngineEvent): void {
    const accountId = eventAccountId(event);
    if (accountId !== 0) byAccount.get(accountId)?.onEvent(event);
    if (event.type === 'Liquidation' && event.symbol === symbol) view.history.recordLiquidation(event.atMs, liquidatedUsdt(event, view));
  }
  /** Resolves once every applied command (anyone's) is durable and dispatched. */
  const settled = (): Promise<void> => (dispatchedSeq >= venue.engine.lastSeq ? Promise.resolve()
    : new Promise<void>((resolve) => { waiting = resolve; }));
  const failures: unknown[] = [];
  const submit = (command: UnsequencedCommand): Promise<readonly EngineEvent[]> => {
    assertIntegerCommand(command);
    const promise = venue.submit(command).then((outcome) => outcome.events);
    promise.catch((error: unknown) => failures.push(error));
    return promise;
  };

  const agents = createAgents(spec, instrument.spec);
  const warmupGroups = new Set(spec.agents.filter((g) => g.from === 'warmup').map((g) => g.name ?? g.type));
  const early = spec.warmup === undefined ? agents : agents.filter((a) => warmupGroups.has(a.group));
  const late = spec.warmup === undefined ? [] : agents.filter((a) => !warmupGroups.has(a.group));
  const all: Agent[] = [];
  const queue = new WakeQueue();
  const stepAgents: Agent[] = [];
  const addAgent = async (agent: Agent): Promise<void> => {
    let parentAccountId = 0;
    if (needsSubAccount(agent)) {
      const master = (await submit({ type: 'CreateAccount', parentAccountId: 0 })).find((e) => e.type === 'AccountCreated');
      if (master?.type === 'AccountCreated') parentAccountId = master.accountId;
    }
    const created = (await submit({ type: 'CreateAccount', parentAccountId })).find((e) => e.type === 'AccountCreated');
    if (created?.type !== 'AccountCreated') throw new Error(`could not create an account for ${agent.name}`);
    agent.accountId = created.accountId;
    byAccount.set(agent.accountId, agent);
    await submit({ type: 'Deposit', accountId: agent.accountId, amountE8: usdtToE8(agent.capitalUsdt) });
    refreshView(view, clock.nowMs);
    for (const command of agent.setup(view)) await submit(command);
    for (const command of afterSetup(agent)) await submit(command);
    agent.nextWakeMs = clock.nowMs + Math.max(0, agent.nextWakeMs);
    const index = all.length;
    all.push(agent);
    if (agent.everyStep) stepAgents.push(agent);
    else queue.push(agent.nextWakeMs, index);
  };
  const act = (agent: Agent, atMs: number): void => {
    refreshView(view, atMs);
    for (const command of agent.act(view)) void submit(command);
  };

  let stopped = false;
  let markStarted: () => void = () => undefined;
  const replayStarted = new Promise<void>((resolve) => { markStarted = resolve; });
  const run = async (): Promise<void> => {
    const candles = data.candles;
    const replayStartMs = data.replayStartMs;
    const rng = new Rng(spec.seed, 'index-path');
    const buffer: number[] = [];
    clock.nowMs = candles[0]!.openTimeMs;
    if (spec.engine.insuranceFundUsdt > 0) await submit({ type: 'FundInsurance', amountE8: usdtToE8(spec.engine.insuranceFundUsdt) });
    let published = 0;
    let joined = late.length === 0;
    let wallStart = 0;
    for (const agent of early) await addAgent(agent);
    for (let c = 0; c < candles.length && !stopped; c++) {
      const candle = candles[c]!;
      const step = candle.openTimeMs < replayStartMs ? spec.warmup?.stepMs ?? spec.path.stepMs
        : candle.durationMs >= HOUR_MS ? spec.path.hourlyStepMs ?? spec.path.stepMs : spec.path.stepMs;
      const n = candlePath(candle, step, rng, buffer);
      for (let i = 0; i < n && !stopped; i++) {
        const atMs = candle.openTimeMs + i * step;
        if (atMs >= replayStartMs) {
          if (!joined) {
            clock.nowMs = atMs;
            for (const agent of late) await addAgent(agent);
            joined = true;
          }
          if (wallStart === 0) {
            wallStart = Date.now();
            log(`scenario replay started: path ${new Date(atMs).toISOString()} at wall ${new Date(wallStart).toISOString()}, speed ${speed}`);
            markStarted();
          }
          const due = wallStart + (atMs - replayStartMs) / speed;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        await settled();
        if (failures.length > 0) throw failures[0];
        if (stopped) break;
        clock.nowMs = atMs;
        published = faults.index(atMs, buffer[i]!, published);
        if (published !== venue.engine.market(symbol).indexTicks) void submit({ type: 'SetIndexPrice', symbol, priceTicks: published });
        view.liquidityDrain = faults.drain(atMs);
        refreshView(view, atMs);
        recordIndex(view, atMs);
        for (const agent of stepAgents) act(agent, atMs);
        while (queue.peekTime() <= atMs) {
          const index = queue.pop();
          const agent = all[index]!;
          act(agent, atMs);
          queue.push(agent.nextWakeMs > atMs ? agent.nextWakeMs : atMs + 1, index);
        }
      }
    }
    await settled();
    if (wallStart === 0) markStarted();
    if (!stopped) log(`scenario finished at path ${new Date(clock.nowMs).toISOString()}; the index holds its last value`);
  };
  let markFinished: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => { markFinished = resolve; });
  let running = false;
  return {
    faults, load, replayStarted, finished,
    start(): void {
      if (running) return;
      running = true;
      run().catch((error: unknown) => {
        markStarted();
        if (!stopped) onError(error);
      }).finally(markFinished);
    },
    async stop(): Promise<void> {
      stopped = true;
      waiting?.();
      if (running) await finished;
      unsubscribe();
    },
  };
}
