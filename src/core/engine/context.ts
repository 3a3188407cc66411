/**
 * @module engine/context
 * The engine's state plus the small helpers every command handler shares: event emission,
 * balance movements (each one a BalanceChanged with a reason), and the per-command list of
 * touched accounts that the end-of-command risk pass re-checks. Handlers live in their own
 * modules and receive the context; only they mutate it.
 */
import { CopyBook } from './copy-state.js';
import { DEFAULT_MAX_SPONSORED_ACCOUNTS, SponsorBook } from './sponsor-state.js';
import { assert, AssertionFailure } from '../assert.js';
import type { BookListener, Side } from '../book/types.js';
import { BUY } from '../book/types.js';
import type { Instrument } from '../instrument/instrument.js';
import type { RejectReason } from './reject-codes.js';
import type { CommandType } from './commands.js';
import type { BalanceReason, InsuranceReason, OrderView } from './events.js';
import { EventLog } from './event-log.js';
import { OrderTable } from './order-table.js';
import { EngineScratch } from './scratch.js';
import type { Timer } from './timers.js';
import { Account, VenuePolicy, type JurisdictionRule, type Market, type OrderRecord, type Position } from './state.js';

/** Limits that bound loops and memory (TigerBeetle style: every queue has a bound). */
export interface EngineLimits {
  readonly maxAccounts: number;
  /** Upper bound on trigger/liquidation rounds inside one command (a cascade). */
  readonly maxCascadeRounds: number;
  /**
   * After a long gap between commands (downtime), mark and premium samples older than this are
   * skipped instead of replayed one by one; funding still settles at every boundary in the gap.
   */
  readonly maxSampleCatchUpMs: number;
  /** Timers set at once (timers.ts): cool-offs and dated rules; a command that would pass it is rejected. */
  readonly maxTimers: number;
  /** Jurisdictions with a policy (policy.ts). */
  readonly maxJurisdictions: number;
  /**
   * Follower slots of a lead portfolio: 0 applies Bitget's table by the lead's equity (at most
   * 500); a venue that wants larger portfolios (the story's thousands of fans) sets a flat maximum.
   * Part of the venue's configuration: a replay must use the same value.
   */
  readonly maxFollowersPerPortfolio: number;
  /**
   * Sponsored accounts at once (sponsor.ts): every mark change walks their list. Part of the
   * venue's configuration: a replay must use the same value.
   */
  readonly maxSponsoredAccounts: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  maxAccounts: 50_000_000,
  maxCascadeRounds: 1_000_000,
  maxSampleCatchUpMs: 3_600_000,
  maxTimers: 1_000_000,
  maxJurisdictions: 1_000,
  maxFollowersPerPortfolio: 0,
  maxSponsoredAccounts: DEFAULT_MAX_SPONSORED_ACCOUNTS,
};

export class EngineContext implements BookListener {
  readonly marketBySymbol = new Map<string, Market>();
  readonly accounts = new Map<number, Account>();
  /** The same accounts indexed by id (ids are dense counters), for O(1) lookups on hot paths. */
  private readonly accountsById: (Account | undefined)[] = [];
  /** Every live order by id (resting or waiting for a trigger). */
  readonly liveOrders = new OrderTable();
  /** Jurisdiction policies by code, each list ordered by effectiveFromMs (policy.ts). */
  readonly jurisdictions = new Map<string, JurisdictionRule[]>();
  /** Venue-wide protection rules (policy.ts). */
  readonly venuePolicy = new VenuePolicy();
  /** Timers in due order (timers.ts). */
  readonly timers: Timer[] = [];
  /** Lead portfolios, followers and the command's deferred copy work (copy.ts). */
  readonly copy = new CopyBook();
  /** Sponsored accounts and their loss limits (sponsor.ts). */
  readonly sponsor = new SponsorBook();
  insuranceFundE8 = 0n;
  feePoolE8 = 0n;
  depositsE8 = 0n;
  withdrawalsE8 = 0n;
  nextAccountId = 1;
  nextOrderId = 1;
  lastSeq = 0;
  clockMs = 0;
  /**
   * Earliest instant any market's mark, premium or funding schedule is due (a cache, not state:
   * 0 means unknown). advanceClock refreshes it; anything that starts a schedule resets it.
   */
  earliestDueMs = 0;
  /** Events of the command being applied (reset by Engine.apply). */
  readonly log: EventLog;
  /** Accounts whose margin may have changed in this command. */
  readonly touched: Account[] = [];
  /** Reusable work objects (one engine's own; see scratch.ts). */
  readonly scratch = new EngineScratch();
  private touchGeneration = 1;

  constructor(
    readonly markets: readonly Market[],
    readonly limits: EngineLimits,
  ) {
    for (const market of markets) this.marketBySymbol.set(market.instrument.symbol, market);
    this.log = new EventLog(markets);
  }

  /** The command's own refusal. */
  reject(commandType: CommandType, reason: RejectReason, accountId: number, symbol: string,
    clientOrderId = '', orderId = 0): void {
    this.log.rejected(commandType, reason.code, reason.msg, accountId, symbol, clientOrderId, orderId, 'COMMAND');
  }

  /** The refusal of work a command caused (an engine-made order); the command itself stands. */
  rejectCaused(commandType: CommandType, reason: RejectReason, accountId: number, symbol: string, clientOrderId: string,
    orderId: number): void {
    this.log.rejected(commandType, reason.code, reason.msg, accountId, symbol, clientOrderId, orderId, 'ENGINE');
  }

