/**
 * The differential runner: drives the real Engine (src/core, fast book) and the reference engine
 * with the same commands and, after every command, compares the events (deep, bigint-aware), every
 * account's view (balances, available, withdrawable, margins, each position's size, cost, UPnL,
 * liquidation price, isolated wallet…), every account's open orders, every market's figures and
 * book depth, and the venue's ledger, and runs the engine's auditor. "Crash" steps serialize the engine, restore it into a fresh one and
 * go on (the reference just continues). The first difference throws with the step, the event and
 * the field, and a copy-pasteable reproduction of every step up to it.
 */
import fc from 'fast-check';
import { createOrderBook } from '../../src/core/book/index.js';
import type { Command } from '../../src/core/engine/commands.js';
import { Engine } from '../../src/core/engine/engine.js';
import type { EngineEvent } from '../../src/core/engine/events.js';
import { firstDifference, show } from './compare.js';
import { actionArbitrary, setupArbitrary, stepsFor, type Action, type Step, type StreamSetup } from './generator.js';
import { scriptSource } from './printer.js';
import { profileNamed, type Profile } from './profiles.js';
import { ReferenceEngine } from './reference/reference-engine.js';

/** 2021-05-19 07:59:00 UTC: the first minute already crosses a funding instant. */
export const START_MS = Date.UTC(2021, 4, 19, 7, 59, 0);

export class DifferentialFailure extends Error {}

/** Counts of what a run exercised (event types and reasons), for coverage reports. */
export type Coverage = Map<string, number>;

export class Differential {
  engine: Engine;
  readonly reference: ReferenceEngine;
  readonly steps: Step[] = [];
  /** The sequenced commands applied (golden streams record them). */
  readonly commands: Command[] = [];
  readonly coverage: Coverage = new Map();
  private seq = 0;
  nowMs = START_MS;

  constructor(readonly profile: Profile) {
    this.engine = this.freshEngine();
    this.reference = new ReferenceEngine({ instruments: profile.instruments });
  }

  private freshEngine(): Engine {
    return new Engine({ instruments: this.profile.instruments, bookFactory: createOrderBook });
  }

  run(step: Step): void {
    this.steps.push(step);
    if (step.kind === 'crash') {
      const bytes = this.engine.serialize();
      this.engine = this.freshEngine();
      this.engine.restore(bytes);
      this.count('crash');
      return;
    }
    if (step.kind === 'preview') {
      const engine = this.engine.previewOrder(step.input)?.affordable;
      const reference = this.reference.previewAffordable(step.input);
      if (engine !== reference) this.fail(`preview affordable: engine ${String(engine)}, reference ${String(reference)}`);
      return;
    }
    this.nowMs += step.dtMs;
    const command = { ...step.command, seq: ++this.seq, atMs: this.nowMs } as Command;
    this.commands.push(command);
    this.count(`Command:${command.type}`);
    if (step.dtMs > 3_600_000) this.count('Gap:quiet');
    const engineEvents = this.engine.apply(command);
    const referenceEvents = this.reference.apply(command);
    this.compare(engineEvents, referenceEvents);
    this.audit();
    for (const event of engineEvents) this.countEvent(event);
  }

  private compare(engineEvents: EngineEvent[], referenceEvents: EngineEvent[]): void {
    const events = firstDifference(engineEvents, referenceEvents, 'events');
    if (events !== undefined) this.fail(events);
    const ids = this.reference.accountIds;
    for (const id of ids) {
      const view = firstDifference(this.engine.accountView(id), this.reference.accountView(id), `accountView(${id})`);
      if (view !== undefined) this.fail(view);
      const orders = firstDifference(this.engine.openOrders(id), this.reference.openOrders(id), `openOrders(${id})`);
      if (orders !== undefined) this.fail(orders);
    }
    if (this.engine.accountView(ids.length + 1) !== undefined) this.fail(`engine has account ${ids.length + 1}`);
    for (const instrument of this.profile.instruments) {
      const market = firstDifference(this.engine.marketView(instrument.symbol), this.reference.marketView(instrument.symbol),
        `marketView(${instrument.symbol})`);
      if (market !== undefined) this.fail(market);
      const book = firstDifference(this.engine.depth(instrument.symbol, 1_000), this.reference.depth(instrument.symbol, 1_000),
        `depth(${instrument.symbol})`);
      if (book !== undefined) this.fail(book);
    }
    const ledger = firstDifference(this.engine.ledger(), this.reference.ledger(), 'ledger');
    if (ledger !== undefined) this.fail(ledger);
  }

