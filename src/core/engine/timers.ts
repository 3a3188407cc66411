/**
 * @module engine/timers
 * Engine timers: work due at an engine time (a cool-off ends, a dated jurisdiction rule comes into
 * force, copy trading's weekly profit-share settlement, sponsored accounts' UTC day start). Timers are state: set by commands, kept in
 * time order (equal times in the order they were set), written to the snapshot, and fired by the
 * clock at their instant, after the market instants (mark, premium, funding) of the same
 * millisecond and before the command that moved the clock past them. What a kind does is the
 * handler table's business: a module that adds a kind adds its handler here.
 */
import { assert } from '../assert.js';
import type { TimerKindName } from '../schema/enums.js';
import type { EngineContext } from './context.js';
import { weeklySettlement } from './copy.js';
import { endCoolOff, jurisdictionInForce } from './policy.js';
import { sponsorDayStart } from './sponsor.js';

export interface Timer {
  readonly atMs: number;
  readonly kind: TimerKindName;
  /** The account it concerns (0 for venue-wide timers). */
  readonly accountId: number;
  /** Kind-specific key (the jurisdiction code; '' when unused). */
  readonly key: string;
}

type TimerHandler = (ctx: EngineContext, timer: Timer) => void;

const HANDLERS: Readonly<Record<TimerKindName, TimerHandler>> = {
  COOL_OFF_END: (ctx, timer) => endCoolOff(ctx, timer.accountId, timer.atMs),
  JURISDICTION_IN_FORCE: (ctx, timer) => jurisdictionInForce(ctx, timer.key, timer.atMs),
  COPY_SETTLEMENT: (ctx, timer) => weeklySettlement(ctx, timer),
  SPONSOR_DAY_START: (ctx, timer) => sponsorDayStart(ctx, timer),
};

/** Sets a timer; false when the timer table is full (the caller rejects its command). */
export function addTimer(ctx: EngineContext, timer: Timer): boolean {
  const timers = ctx.timers;
  if (timers.length >= ctx.limits.maxTimers) return false;
  // Insert after every timer due at or before it: equal times fire in the order they were set.
  let low = 0;
  let high = timers.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (timers[mid]!.atMs <= timer.atMs) low = mid + 1;
    else high = mid;
  }
  timers.splice(low, 0, timer);
  if (timer.atMs < ctx.earliestDueMs) ctx.earliestDueMs = timer.atMs;
  return true;
}

/** The time the next timer is due (MAX_SAFE_INTEGER when none is set). */
export function nextTimerMs(ctx: EngineContext): number {
  const first = ctx.timers[0];
  return first === undefined ? Number.MAX_SAFE_INTEGER : first.atMs;
}

/** Fires the first timer (the clock calls this when it is due). */
export function fireNextTimer(ctx: EngineContext): void {
  const timer = ctx.timers.shift();
  assert(timer !== undefined, 'a due timer exists');
  HANDLERS[timer.kind](ctx, timer);
}
