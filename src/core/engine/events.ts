/**
 * @module engine/events
 * Everything the engine says, declared in schema/events.ts (codes, fields, docs); the types are
 * generated from there. Events are immutable facts in integer units; adapters render them.
 */
export * from './generated/events.js';
export type {
  BalanceReason, ExecutionTypeName, InsuranceReason, OrderEndReason, OrderStatusName, TradeKindName,
} from '../schema/enums.js';