  instrumentOf(market: number): Instrument {
    return this.markets[market]!.instrument;
  }

  /** The account with this id, or undefined (any number is safe to pass). */
  findAccount(accountId: number): Account | undefined {
    return Number.isSafeInteger(accountId) && accountId > 0 ? this.accountsById[accountId] : undefined;
  }

  account(accountId: number): Account {
    const account = this.accountsById[accountId];
    // Hot path (every fill and cancel): the message is built only on failure.
    if (account === undefined) throw new AssertionFailure(`account ${accountId} exists`);
    return account;
  }

  touch(account: Account): void {
    if (account.touchedGeneration === this.touchGeneration) return;
    account.touchedGeneration = this.touchGeneration;
    this.touched.push(account);
  }

  /** Starts a new touched-accounts round (the previous list has been processed). */
  resetTouched(): void {
    this.touched.length = 0;
    this.touchGeneration++;
  }

  // ---- BookListener -------------------------------------------------------------------------

  reduceOnlyCapacity(owner: number, makerSide: Side): number {
    // Called during a sweep in the market currently matching; positions are updated only after
    // the sweep, so this is the position at sweep start, as the contract requires.
    const market = this.matchingMarket;
    assert(market >= 0, 'reduce-only capacity queried outside a sweep');
    const position = this.accounts.get(owner)?.positions.get(market);
    if (position === undefined) return 0;
    const size = position.sizeLots;
    return makerSide === BUY ? (size < 0 ? -size : 0) : (size > 0 ? size : 0);
  }

  /** Market whose book is sweeping, for reduceOnlyCapacity; -1 otherwise. */
  matchingMarket = -1;

  // ---- Money movements ----------------------------------------------------------------------

  changeCrossWallet(account: Account, deltaE8: bigint, reason: BalanceReason, symbol: string, refId: number): void {
    if (deltaE8 === 0n) return;
    account.crossWalletE8 += deltaE8;
    // A follower's profit share is measured against what it put in: money moved in or out counts.
    if (account.copyFollower !== undefined && (reason === 'DEPOSIT' || reason === 'WITHDRAW' || reason === 'TRANSFER')) {
      account.copyFollower.investedE8 += deltaE8;
    }
    this.touch(account);
    this.log.balanceChanged(account.accountId, -1, reason, this.log.symbolCode(symbol), deltaE8, account.crossWalletE8, refId);
  }

  changeIsolatedWallet(account: Account, position: Position, deltaE8: bigint, reason: BalanceReason, refId: number): void {
    if (deltaE8 === 0n) return;
    position.isolatedWalletE8 += deltaE8;
    this.touch(account);
    this.log.balanceChanged(account.accountId, position.market, reason, position.market, deltaE8, position.isolatedWalletE8,
      refId);
  }

  /** Charges or credits the wallet that backs `position` (isolated wallet or cross wallet). */
  changePositionWallet(account: Account, position: Position, deltaE8: bigint, reason: BalanceReason, refId: number): void {
    if (position.isolated) this.changeIsolatedWallet(account, position, deltaE8, reason, refId);
    else this.changeCrossWallet(account, deltaE8, reason, this.instrumentOf(position.market).symbol, refId);
  }

  changeInsurance(deltaE8: bigint, reason: InsuranceReason, symbol: string, accountId: number): void {
    if (deltaE8 === 0n) return;
    this.insuranceFundE8 += deltaE8;
    assert(this.insuranceFundE8 >= 0n, 'insurance fund never goes negative');
    this.log.insuranceFundChanged(reason, this.log.symbolCode(symbol), accountId, deltaE8, this.insuranceFundE8);
  }

  // ---- Views --------------------------------------------------------------------------------

  orderView(order: OrderRecord): OrderView {
    return {
      orderId: order.orderId,
      accountId: order.accountId,
      symbol: this.instrumentOf(order.market).symbol,
      clientOrderId: order.clientOrderId,
      side: order.side === BUY ? 'BUY' : 'SELL',
      orderType: order.orderType,
      timeInForce: order.timeInForce,
      origQtyLots: order.origQtyLots,
      executedQtyLots: order.executedQtyLots,
      cumQuoteE8: order.cumQuoteE8,
      priceTicks: order.priceTicks,
      stopPriceTicks: order.stopPriceTicks,
      activationPriceTicks: order.activationPriceTicks,
      callbackRateBps: order.callbackRateBps,
      reduceOnly: order.reduceOnly,
      closePosition: order.closePosition,
      workingType: order.workingType,
      priceProtect: order.priceProtect,
      stpMode: order.stpMode,
      status: order.status,
      conditional: order.conditional,
      triggered: order.triggered,
      createdAtMs: order.createdAtMs,
      updatedAtMs: order.updatedAtMs,
      origin: order.origin,
      causeId: order.causeId,
    };
  }

  /** Creates an account (used by CreateAccount and by snapshot restore). */
  addAccount(accountId: number, parentAccountId: number): Account {
    const account = new Account(accountId, parentAccountId);
    const before = this.accounts.size;
    this.accounts.set(accountId, account);
    if (this.accounts.size !== before + 1) throw new AssertionFailure(`account ${accountId} is new`);
    this.accountsById[accountId] = account;
    return account;
  }
}
