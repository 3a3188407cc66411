/**
 * @module sim/run/world
 * The batch simulator's core loop pieces: one engine, driven directly with its own sequence
 * numbers and a simulated clock (deterministic and fast — no venue, no wall clock), the agents
 * with their accounts, and the listeners that record what happens. Used by `perpx sim`, the risk
 * of ruin runs and the benchmark.
 */
import { afterSetup, needsSubAccount } from '../agents/copy-accounts.js';
import {
  createOrderBook, Engine, type Command, type EngineEvent, type EventChunk, type InstrumentSpec, type LiquidationEvent,
  type UnsequencedCommand,
} from '../../core/index.js';
import type { Agent, MarketView } from '../agents/types.js';
import { assertIntegerCommand, eventAccountId } from './dispatch.js';
import type { PhaseTimer } from './phase-timer.js';
import { WakeQueue } from './scheduler.js';
import { EventStreamHash } from './stream-hash.js';
import { createView, recordIndex, refreshView } from './view.js';

export type CommandListener = (command: Command, events: readonly EngineEvent[]) => void;

export interface AuditOptions {
  /** Check every n commands (1 = every command). */
  readonly every: number;
  /** Also after every command that liquidated someone. */
  readonly onLiquidation: boolean;
}

export interface AuditResult {
  checks: number;
  violations: { seq: number; messages: string[] }[];
}

const E6 = 1_000_000n;

export class SimWorld {
  readonly engine: Engine;
  readonly view: MarketView;
  readonly agents: Agent[] = [];
  private readonly byAccount: (Agent | undefined)[] = [];
  private readonly listeners: CommandListener[] = [];
  private readonly queue = new WakeQueue();
  private readonly stepAgents: number[] = [];
  seq = 0;
  nowMs = 0;
  commands = 0;
  readonly audit: AuditResult = { checks: 0, violations: [] };
  /** Fingerprint of every command's events (see stream-hash.ts). */
  readonly streamHash = new EventStreamHash();
  /** Set by the benchmark to split the run's time between engine, agents and recording. */
  timer: PhaseTimer | undefined;
  private events: EngineEvent[] = [];
  private readonly sink = (chunk: EventChunk): void => {
    this.timer?.enter('recording');
    this.streamHash.chunk(chunk);
    this.timer?.leave();
    chunk.decodeInto(this.events);
  };

  constructor(instrument: InstrumentSpec, readonly auditOptions: AuditOptions = { every: 1_000, onLiquidation: true }) {
    this.engine = new Engine({ instruments: [instrument], bookFactory: createOrderBook });
    this.view = createView(this.engine, instrument.symbol);
  }

  onCommand(listener: CommandListener): void {
    this.listeners.push(listener);
  }

  /** Applies one command at the current simulated time (stamping seq and time onto it); returns its events. */
  submit(command: UnsequencedCommand): EngineEvent[] {
    assertIntegerCommand(command);
    // Agents hand over fresh objects: stamping them in place saves a copy per command.
    const sequenced = command as Command;
    (sequenced as { seq: number }).seq = ++this.seq;
    (sequenced as { atMs: number }).atMs = this.nowMs;
    const timer = this.timer;
    const events: EngineEvent[] = [];
    this.events = events;
    this.streamHash.command(sequenced.seq, sequenced.atMs);
    timer?.enter('engine');
    this.engine.applyStreaming(sequenced, this.sink);
    timer?.leave();
    this.commands++;
    timer?.enter('recording');
    for (const listener of this.listeners) listener(sequenced, events);
    timer?.leave();
    let liquidated = false;
    timer?.enter('agents');
    for (const event of events) {
      const accountId = eventAccountId(event);
      if (accountId !== 0) this.byAccount[accountId]?.onEvent(event);
      if (event.type === 'Liquidation') {
        liquidated = true;
        this.view.history.recordLiquidation(event.atMs, liquidatedUsdt(event, this.view));
      }
    }
    timer?.leave();
    if (this.commands % this.auditOptions.every === 0 || (liquidated && this.auditOptions.onLiquidation)) this.runAudit();
    return events;
  }

