/**
 * @module engine/scratch
 * Reusable work objects of one engine. Hot paths (every order, every fill, every liquidation) fill
 * these instead of allocating result objects; they live on the engine's context, never in module
 * scope, so two engines in one process share nothing. Each use site has its own instance, so a
 * figure computed inside another computation (an ADL score inside a liquidation, a margin check
 * inside a fill) never overwrites one that is still in use.
 */
import type { MarginInputs } from './margin.js';
import type { OrderMarginAssessment } from './order-checks.js';
import { CrossTotals } from './metrics.js';
import type { OrderRecord } from './state.js';

/** Σ of one taker execution (liquidation accounting reads it after executeTaker). */
export interface ExecutionTotals {
  filledLots: number;
  notionalE8: bigint;
}

/** A liquidation order's planned sweep: lots to take and the IOC limit that takes exactly them. */
export interface SweepPlan {
  lots: number;
  limitTicks: number;
}

export class EngineScratch {
  /** Order checks (the -2019 margin check and the preview that shares it). */
  readonly orderCheckTotals = new CrossTotals();
  /** The exact risk check and cross liquidation loop. */
  readonly riskTotals = new CrossTotals();
  /** ADL ranking (scores are computed while a liquidation is in progress). */
  readonly adlTotals = new CrossTotals();
  /** Liquidation-index safety bands. */
  readonly bandTotals = new CrossTotals();
  /** Collateral commands (withdraw, transfer, leverage). */
  readonly commandTotals = new CrossTotals();
  /** Read-only views. */
  readonly queryTotals = new CrossTotals();
  /** The auditor. */
  readonly auditTotals = new CrossTotals();
  readonly execution: ExecutionTotals = { filledLots: 0, notionalE8: 0n };
  readonly sweep: SweepPlan = { lots: 0, limitTicks: 0 };
  readonly orderInputs: MarginInputs = { imNotionalE8: 0n, openLossE8: 0n };
  readonly orderAssessment: OrderMarginAssessment = { reason: undefined, costE8: 0n, increaseE8: 0n, feeReserveE8: 0n };
  /** Conditional orders fired by one price update (a stack: each call pops what it pushed). */
  readonly fired: OrderRecord[] = [];
}
