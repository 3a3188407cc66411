/**
 * @module surveillance/risk/risk-book
 * Every open position's exact risk levels, kept current from events: the mark tick at which the
 * engine would liquidate it (the engine's liquidationPrice, checked against its integer rule) and
 * the tick at which its margin ratio reaches E1's warning ratio. The levels feed the heatmap (every
 * liquidation level, by side and leverage band) and two indexes that let a mark move find the
 * positions it brought near liquidation without scanning the others.
 *
 * A level depends on the position (size, cost, isolated wallet), on the account's cross wallet and,
 * for a cross position of an account with cross positions in several symbols, on the other
 * symbols' marks (the engine's crossBackingE8 holds them at their marks). So a position is
 * recomputed when its position, its wallet or its margin type changes, and a mark move in one
 * symbol recomputes the other-symbol positions of multi-symbol cross accounts that hold it. The
 * work is collected during a batch and done once at its end (`settle`).
 */
import {
  CrossTotals, crossTotalsOf, liquidationPrice, maintenanceMarginE8, unrealizedPnlE8, type EngineEvent,
} from '../../core/index.js';
import type { AccountState, AccountStateProjection, MarketState, PositionState } from '../../read/account-state.js';
import { SymbolHeatmap, leverageBand, type HeatContribution } from '../heatmap.js';
import { LevelHandle, LevelIndex } from './level-index.js';
import { ALWAYS, NEVER, ratioRegion, triggerTick, type RuleRegion } from './ratio-level.js';

const ONE = 1n;
const NOTHING: RiskEntry[] = [];

export class RiskEntry {
  readonly liq = new LevelHandle<RiskEntry>(this);
  readonly warn = new LevelHandle<RiskEntry>(this);
  side: 1 | -1 = 1;
  /**
   * Liquidation trigger tick; −1 none (never liquidates); MAX_SAFE_INTEGER (long) / 1 (short):
   * liquidated at any price; −2 while not filed.
   */
  liqTicks = -2;
  /** Tick at which the ratio reaches the E1 warning ratio (same conventions). */
  warnTicks = -1;
  band = 0;
  /** What this entry adds to the heatmap (undefined when it has no level). */
  heat: HeatContribution | undefined = undefined;

  constructor(readonly position: PositionState, readonly account: AccountState) {}

  get market(): MarketState {
    return this.position.marketState;
  }
}

/** How a market's mark moved during a batch. */
export interface MarkMove {
  readonly market: MarketState;
  fromTicks: number;
  lowTicks: number;
  highTicks: number;
}

export interface RiskBookOptions {
  /** E1 warning ratio in percent (margin ratio = maintenance ÷ margin balance). */
  readonly warnPercent: number;
  readonly leverageBands: readonly number[];
}

export class RiskBook {
  private readonly entries = new Map<PositionState, RiskEntry>();
  readonly heatmaps: SymbolHeatmap[];
  /** [market][0 long, 1 short] */
  private readonly liqIndex: LevelIndex<LevelHandle<RiskEntry>>[][];
  private readonly warnIndex: LevelIndex<LevelHandle<RiskEntry>>[][];
  /** Accounts with cross positions in two or more symbols. */
  private readonly multiCross = new Set<AccountState>();
  private readonly dirtyPositions = new Set<PositionState>();
  private readonly dirtyAccounts = new Set<AccountState>();
  readonly moves = new Map<MarketState, MarkMove>();
  private readonly warnA: bigint;
  private readonly warnB = 100n;
  recomputed = 0;
  private readonly scratch = new CrossTotals();
  /** What settle() returned in this batch (a second call in the same batch returns it again). */
  private settled: RiskEntry[] | undefined = undefined;

  constructor(private readonly state: AccountStateProjection, private readonly options: RiskBookOptions) {
    this.heatmaps = state.markets.map((market) => new SymbolHeatmap(market.instrument, options.leverageBands));
    this.liqIndex = state.markets.map(() => [new LevelIndex(), new LevelIndex()]);
    this.warnIndex = state.markets.map(() => [new LevelIndex(), new LevelIndex()]);
    this.warnA = BigInt(options.warnPercent);
  }

  get size(): number {
    return this.entries.size;
  }

  entry(position: PositionState): RiskEntry | undefined {
    return this.entries.get(position);
  }

  /** Before the projection applies a mark event: remember where the mark started this batch. */
  beforeEvent(event: EngineEvent): void {
    if (event.type !== 'MarkPriceUpdated') return;
    const market = this.state.market(event.symbol);
    const move = this.moves.get(market);
    if (move === undefined) {
      const from = market.markTicks;
      this.moves.set(market, {
        market, fromTicks: from, lowTicks: Math.min(from, event.markTicks), highTicks: Math.max(from, event.markTicks),
      });
    } else {
      move.lowTicks = Math.min(move.lowTicks, event.markTicks);
      move.highTicks = Math.max(move.highTicks, event.markTicks);
    }
  }

