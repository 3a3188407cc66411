/**
 * @module engine/engine
 * The engine: a pure, synchronous state machine. `apply(command)` advances the clock to the
 * command's time (mark samples, premium samples, funding), applies the command, runs the risk pass
 * (triggers, reduce-only reconciliation, liquidations, ADL) and returns the events it produced.
 * Same commands ⇒ same events and same stateHash(), on any machine: there is no clock, randomness,
 * I/O or floating point inside, and ids come from counters that are part of the state.
 * Business failures are Rejected events; broken invariants throw AssertionFailure (crash-only).
 */
import { assert, AssertionFailure, assertNever } from '../assert.js';
import type { BookConfig, OrderBook } from '../book/types.js';
import { compileInstrument, type Instrument, type InstrumentSpec } from '../instrument/instrument.js';
import {
  adjustIsolatedMargin, createAccount, deposit, fundInsurance, setIndexPrice, setLeverage, setMarginType, transfer,
  withdraw,
} from './account-commands.js';
import { advanceClock, estimatedFundingRateE8 } from './clock.js';
import {
  closeLeadPortfolio, follow, followerView, openLeadPortfolio, portfolioView, removeFollower, unfollow, type FollowerView,
  type LeadPortfolioView,
} from './copy.js';
import type { Command } from './commands.js';
import { DEFAULT_LIMITS, EngineContext, type EngineLimits } from './context.js';
import { amendOrder, cancelAllOrders, cancelOrder } from './cancel.js';
import type { EngineEvent, OrderView } from './events.js';
import type { EventChunk, EventLog } from './event-log.js';
import {
  accountView, allOpenOrders, depth, ledger, marketView, openOrders, previewOrder, type AccountView, type DepthLevel,
  type LedgerView, type MarketView, type OrderPreview, type OrderPreviewInput,
} from './queries.js';
import { LiquidationIndex } from './liquidation-index.js';
import { placeOrder } from './place-order.js';
import {
  recordAcknowledgement, setAccountPolicy, setJurisdictionPolicy, setVenuePolicy, standingView, startCoolOff, subAccountTransfer, type StandingView,
} from './policy.js';
import { REJECT } from './reject-codes.js';
import { endSponsorship, sponsorAccount, sponsorshipView, type SponsorshipView } from './sponsor.js';
import { settle } from './settle.js';
import { restoreState, serializeState, stateHashOf } from './serialize.js';
import { checkInvariants } from './invariants.js';
import { auditCommand, auditSnapshot, type AuditSnapshot } from './audit-command.js';
import { Market } from './state.js';
import { TriggerIndex } from './trigger-index.js';

export type BookFactory = (config: BookConfig) => OrderBook;

export interface EngineConfig {
  readonly instruments: readonly InstrumentSpec[];
  readonly bookFactory: BookFactory;
  readonly limits?: Partial<EngineLimits>;
}

export class Engine {
  readonly ctx: EngineContext;
  readonly instruments: readonly Instrument[];

  constructor(readonly config: EngineConfig) {
    assert(config.instruments.length > 0 && config.instruments.length <= 1024, 'between 1 and 1024 instruments');
    this.instruments = config.instruments.map(compileInstrument);
    const symbols = new Set(this.instruments.map((instrument) => instrument.symbol));
    assert(symbols.size === this.instruments.length, 'instrument symbols are unique');
    const markets: Market[] = [];
    const limits: EngineLimits = { ...DEFAULT_LIMITS, ...config.limits };
    // The context is the book listener; it must exist before the books, so build it in two steps.
    const ctx = new EngineContext(markets, limits);
    this.instruments.forEach((instrument, index) => {
      const book = config.bookFactory({ maxPriceTicks: instrument.maxPriceTicks, listener: ctx });
      markets.push(new Market(index, instrument, book, new TriggerIndex(), new LiquidationIndex(instrument.maxPriceTicks)));
    });
    for (const market of markets) ctx.marketBySymbol.set(market.instrument.symbol, market);
    this.ctx = ctx;
  }

  /** Applies one sequenced command and returns the events it produced. */
  apply(command: Command): EngineEvent[] {
    return this.applyToEventLog(command).decode();
  }

  /**
   * Applies one sequenced command and returns its events in the engine's event log, undecoded
   * (valid until the next command). For consumers that count, skip or re-encode events, and for
   * cascades that produce millions of them.
   */
  applyToEventLog(command: Command): EventLog {
    this.run(command, undefined);
    return this.ctx.log;
  }

