/**
 * @module sim/agents/types
 * What an agent is: a deterministic, seeded policy that looks at the market and its own account
 * and returns ordinary engine commands. Agents never touch engine state; the runner (batch) or the
 * live driver (through a Venue) submits what they return and hands each agent the events about
 * its own account, so the same policy code runs in both. Floats are fine inside a policy; the
 * commands it returns carry integer ticks and lots only (the runner checks).
 */
import type { Engine, EngineEvent, Instrument, MarginTypeName, OrderSideName, UnsequencedCommand } from '../../core/index.js';
import type { PriceHistory } from './history.js';

export type AgentKind =
  | 'marketMaker' | 'noise' | 'momentum' | 'meanReversion' | 'retail' | 'scalper' | 'arbitrageur' | 'holder'
  | 'builder' | 'carry' | 'copyFollower';

/** The market as every agent sees it at a step (shared, refreshed by the runner). */
export interface MarketView {
  readonly symbol: string;
  readonly instrument: Instrument;
  nowMs: number;
  indexTicks: number;
  markTicks: number;
  /** Last trade price in ticks (0 before the first trade). */
  lastTicks: number;
  /** Best bid / ask in ticks, -1 when that side is empty. */
  bestBid: number;
  bestAsk: number;
  readonly history: PriceHistory;
  /** Read-only queries (accountView, openOrders, depth, previewOrder). */
  readonly engine: Engine;
  /** A scripted fault: market makers pull `share` of their depth on `side` while it lasts. */
  liquidityDrain: { readonly side: OrderSideName; readonly share: number } | undefined;
}

export interface AgentTraits {
  /** Leverage the agent trades at (reported in the leverage distribution). */
  readonly leverage: number;
  readonly marginType: MarginTypeName;
  /** Starting capital in whole USDT (deposited when its account is created). */
  readonly capitalUsdt: number;
}

export interface Agent extends AgentTraits {
  /** Unique within a run; also the key under which live mode remembers the account. */
  readonly name: string;
  readonly kind: AgentKind;
  /** Scenario group the agent came from (e.g. "retail", "the-scalper"). */
  readonly group: string;
  accountId: number;
  /** True: act() runs at every path step (market makers, arbitrageurs). */
  readonly everyStep: boolean;
  /** Next time act() wants to run (ignored for everyStep agents). */
  nextWakeMs: number;
  /** Commands after the account exists and is funded (margin type, leverage). */
  setup(view: MarketView): UnsequencedCommand[];
  act(view: MarketView): UnsequencedCommand[];
  /** Events about this agent's account, in stream order. */
  onEvent(event: EngineEvent): void;
  /** Live mode, an account that already existed: read whatever the policy keeps from events (its position). */
  resume?(view: MarketView): void;
  /** Liquidations suffered (counted from Liquidation events). */
  readonly liquidations: number;
  /** Time of the first liquidation (undefined: never liquidated). */
  readonly firstLiquidationMs?: number | undefined;
  /** Set when copy followers follow this agent: it trades a lead portfolio (copy-accounts.ts). */
  copyLead?: boolean;
  readonly rejects: number;
}
