/**
 * @module engine/commands
 * Everything that can change engine state, declared in schema/commands.ts (tags, fields, docs);
 * the types are generated from there. Every command carries the sequence number the sequencer
 * gave it and the time it was sequenced; the engine reads no clock.
 */
export * from './generated/commands.js';
export type {
  CancelScopeName, MarginTypeName, OrderSideName, OrderTypeName, StpModeName, TimeInForceName, WorkingTypeName,
} from '../schema/enums.js';
import type { Command } from './generated/commands.js';

/** Distributes Omit over a union (so each member keeps its own fields). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A command before the sequencer stamps it. */
export type UnsequencedCommand = DistributiveOmit<Command, 'seq' | 'atMs'>;
