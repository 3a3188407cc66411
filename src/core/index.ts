/**
 * @module core
 * Public surface of the deterministic core: the engine, its commands, events and reject codes,
 * instruments, and the integer/decimal helpers adapters use to talk to it.
 */
export * from './assert.js';
export { createOrderBook, createReferenceBook } from './book/index.js';
export type { OrderBook, BookConfig } from './book/index.js';
export * from './engine/commands.js';
export * from './engine/events.js';
export { Engine, type EngineConfig, type BookFactory } from './engine/engine.js';
export type { StandingView } from './engine/policy.js';
export type { FollowerView, LeadPortfolioView } from './engine/copy.js';
export { COPY_LIMITS } from './engine/copy-state.js';
export type { SponsorshipView } from './engine/sponsor.js';
export { EventChunk, EventLog } from './engine/event-log.js';
export * from './schema/enums.js';
export { REJECT, type RejectReason } from './engine/reject-codes.js';
export type {
  AccountView, PositionRiskView, OrderPreview, OrderPreviewInput, DepthLevel, LedgerView, MarketView,
} from './engine/queries.js';
// The margin formulas over plain figures: read models, surveillance and UIs compute with the
// engine's own code (positions and marks they keep from committed events).
export {
  adlScore, bankruptcyPrice, compareAdlScores, fractionToTicks, liquidationPrice, maintenanceMarginE8, maintenanceMarginForNotional, notionalE8,
  orderCostE8, positionInitialMarginE8, unrealizedPnlE8, type AdlScore, type OrderCostInput, type PriceFraction, type SizeAndCost,
} from './engine/margin.js';
export {
  CrossTotals, crossBackingOf, crossEquityExceptOf, crossTotalsOf, liquidationBackingOf, type MarketFigures,
  type PositionFigures,
} from './engine/metrics.js';
export { maxRemovableIsolatedE8 } from './engine/account-commands.js';
export * from './instrument/instrument.js';
export * from './instrument/catalog.js';
export * from './instrument/units.js';
export * from './num/decimal.js';
export * from './num/int.js';
export { ByteReader, ByteWriter } from './num/bytes.js';
export { sha256Hex } from './num/sha256.js';