  /**
   * Applies one sequenced command and streams its events to `sink` in chunks as they are written
   * (the last chunk when the command ends). The sink reads each chunk during the call and keeps
   * nothing: chunks are reused. A cascade of any size then writes into the same few megabytes.
   * A sink that throws leaves the command half applied: like a failed assertion, that is a crash
   * (the process restarts from snapshot + journal).
   */
  applyStreaming(command: Command, sink: (chunk: EventChunk) => void): void {
    this.run(command, sink);
    this.ctx.log.finishStream();
  }

  private run(command: Command, sink: ((chunk: EventChunk) => void) | undefined): void {
    const ctx = this.ctx;
    // Messages are built only on failure: this runs once per command.
    if (command.seq !== ctx.lastSeq + 1) throw new AssertionFailure(`command seq ${command.seq} follows ${ctx.lastSeq}`);
    assert(Number.isSafeInteger(command.atMs) && command.atMs >= 0, 'command time is a non-negative integer');
    ctx.lastSeq = command.seq;
    ctx.log.reset(sink);
    if (command.atMs < ctx.clockMs) {
      ctx.reject(command.type, REJECT.TIME_WENT_BACKWARDS, 0, '');
      return;
    }
    advanceClock(ctx, command.atMs);
    ctx.clockMs = command.atMs;
    this.dispatch(command);
    settle(ctx, command.atMs);
    for (const market of ctx.markets) {
      market.adlQueues[0] = undefined;
      market.adlQueues[1] = undefined;
    }
  }

  private dispatch(command: Command): void {
    const ctx = this.ctx;
    switch (command.type) {
      case 'CreateAccount': return createAccount(ctx, command);
      case 'Deposit': return deposit(ctx, command);
      case 'Withdraw': return withdraw(ctx, command);
      case 'Transfer': return transfer(ctx, command);
      case 'FundInsurance': return fundInsurance(ctx, command);
      case 'SetLeverage': return setLeverage(ctx, command);
      case 'SetMarginType': return setMarginType(ctx, command);
      case 'AdjustIsolatedMargin': return adjustIsolatedMargin(ctx, command);
      case 'PlaceOrder': return placeOrder(ctx, command);
      case 'CancelOrder': return cancelOrder(ctx, command);
      case 'CancelAllOrders': return cancelAllOrders(ctx, command);
      case 'AmendOrder': return amendOrder(ctx, command);
      case 'SetIndexPrice': return setIndexPrice(ctx, command);
      case 'Tick': return;
      case 'SetAccountPolicy': return setAccountPolicy(ctx, command);
      case 'StartCoolOff': return startCoolOff(ctx, command);
      case 'SetJurisdictionPolicy': return setJurisdictionPolicy(ctx, command);
      case 'SubAccountTransfer': return subAccountTransfer(ctx, command);
      case 'SetVenuePolicy': return setVenuePolicy(ctx, command);
      case 'RecordAcknowledgement': return recordAcknowledgement(ctx, command);
      case 'OpenLeadPortfolio': return openLeadPortfolio(ctx, command);
      case 'Follow': return follow(ctx, command);
      case 'Unfollow': return unfollow(ctx, command);
      case 'RemoveFollower': return removeFollower(ctx, command);
      case 'CloseLeadPortfolio': return closeLeadPortfolio(ctx, command);
      case 'SponsorAccount': return sponsorAccount(ctx, command);
      case 'EndSponsorship': return endSponsorship(ctx, command);
      default: return assertNever(command, 'command');
    }
  }

  /** Every open lead portfolio, by account id. */
  copyPortfolios(): LeadPortfolioView[] {
    return [...this.ctx.copy.portfolios.keys()].sort((a, b) => a - b)
      .map((id) => portfolioView(this.ctx, this.ctx.copy.portfolios.get(id)!));
  }

  /** Whether the account leads an open portfolio (without building its view: no walk over followers). */
  isLeadPortfolio(accountId: number): boolean {
    return this.ctx.copy.portfolios.has(accountId);
  }

  copyPortfolio(accountId: number): LeadPortfolioView | undefined {
    const portfolio = this.ctx.copy.portfolios.get(accountId);
    return portfolio === undefined ? undefined : portfolioView(this.ctx, portfolio);
  }

  /** A portfolio's followers, by account id (empty when it is not a portfolio). */
  copyFollowers(leadAccountId: number): FollowerView[] {
    const portfolio = this.ctx.copy.portfolios.get(leadAccountId);
    if (portfolio === undefined) return [];
    return portfolio.followerIds.map((id) => followerView(this.ctx, this.ctx.copy.followers.get(id)!));
  }

