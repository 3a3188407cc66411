/**
 * @module api/extra/mark-history
 * The last day of mark and index prices per symbol at the engine's mark cadence (1 s), in memory:
 * the "why was I liquidated" page draws the path that led to a liquidation at that resolution,
 * where the stored 1-minute mark klines would put a whole fast cascade into one candle. It follows
 * committed entries only, starts empty at each start (older paths fall back to the klines) and
 * holds a fixed number of samples per symbol in typed arrays.
 */
import type { Venue } from '../../venue/venue.js';

/** 24 h at one sample a second. */
export const MARK_HISTORY_SAMPLES = 86_400;

export interface MarkSample {
  readonly atMs: number;
  readonly markTicks: number;
  readonly indexTicks: number;
}

class Ring {
  readonly times = new Float64Array(MARK_HISTORY_SAMPLES);
  readonly marks = new Float64Array(MARK_HISTORY_SAMPLES);
  readonly indexes = new Float64Array(MARK_HISTORY_SAMPLES);
  /** Next slot to write; `count` samples end just before it. */
  cursor = 0;
  count = 0;

  push(atMs: number, mark: number, index: number): void {
    const last = (this.cursor + MARK_HISTORY_SAMPLES - 1) % MARK_HISTORY_SAMPLES;
    if (this.count > 0 && this.times[last] === atMs) {
      this.marks[last] = mark;
      this.indexes[last] = index;
      return;
    }
    this.times[this.cursor] = atMs;
    this.marks[this.cursor] = mark;
    this.indexes[this.cursor] = index;
    this.cursor = (this.cursor + 1) % MARK_HISTORY_SAMPLES;
    if (this.count < MARK_HISTORY_SAMPLES) this.count++;
  }
}

export class MarkHistory {
  private readonly rings = new Map<string, Ring>();
  private readonly unsubscribe: () => void;

  constructor(venue: Venue) {
    this.unsubscribe = venue.subscribe((entry) => {
      for (const event of entry.events) {
        if (event.type !== 'MarkPriceUpdated') continue;
        let ring = this.rings.get(event.symbol);
        if (ring === undefined) {
          ring = new Ring();
          this.rings.set(event.symbol, ring);
        }
        ring.push(event.atMs, event.markTicks, event.indexTicks);
      }
    });
  }

  /** Time of the oldest sample held for a symbol (Infinity when none). */
  oldestMs(symbol: string): number {
    const ring = this.rings.get(symbol);
    if (ring === undefined || ring.count === 0) return Infinity;
    return ring.times[(ring.cursor + MARK_HISTORY_SAMPLES - ring.count) % MARK_HISTORY_SAMPLES]!;
  }

  /** Samples with time in [fromMs, toMs], ascending. */
  range(symbol: string, fromMs: number, toMs: number): MarkSample[] {
    const ring = this.rings.get(symbol);
    if (ring === undefined) return [];
    const out: MarkSample[] = [];
    for (let i = 0; i < ring.count; i++) {
      const slot = (ring.cursor + MARK_HISTORY_SAMPLES - ring.count + i) % MARK_HISTORY_SAMPLES;
      const atMs = ring.times[slot]!;
      if (atMs < fromMs) continue;
      if (atMs > toMs) break;
      out.push({ atMs, markTicks: ring.marks[slot]!, indexTicks: ring.indexes[slot]! });
    }
    return out;
  }

  close(): void {
    this.unsubscribe();
  }
}
