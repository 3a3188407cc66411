/**
 * @module surveillance/detector
 * The shape of one rule (or a few closely related rules). The service calls a detector only for the
 * event types it names, so a rule that reads funding settlements costs nothing per trade.
 */
import type { RiskEntry } from './risk/risk-book.js';
import type { SurveillanceContext } from './context.js';
import type { SurveilledEvent } from './source.js';

export type SurveilledEventType = SurveilledEvent['type'];
export type EventOf<T extends SurveilledEventType> = Extract<SurveilledEvent, { type: T }>;

export interface Detector {
  readonly name: string;
  /** Event types read after the state applied them. */
  readonly events?: readonly SurveilledEventType[];
  onEvent?(event: SurveilledEvent, ctx: SurveillanceContext): void;
  /** Event types read before the state applies them (what changed, not just what is). */
  readonly before?: readonly SurveilledEventType[];
  beforeEvent?(event: SurveilledEvent, ctx: SurveillanceContext): void;
  /** Before the batch's events: time-driven work (a cycle that the batch's time closes). */
  onBatchStart?(ctx: SurveillanceContext): void;
  /** After the batch's events and the risk book's update (`changed`: entries whose levels were recomputed). */
  onBatchEnd?(ctx: SurveillanceContext, changed: readonly RiskEntry[]): void;
}
