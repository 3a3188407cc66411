/**
 * @module read/margin-figures
 * Margin figures over plain data (no engine state): unrealized PnL, maintenance margin, the
 * backing of a cross position (wallet − MM(others) + UPnL(others), exactly what the engine's
 * crossBackingE8 computes from its own state) and the liquidation price, all through the engine's
 * pure functions in core/engine/margin.ts. The engine's versions take its `Position` class or its
 * context; these take the figures a read projection holds, so they belong in core beside
 * margin.ts once core offers them over plain figures (noted in docs/surveillance.md).
 */
import type { Instrument, PriceFraction } from '../core/index.js';
import {
  bankruptcyPrice, liquidationPrice, maintenanceMarginForNotional, notionalE8,
} from '../core/engine/margin.js';

/** What the figures need from a position: signed size and signed entry cost. */
export interface PositionFigures {
  readonly sizeLots: number;
  readonly costE8: bigint;
}

/** size × mark × k − cost (the engine's unrealizedPnlE8, over plain figures). */
export function unrealizedAt(instrument: Instrument, sizeLots: number, costE8: bigint, markTicks: number): bigint {
  if (sizeLots === 0) return 0n;
  const notional = notionalE8(instrument, markTicks, sizeLots);
  return (sizeLots > 0 ? notional : -notional) - costE8;
}

/** Maintenance margin at a mark: the engine's maintenanceMarginE8 over plain figures. */
export function maintenanceAt(instrument: Instrument, sizeLots: number, markTicks: number): bigint {
  if (sizeLots === 0) return 0n;
  return maintenanceMarginForNotional(instrument, notionalE8(instrument, markTicks, sizeLots));
}

/** One cross position with its instrument and the mark it is valued at. */
export interface CrossLeg extends PositionFigures {
  readonly instrument: Instrument;
  readonly markTicks: number;
}

/** Σ over legs of (UPnL − MM): what the legs add to a cross account's slack. */
export function crossSlackOf(legs: readonly CrossLeg[]): bigint {
  let slack = 0n;
  for (const leg of legs) {
    slack += unrealizedAt(leg.instrument, leg.sizeLots, leg.costE8, leg.markTicks);
    slack -= maintenanceAt(leg.instrument, leg.sizeLots, leg.markTicks);
  }
  return slack;
}

/**
 * Backing of cross leg `except`: wallet + Σ_{others}(UPnL − MM), the W of the liquidation formula.
 * Computed as wallet + total slack − the leg's own slack, so an account's legs cost O(n) together.
 */
export function crossBackingOf(walletE8: bigint, totalSlackE8: bigint, leg: CrossLeg): bigint {
  const own = unrealizedAt(leg.instrument, leg.sizeLots, leg.costE8, leg.markTicks) -
    maintenanceAt(leg.instrument, leg.sizeLots, leg.markTicks);
  return walletE8 + totalSlackE8 - own;
}

/** The engine's liquidation price (a fraction of ticks) for a position with this backing. */
export function liquidationPriceOf(instrument: Instrument, position: PositionFigures, backingE8: bigint): PriceFraction | undefined {
  return liquidationPrice(instrument, position.sizeLots, position.costE8, backingE8);
}

/** The engine's bankruptcy price for a position with this equity behind it. */
export function bankruptcyPriceOf(instrument: Instrument, position: PositionFigures, equityE8: bigint): PriceFraction | undefined {
  return bankruptcyPrice(instrument, position.sizeLots, position.costE8, equityE8);
}

/**
 * The engine's liquidation rule at one mark: backing + UPnL(mark) ≤ MM(mark), MM rounded up as the
 * engine rounds it. A position is liquidated at the mark where this first holds.
 */
export function liquidatedAt(instrument: Instrument, position: PositionFigures, backingE8: bigint, markTicks: number): boolean {
  return backingE8 + unrealizedAt(instrument, position.sizeLots, position.costE8, markTicks) <=
    maintenanceAt(instrument, position.sizeLots, markTicks);
}