  /** The follower views of `accountId` itself and of its sub-accounts, by account id. */
  copyFollowersUnder(accountId: number): FollowerView[] {
    const ids: number[] = [];
    for (const follower of this.ctx.copy.followers.values()) {
      const id = follower.accountId;
      if (id === accountId || this.ctx.findAccount(id)?.parentAccountId === accountId) ids.push(id);
    }
    return ids.sort((a, b) => a - b).map((id) => followerView(this.ctx, this.ctx.copy.followers.get(id)!));
  }

  /** What an account copies, if anything. */
  copyFollower(accountId: number): FollowerView | undefined {
    const follower = this.ctx.copy.followers.get(accountId);
    return follower === undefined ? undefined : followerView(this.ctx, follower);
  }

  /** A sponsored account's sponsorship (undefined when it is not sponsored). */
  sponsorship(accountId: number): SponsorshipView | undefined {
    const sponsorship = this.ctx.sponsor.sponsorships.get(accountId);
    return sponsorship === undefined ? undefined : sponsorshipView(this.ctx, sponsorship);
  }

  /** Every sponsorship, by account id. */
  sponsorships(): SponsorshipView[] {
    return this.ctx.sponsor.accountIds.map((id) => sponsorshipView(this.ctx, this.ctx.sponsor.sponsorships.get(id)!));
  }

  get lastSeq(): number {
    return this.ctx.lastSeq;
  }

  get clockMs(): number {
    return this.ctx.clockMs;
  }

  /** SHA-256 of the canonical state encoding: equal on any machine for the same command stream. */
  /** The account's standing for the policy gate, or undefined for an unknown account. */
  accountStanding(accountId: number): StandingView | undefined {
    const account = this.ctx.findAccount(accountId);
    return account === undefined ? undefined : standingView(this.ctx, account);
  }

  stateHash(): string {
    return stateHashOf(this.ctx);
  }

  /** Canonical state bytes (the snapshot body). */
  serialize(): Uint8Array {
    return serializeState(this.ctx);
  }

  /** Restores a snapshot into this engine, which must be fresh and built with the same instruments. */
  restore(bytes: Uint8Array): void {
    restoreState(this.ctx, bytes);
  }

  /** The auditor: every invariant violated now (empty when all hold); `deep` adds book self-checks. */
  checkInvariants(deep = false): string[] {
    return checkInvariants(this.ctx, deep);
  }

  /** What auditCommand needs from before a command (take it, apply, then audit). */
  auditSnapshot(): AuditSnapshot {
    return auditSnapshot(this.ctx);
  }

  /** The auditor's checks over one command: who the fund paid, whose wallet was charged (audit-command.ts). */
  auditCommand(command: Command, events: readonly EngineEvent[], before: AuditSnapshot): string[] {
    return auditCommand(this.ctx, command, events, before);
  }

  /** Balances, margins and positions of an account (undefined if it does not exist). */
  accountView(accountId: number): AccountView | undefined {
    const account = this.ctx.findAccount(accountId);
    return account === undefined ? undefined : accountView(this.ctx, account);
  }

  /** Live orders of an account, optionally for one symbol. */
  openOrders(accountId: number, symbol?: string): OrderView[] {
    const account = this.ctx.findAccount(accountId);
    return account === undefined ? [] : openOrders(this.ctx, account, symbol);
  }

  /** Cost and liquidation price an order would lead to (the pre-trade preview). */
  previewOrder(input: OrderPreviewInput): OrderPreview | undefined {
    return previewOrder(this.ctx, input);
  }

  depth(symbol: string, limit: number): { bids: DepthLevel[]; asks: DepthLevel[] } {
    return depth(this.market(symbol), limit);
  }

  /** Read-only market figures (index, mark, last, best prices, funding, open interest). */
  marketView(symbol: string): MarketView {
    const market = this.market(symbol);
    return marketView(this.ctx, market, estimatedFundingRateE8(market));
  }

  /** Every live order of every account (read models rebuild from it after a restart). */
  allOpenOrders(): OrderView[] {
    return allOpenOrders(this.ctx);
  }

  ledger(): LedgerView {
    return ledger(this.ctx);
  }

  market(symbol: string): Market {
    const market = this.ctx.marketBySymbol.get(symbol);
    if (market === undefined) throw new AssertionFailure(`market ${symbol} exists`);
    return market;
  }
}