  runAudit(): void {
    this.audit.checks++;
    this.timer?.enter('audit');
    const messages = this.engine.checkInvariants();
    this.timer?.leave();
    if (messages.length > 0 && this.audit.violations.length < 20) this.audit.violations.push({ seq: this.seq, messages });
  }

  setTime(nowMs: number): void {
    if (nowMs < this.nowMs) throw new Error(`simulated time went backwards: ${nowMs} < ${this.nowMs}`);
    this.nowMs = nowMs;
  }

  fundInsurance(usdt: number): void {
    if (usdt > 0) this.submit({ type: 'FundInsurance', amountE8: usdtToE8(usdt) });
  }

  setIndex(ticks: number): void {
    if (ticks === this.engine.market(this.view.symbol).indexTicks) return;
    this.submit({ type: 'SetIndexPrice', symbol: this.view.symbol, priceTicks: ticks });
  }

  /** Creates and funds the agent's account, runs its setup commands, and schedules it. */
  addAgent(agent: Agent): void {
    let parentAccountId = 0;
    if (needsSubAccount(agent)) {
      const master = this.submit({ type: 'CreateAccount', parentAccountId: 0 }).find((e) => e.type === 'AccountCreated');
      if (master?.type === 'AccountCreated') parentAccountId = master.accountId;
    }
    const created = this.submit({ type: 'CreateAccount', parentAccountId }).find((e) => e.type === 'AccountCreated');
    if (created?.type !== 'AccountCreated') throw new Error(`account for ${agent.name} was not created`);
    agent.accountId = created.accountId;
    this.byAccount[agent.accountId] = agent;
    const index = this.agents.length;
    this.agents.push(agent);
    this.submit({ type: 'Deposit', accountId: agent.accountId, amountE8: usdtToE8(agent.capitalUsdt) });
    refreshView(this.view, this.nowMs);
    for (const command of agent.setup(this.view)) this.submit(command);
    for (const command of afterSetup(agent)) this.submit(command);
    // Agents state their first wake-up as an offset from the moment they join.
    agent.nextWakeMs = this.nowMs + Math.max(0, agent.nextWakeMs);
    if (agent.everyStep) this.stepAgents.push(index);
    else this.queue.push(agent.nextWakeMs, index);
  }

  agentOf(accountId: number): Agent | undefined {
    return this.byAccount[accountId];
  }

  /** One path step: new index, then every-step agents, then agents whose wake time has come. */
  step(nowMs: number, indexTicks: number): void {
    this.setTime(nowMs);
    this.setIndex(indexTicks);
    refreshView(this.view, nowMs);
    recordIndex(this.view, nowMs);
    for (const index of this.stepAgents) this.runAgent(this.agents[index]!);
    while (this.queue.peekTime() <= nowMs) {
      const index = this.queue.pop();
      const agent = this.agents[index]!;
      this.runAgent(agent);
      // Agents always move their wake time forward; a stuck one is rescheduled a step later.
      this.queue.push(agent.nextWakeMs > nowMs ? agent.nextWakeMs : nowMs + 1, index);
    }
  }

  private runAgent(agent: Agent): void {
    refreshView(this.view, this.nowMs);
    this.timer?.enter('agents');
    const commands = agent.act(this.view);
    this.timer?.leave();
    for (const command of commands) this.submit(command);
  }

  /** Advances the clock with a Tick (lets the last mark samples and funding happen). */
  tick(nowMs: number): void {
    this.setTime(nowMs);
    this.submit({ type: 'Tick' });
  }
}

/** A liquidation's notional at mark in USDT (what the public liquidation stream shows). */
export function liquidatedUsdt(event: LiquidationEvent, view: MarketView): number {
  return (event.qtyLots * event.markTicks * Number(view.instrument.quotePerTickLotE8)) / 1e8;
}

/** USDT (float with at most cents) → quote E8, exactly to the cent. */
export function usdtToE8(usdt: number): bigint {
  return BigInt(Math.round(usdt * 100)) * E6;
}
