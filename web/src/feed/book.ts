/**
 * A local order book kept in step with the API's sequenced depth stream (Binance's "manage a local
 * order book" procedure, with perpx's update ids = venue seqs):
 * - diffs are buffered until a REST snapshot arrives; diffs with u < lastUpdateId are dropped;
 * - the first diff applied must straddle the snapshot (U ≤ lastUpdateId ≤ u, or pu = lastUpdateId);
 *   a first diff that starts after it means the snapshot is stale: it is discarded and refetched,
 *   never merged;
 * - every later diff must have pu = the previous diff's u; a gap empties the book and resyncs from a
 *   new snapshot (state RESYNC), so no level from before the gap can survive as a ghost;
 * - a socket reconnect resyncs the same way (the socket calls `restart`).
 * Framework-free; the snapshot fetch is injected, so tests drive it with scripted messages.
 */
import { dec, type Dec } from '../lib/decimal.js';

export type BookState = 'CONNECTING' | 'RESYNC' | 'LIVE' | 'STALE';

export interface DepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: readonly (readonly [string, string])[];
  readonly asks: readonly (readonly [string, string])[];
}

export interface DepthDiff {
  readonly U: number;
  readonly u: number;
  readonly pu: number;
  readonly b: readonly (readonly [string, string])[];
  readonly a: readonly (readonly [string, string])[];
}

export interface Level {
  readonly price: string;
  readonly qty: string;
  readonly key: bigint;
}

/** Price text → exact key at a fixed scale (prices of one symbol share the tick's decimals). */
function keyOf(price: string, scale: number): bigint {
  const value: Dec = dec(price);
  return value.units * 10n ** BigInt(Math.max(0, scale - value.scale));
}

const RESYNC_RETRY_MS = 500;

export class BookSync {
  state: BookState = 'CONNECTING';
  /** Update id of the last change applied (the snapshot's or a diff's u). */
  lastUpdateId = 0;
  resyncs = 0;
  private readonly bids = new Map<bigint, Level>();
  private readonly asks = new Map<bigint, Level>();
  private buffer: DepthDiff[] = [];
  private synced = false;
  private fetching = false;
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fetchSnapshot: () => Promise<DepthSnapshot>,
    private readonly priceScale: number,
    private readonly changed: () => void,
  ) {}

  /** Start or restart from scratch (first subscription, reconnect, gap). */
  restart(state: BookState = 'RESYNC'): void {
    this.generation++;
    this.synced = false;
    this.buffer = [];
    this.bids.clear();
    this.asks.clear();
    this.state = state;
    this.changed();
    void this.loadSnapshot();
  }

  /** The socket is down: keep the book on screen but mark it stale until the restart. */
  markStale(): void {
    this.state = 'STALE';
    this.changed();
  }

  private async loadSnapshot(): Promise<void> {
    if (this.fetching) return;
    this.fetching = true;
    const generation = this.generation;
    let snapshot: DepthSnapshot | undefined;
    try {
      snapshot = await this.fetchSnapshot();
    } catch {
      snapshot = undefined;
    }
    this.fetching = false;
    if (generation !== this.generation) {
      void this.loadSnapshot();
      return;
    }
    if (snapshot === undefined) {
      this.retry();
      return;
    }
    this.applySnapshot(snapshot);
  }

  private retry(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.loadSnapshot();
    }, RESYNC_RETRY_MS);
  }

  private applySnapshot(snapshot: DepthSnapshot): void {
    const pending = this.buffer.filter((diff) => diff.u >= snapshot.lastUpdateId);
    const first = pending[0];
    if (first !== undefined && !(first.U <= snapshot.lastUpdateId || first.pu === snapshot.lastUpdateId)) {
      // The buffered stream starts after the snapshot: the snapshot is stale. Fetch again.
      this.buffer = pending;
      this.retry();
      return;
    }
    this.bids.clear();
    this.asks.clear();
    for (const [price, qty] of snapshot.bids) this.bids.set(keyOf(price, this.priceScale), { price, qty, key: keyOf(price, this.priceScale) });
    for (const [price, qty] of snapshot.asks) this.asks.set(keyOf(price, this.priceScale), { price, qty, key: keyOf(price, this.priceScale) });
    this.lastUpdateId = snapshot.lastUpdateId;
    this.synced = true;
    this.buffer = [];
    this.state = 'LIVE';
    for (const [index, diff] of pending.entries()) {
      if (index === 0) this.applyLevels(diff);
      else if (!this.onDiff(diff)) return;
    }
    this.changed();
  }

  /** Feeds one stream message; returns false when it revealed a gap (a resync has started). */
  onDiff(diff: DepthDiff): boolean {
    if (!this.synced) {
      this.buffer.push(diff);
      if (this.buffer.length > 10_000) this.buffer.shift();
      return true;
    }
    if (diff.u < this.lastUpdateId) return true;
    if (diff.pu !== this.lastUpdateId) {
      this.resyncs++;
      this.restart('RESYNC');
      this.buffer.push(diff);
      return false;
    }
    this.applyLevels(diff);
    this.changed();
    return true;
  }

  private applyLevels(diff: DepthDiff): void {
    for (const [side, levels] of [[this.bids, diff.b], [this.asks, diff.a]] as const) {
      for (const [price, qty] of levels) {
        const key = keyOf(price, this.priceScale);
        if (dec(qty).units === 0n) side.delete(key);
        else side.set(key, { price, qty, key });
      }
    }
    this.lastUpdateId = diff.u;
  }

  /** Best levels first: bids high → low, asks low → high. */
  top(limit: number): { bids: Level[]; asks: Level[] } {
    const bids = [...this.bids.values()].sort((x, y) => (x.key > y.key ? -1 : x.key < y.key ? 1 : 0)).slice(0, limit);
    const asks = [...this.asks.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)).slice(0, limit);
    return { bids, asks };
  }

  dispose(): void {
    this.generation++;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
  }
}