  private audit(): void {
    const violations = this.engine.checkInvariants();
    if (violations.length > 0) this.fail(`engine invariants: ${violations.join('; ')}`);
  }

  private fail(difference: string): never {
    const index = this.steps.length - 1;
    const step = this.steps[index]!;
    const what = step.kind === 'command' ? `command seq ${this.seq} (${step.command.type}) ${show(step.command)}` : step.kind;
    throw new DifferentialFailure([
      `Differential mismatch at step #${index}, ${what}`,
      `  ${difference}`,
      "Reproduction (a test with `import { replayScript } from '<path>/test/oracle/differential.js'`):",
      scriptSource(this.profile.name, this.steps),
    ].join('\n'));
  }

  private count(key: string): void {
    this.coverage.set(key, (this.coverage.get(key) ?? 0) + 1);
  }

  private countEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'BalanceChanged': return this.count(`Balance:${event.reason}`);
      case 'InsuranceFundChanged': return this.count(`Insurance:${event.reason}`);
      case 'OrderUpdate': return this.count(`Order:${event.execution}:${event.reason}:${event.order.orderType}`);
      case 'Trade': return this.count(`Trade:${event.kind}`);
      case 'Liquidation':
        this.count(`Liquidation:${event.marginType}`);
        if (event.adl.length > 0) {
          this.count('Liquidation:ADL');
          const spec = this.profile.instruments.find((instrument) => instrument.symbol === event.symbol)!;
          this.count(`ADL:${spec.adlPolicy ?? 'BINANCE'}`);
        }
        if (event.qtyLots < Math.abs(event.positionLotsBefore)) this.count('Liquidation:partial');
        return;
      case 'FundingSettled': return this.count(event.positions > 0 ? 'Funding:paid' : 'Funding:empty');
      case 'Rejected': return this.count(`Rejected:${event.commandType}:${event.code}`);
      // The policy gate's events too, though no generated stream has them (its commands are not modelled).
      case 'AccountCreated': case 'IndexPriceUpdated': case 'LeverageChanged': case 'MarginTypeChanged':
      case 'MarkPriceUpdated': case 'PositionChanged':
      case 'AccountPolicyChanged': case 'AcknowledgementRecorded': case 'JurisdictionPolicyChanged': case 'VenuePolicyChanged':
      case 'LeadPortfolioChanged': case 'FollowerChanged': case 'CopyFill': case 'CopySkipped': case 'ProfitShareSettled':
      case 'SponsorshipChanged': case 'SponsorLimitBreached': case 'SponsorDayStarted': case 'SponsorshipSettled':
        return this.count(event.type);
    }
  }
}

/** The commands that open a stream: accounts with deposits, the insurance fund, first index prices. */
export function setupSteps(profile: Profile, setup: StreamSetup): Step[] {
  const steps: Step[] = [];
  setup.deposits.forEach((usdt, i) => {
    steps.push({ kind: 'command', command: { type: 'CreateAccount', parentAccountId: 0 }, dtMs: 0 });
    steps.push({ kind: 'command', command: { type: 'Deposit', accountId: i + 1, amountE8: BigInt(usdt) * 100_000_000n }, dtMs: 0 });
  });
  if (setup.insuranceUsdt > 0) {
    steps.push({ kind: 'command', command: { type: 'FundInsurance', amountE8: BigInt(setup.insuranceUsdt) * 100_000_000n }, dtMs: 0 });
  }
  setup.deposits.forEach((_usdt, i) => {
    const leverage = setup.leverages[i % setup.leverages.length] ?? 0;
    if (leverage === 0) return;
    for (const instrument of profile.instruments) {
      steps.push({ kind: 'command', command: { type: 'SetLeverage', accountId: i + 1, symbol: instrument.symbol, leverage }, dtMs: 0 });
    }
  });
  profile.instruments.forEach((instrument, i) => {
    const start = profile.startTicks[i]!;
    const priceTicks = start + Math.trunc((start * (setup.startOffsets[i] ?? 0)) / 1_000);
    steps.push({ kind: 'command', command: { type: 'SetIndexPrice', symbol: instrument.symbol, priceTicks }, dtMs: 10 });
  });
  return steps;
}

