/**
 * @module sim/scenario/faults
 * Scripted faults of a scenario (`faults:` in the file), in path time:
 * - `latency`: API responses wait base + perLiquidation × (liquidations in the last path minute) +
 *   perThousandEvents × (engine events in the last path minute / 1000), capped — latency that
 *   rises with engine load in a cascade. In path ms: at --speed N the client waits 1/N of it.
 * - `outage`: the API answers 503 Service Unavailable (as BitMEX did for 25 minutes on
 *   2020-03-12); the market keeps moving.
 * - `indexStall`: the index feed stops (the index holds its last value); `indexJump`: the feed
 *   prints `pct` % off the real price for the window (a bad source).
 * - `drain`: market makers pull `share` of their depth on one side (BUY = bids).
 * Latency and outage act at the API (`perpx serve --scenario`); the index and drain faults act on
 * the market itself, in `perpx sim` too.
 */
import { z } from 'zod';

const instant = z.union([
  z.number().int().nonnegative(),
  z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not an ISO-8601 date-time' }),
]);

const window = { start: instant, end: instant };

export const faultSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('latency'),
    start: instant.optional(), end: instant.optional(),
    baseMs: z.number().min(0).max(600_000).default(0),
    perLiquidationMs: z.number().min(0).max(600_000).default(0),
    perThousandEventsMs: z.number().min(0).max(600_000).default(0),
    maxMs: z.number().min(0).max(3_600_000).default(60_000),
  }).strict(),
  z.object({ type: z.literal('outage'), ...window }).strict(),
  z.object({ type: z.literal('indexStall'), ...window }).strict(),
  z.object({ type: z.literal('indexJump'), ...window, pct: z.number().min(-50).max(50) }).strict(),
  z.object({ type: z.literal('drain'), ...window, side: z.enum(['BUY', 'SELL']), share: z.number().min(0).max(1).default(1) }).strict(),
]);
export type FaultSpec = z.infer<typeof faultSchema>;

const toMs = (value: number | string): number => (typeof value === 'number' ? value : Date.parse(value));

/** The faults of a scenario as time windows, queried by path time. */
export class FaultPlan {
  constructor(readonly faults: readonly FaultSpec[]) {}

  private active<T extends FaultSpec['type']>(type: T, atMs: number): Extract<FaultSpec, { type: T }> | undefined {
    for (const fault of this.faults) {
      if (fault.type !== type) continue;
      const start = 'start' in fault && fault.start !== undefined ? toMs(fault.start) : -Infinity;
      const end = 'end' in fault && fault.end !== undefined ? toMs(fault.end) : Infinity;
      if (atMs >= start && atMs < end) return fault as Extract<FaultSpec, { type: T }>;
    }
    return undefined;
  }

  /** The index to publish at `atMs` given the data's `ticks` and the last published value. */
  index(atMs: number, ticks: number, lastPublished: number): number {
    if (lastPublished > 0 && this.active('indexStall', atMs) !== undefined) return lastPublished;
    const jump = this.active('indexJump', atMs);
    return jump === undefined ? ticks : Math.max(1, Math.round(ticks * (1 + jump.pct / 100)));
  }

  drain(atMs: number): { side: 'BUY' | 'SELL'; share: number } | undefined {
    const fault = this.active('drain', atMs);
    return fault === undefined ? undefined : { side: fault.side, share: fault.share };
  }

  outage(atMs: number): boolean {
    return this.active('outage', atMs) !== undefined;
  }

  /** Path milliseconds a response waits, given the load of the last path minute. */
  latencyMs(atMs: number, liquidationsLastMinute: number, eventsLastMinute: number): number {
    const fault = this.active('latency', atMs);
    if (fault === undefined) return 0;
    const ms = fault.baseMs + fault.perLiquidationMs * liquidationsLastMinute + (fault.perThousandEventsMs * eventsLastMinute) / 1000;
    return Math.min(fault.maxMs, ms);
  }
}