  /** After the projection applied an event: mark what it made stale. */
  afterEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'PositionChanged':
      case 'LeverageChanged':
      case 'MarginTypeChanged': {
        const account = this.state.account(event.accountId);
        if (account === undefined) return;
        const position = account.positions[this.state.market(event.symbol).marketIndex];
        if (position !== undefined) this.dirtyPositions.add(position);
        if (account.crossOpen >= 2) this.multiCross.add(account);
        else this.multiCross.delete(account);
        // A cross position's change moves the backing of the account's other cross positions.
        if (position !== undefined && !position.isolated) this.dirtyAccounts.add(account);
        return;
      }
      case 'BalanceChanged': {
        const account = this.state.account(event.accountId);
        if (account === undefined) return;
        if (event.isolatedSymbol === '') {
          if (account.crossOpen > 0) this.dirtyAccounts.add(account);
        } else {
          const position = account.positions[this.state.market(event.isolatedSymbol).marketIndex];
          if (position !== undefined && position.sizeLots !== 0) this.dirtyPositions.add(position);
        }
        return;
      }
      case 'AccountCreated': case 'FundingSettled': case 'IndexPriceUpdated': case 'InsuranceFundChanged': case 'Liquidation':
      case 'MarkPriceUpdated': case 'OrderUpdate': case 'Rejected': case 'Trade': case 'AccountPolicyChanged':
      case 'AcknowledgementRecorded': case 'JurisdictionPolicyChanged': case 'VenuePolicyChanged':
      case 'LeadPortfolioChanged': case 'FollowerChanged': case 'CopyFill': case 'CopySkipped': case 'ProfitShareSettled':
      case 'SponsorshipChanged': case 'SponsorLimitBreached': case 'SponsorDayStarted': case 'SponsorshipSettled':
        return;
    }
  }

  /**
   * Brings every stale level up to date (end of a batch). Returns the entries recomputed, so
   * detectors can re-evaluate them; `moves` still holds the batch's mark moves until `endBatch`.
   */
  settle(): RiskEntry[] {
    if (this.settled !== undefined) return this.settled;
    this.settled = this.settleNow();
    return this.settled;
  }

  private settleNow(): RiskEntry[] {
    if (this.moves.size === 0 && this.dirtyPositions.size === 0 && this.dirtyAccounts.size === 0) return NOTHING;
    for (const move of this.moves.values()) {
      if (move.lowTicks === move.highTicks && move.fromTicks === move.market.markTicks) continue;
      for (const account of this.multiCross) {
        const held = account.positions[move.market.marketIndex];
        if (held !== undefined && held.sizeLots !== 0 && !held.isolated) this.dirtyAccounts.add(account);
      }
    }
    const changed: RiskEntry[] = [];
    for (const position of this.dirtyPositions) {
      if (position.sizeLots === 0) this.remove(position, changed);
      else if (position.isolated) this.place(position, this.state.account(position.accountId)!, position.isolatedWalletE8,
        this.warnA * position.isolatedWalletE8, changed);
      else this.dirtyAccounts.add(this.state.account(position.accountId)!);
    }
    for (const account of this.dirtyAccounts) this.recomputeCross(account, changed);
    this.dirtyAccounts.clear();
    this.dirtyPositions.clear();
    return changed;
  }

  endBatch(): void {
    this.moves.clear();
    this.settled = undefined;
  }

  /** Every entry whose liquidation level lies in [lowTicks, highTicks] on one side of a market. */
  forLiquidationRange(market: MarketState, side: 1 | -1, lowTicks: number, highTicks: number, visit: (entry: RiskEntry) => void): void {
    this.liqIndex[market.marketIndex]![side === 1 ? 0 : 1]!.forRange(lowTicks, highTicks, (handle) => visit(handle.owner));
  }

  /** Every entry whose warning level lies in [lowTicks, highTicks] on one side of a market. */
  forWarnRange(market: MarketState, side: 1 | -1, lowTicks: number, highTicks: number, visit: (entry: RiskEntry) => void): void {
    this.warnIndex[market.marketIndex]![side === 1 ? 0 : 1]!.forRange(lowTicks, highTicks, (handle) => visit(handle.owner));
  }

  *allEntries(): IterableIterator<RiskEntry> {
    yield* this.entries.values();
  }

  /** Recomputes every entry (the benchmark's full rebuild; also a consistency check in tests). */
  recomputeAll(): number {
    for (const entry of this.entries.values()) {
      if (entry.position.isolated) this.dirtyPositions.add(entry.position);
      else this.dirtyAccounts.add(entry.account);
    }
    this.settled = undefined;
    return this.settle().length;
  }

  // ---- recomputation ----------------------------------------------------------------------------

  /**
   * Every open cross position of the account, with the backing the engine's crossBackingOf gives it
   * (wallet + UPnL − MM of the others), taken as the account's totals less the position's own share so
   * an account's positions cost O(n) together; E1's warning level needs the UPnL and MM parts apart.
   */
  private recomputeCross(account: AccountState, changed: RiskEntry[]): void {
    const totals = crossTotalsOf(account.crossWalletE8, account.openPositions(), this.state.markets, this.scratch, false);
    for (const position of account.positions) {
      if (position === undefined || position.isolated || position.sizeLots === 0) continue;
      const { instrument, markTicks } = position.marketState;
      const otherUnrealized = totals.unrealizedPnlE8 - unrealizedPnlE8(instrument, position, markTicks);
      const otherMaintenance = totals.maintenanceE8 - maintenanceMarginE8(instrument, position, markTicks);
      const backing = account.crossWalletE8 + otherUnrealized - otherMaintenance;
      const warnBab = this.warnA * (account.crossWalletE8 + otherUnrealized) - this.warnB * otherMaintenance;
      this.place(position, account, backing, warnBab, changed);
    }
  }

  private remove(position: PositionState, changed: RiskEntry[]): void {
    const entry = this.entries.get(position);
    if (entry === undefined) return;
    this.unfile(entry);
    this.entries.delete(position);
    changed.push(entry);
  }

  private place(position: PositionState, account: AccountState, backingE8: bigint, warnBabE8: bigint, changed: RiskEntry[]): void {
    let entry = this.entries.get(position);
    if (entry === undefined) {
      entry = new RiskEntry(position, account);
      this.entries.set(position, entry);
    } else {
      this.unfile(entry);
    }
    this.recomputed++;
    const instrument = position.marketState.instrument;
    const size = position.sizeLots;
    const cost = position.costE8;
    entry.side = size > 0 ? 1 : -1;
    entry.band = leverageBand(this.options.leverageBands, position.leverage);
    const fraction = liquidationPrice(instrument, size, cost, backingE8);
    const liqRegion: RuleRegion = fraction !== undefined ? { kind: 'root', root: fraction }
      : (size > 0 ? (cost - backingE8 > 0n ? ALWAYS : NEVER) : (cost - backingE8 >= 0n ? ALWAYS : NEVER));
    entry.liqTicks = triggerTick(instrument, size, cost, ONE, ONE, backingE8, liqRegion);
    entry.warnTicks = triggerTick(instrument, size, cost, this.warnA, this.warnB, warnBabE8,
      ratioRegion(instrument, size, cost, this.warnA, this.warnB, warnBabE8));
    this.file(entry);
    changed.push(entry);
  }

  private file(entry: RiskEntry): void {
    const marketIndex = entry.market.marketIndex;
    const sideIndex = entry.side === 1 ? 0 : 1;
    const placed = entry.liqTicks >= 1 && entry.liqTicks < Number.MAX_SAFE_INTEGER && !(entry.side === -1 && entry.liqTicks === 1);
    if (placed) {
      const instrument = entry.market.instrument;
      const lots = entry.position.sizeLots;
      entry.heat = {
        side: entry.side, levelTicks: entry.liqTicks, band: entry.band,
        notionalE8: BigInt(entry.liqTicks) * BigInt(lots < 0 ? -lots : lots) * instrument.quotePerTickLotE8,
      };
      this.heatmaps[marketIndex]!.add(entry.heat, 1);
      this.liqIndex[marketIndex]![sideIndex]!.set(entry.liq, entry.liqTicks);
    } else {
      this.heatmaps[marketIndex]!.unplaced++;
    }
    this.warnIndex[marketIndex]![sideIndex]!.set(entry.warn, entry.warnTicks);
  }

  private unfile(entry: RiskEntry): void {
    const marketIndex = entry.market.marketIndex;
    if (entry.heat !== undefined) {
      this.heatmaps[marketIndex]!.add(entry.heat, -1);
      entry.heat = undefined;
    } else if (entry.liqTicks !== -2) {
      this.heatmaps[marketIndex]!.unplaced--;
    }
    entry.liqTicks = -2;
    this.liqIndex[marketIndex]![0]!.remove(entry.liq);
    this.liqIndex[marketIndex]![1]!.remove(entry.liq);
    this.warnIndex[marketIndex]![0]!.remove(entry.warn);
    this.warnIndex[marketIndex]![1]!.remove(entry.warn);
  }
}