/** Runs a generated stream: set-up, then each action interpreted against the reference state. */
export function runActions(profileName: string, setup: StreamSetup, actions: readonly Action[]): Differential {
  const run = new Differential(profileNamed(profileName));
  for (const step of setupSteps(run.profile, setup)) run.run(step);
  for (const action of actions) {
    for (const step of stepsFor(run.reference, action, run.nowMs)) run.run(step);
  }
  return run;
}

/** Replays a concrete script (what a failure prints). */
export function replayScript(script: { profile: string; steps: readonly Step[] }): Differential {
  const run = new Differential(profileNamed(script.profile));
  for (const step of script.steps) run.run(step);
  return run;
}

export interface DifferentialRunOptions {
  readonly seed: number;
  readonly numRuns: number;
  readonly minActions: number;
  readonly maxActions: number;
  /** Stop generating new cases (and shrinking) after this long; a failure found is still reported. */
  readonly timeLimitMs: number;
}

/**
 * fast-check drives random streams (a profile, a set-up, actions) through both engines; the first
 * mismatch is shrunk to a small stream and reported with its reproduction. Returns the coverage
 * summed over all runs.
 */
export function assertDifferential(options: DifferentialRunOptions): Coverage {
  const total: Coverage = new Map();
  const streams = fc.tuple(fc.constantFrom('binance', 'odd', 'hyperliquid', 'odd-adl'), setupArbitrary,
    fc.array(actionArbitrary, { minLength: options.minActions, maxLength: options.maxActions }));
  fc.assert(fc.property(streams, ([profile, setup, actions]) => {
    const run = runActions(profile, setup, actions);
    for (const [key, count] of run.coverage) total.set(key, (total.get(key) ?? 0) + count);
  }), {
    seed: options.seed, numRuns: options.numRuns, interruptAfterTimeLimit: options.timeLimitMs,
    // scripts/oracle-teeth.ts only asks whether a mutant is caught: no time spent shrinking.
    endOnFailure: process.env['DIFFERENTIAL_NO_SHRINK'] !== undefined,
  });
  return total;
}

/** What every differential run must reach, so a generator change cannot quietly blunt it. */
export const REQUIRED_COVERAGE = [
  'Command:CreateAccount', 'Command:Deposit', 'Command:Withdraw', 'Command:Transfer', 'Command:FundInsurance',
  'Command:SetLeverage', 'Command:SetMarginType', 'Command:AdjustIsolatedMargin', 'Command:PlaceOrder', 'Command:CancelOrder',
  'Command:CancelAllOrders', 'Command:AmendOrder', 'Command:SetIndexPrice', 'Command:Tick', 'Gap:quiet', 'crash',
  'Trade:NORMAL', 'Trade:LIQUIDATION', 'Trade:ADL', 'Liquidation:CROSSED', 'Liquidation:ISOLATED', 'Liquidation:ADL',
  'Liquidation:partial', 'ADL:BINANCE', 'ADL:HYPERLIQUID', 'ADL:PRO_RATA', 'ADL:MIN_OVERSHOOT',
  'Insurance:DEFICIT', 'Insurance:LIQUIDATION_FEE', 'Insurance:FUNDING_RESIDUE', 'Funding:paid', 'Balance:ISOLATED_MARGIN',
  'Order:TRIGGERED:NONE:STOP', 'Order:TRIGGERED:NONE:STOP_MARKET', 'Order:TRIGGERED:NONE:TAKE_PROFIT',
  'Order:TRIGGERED:NONE:TAKE_PROFIT_MARKET', 'Order:TRIGGERED:NONE:TRAILING_STOP_MARKET', 'Order:EXPIRED:STP:LIMIT',
  'Order:EXPIRED:TRIGGER_REJECTED:STOP_MARKET', 'Order:AMENDMENT:NONE:LIMIT', 'Order:CANCELED:LIQUIDATION:LIMIT',
];
