/**
 * @module api/read-models/projector
 * Turns committed venue entries into the API's read models. Two kinds of sink:
 * - durable (SQLite store + klines): idempotent per seq, caught up after a restart by replaying
 *   the venue from the store's last projected seq;
 * - live (in-memory market model + WebSocket fan-out): start at the engine's state at start-up and
 *   only ever see new entries.
 * The projector is the only writer of both, and it runs synchronously inside the venue's commit
 * callback, so every read model moves in seq order.
 */
import type { EngineEvent, OrderView } from '../../core/index.js';
import type { CommittedEntry, Venue } from '../../venue/venue.js';
import type { LevelChange } from './depth.js';
import { DurableProjection, type PublicTrade } from './durable-projection.js';
import type { KlineModel } from './klines.js';
import type { MarketModel } from './market.js';
import type { ReadStore } from './store.js';

export { incomeTypeOf, type PublicTrade } from './durable-projection.js';

export interface ProjectedEntry {
  readonly entry: CommittedEntry;
  readonly seq: number;
  readonly atMs: number;
  /** Book trades of this entry (ADL fills excluded) with their aggregate-trade ids. */
  readonly trades: readonly PublicTrade[];
  /** Changed book levels per symbol (update id = seq). */
  readonly depth: ReadonlyMap<string, readonly LevelChange[]>;
}

export interface LiveSink {
  onEntry(projected: ProjectedEntry): void;
}

/** Durable replay hook of a DurableVenue (structural, so MemoryVenue needs no stub). */
interface Replayable {
  replay(fromSeq: number, listener: (entry: CommittedEntry) => void): Promise<void> | void;
}

function isReplayable(venue: Venue): venue is Venue & Replayable {
  return typeof (venue as Partial<Replayable>).replay === 'function';
}

export class Projector {
  private readonly sinks: LiveSink[] = [];
  private unsubscribe: (() => void) | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly durable: DurableProjection;

  constructor(
    private readonly venue: Venue,
    private readonly store: ReadStore,
    klines: KlineModel,
    private readonly market: MarketModel,
  ) {
    this.durable = new DurableProjection(store, klines, (symbol) => market.get(symbol)?.instrument);
  }

  addSink(sink: LiveSink): void {
    this.sinks.push(sink);
  }

  /**
   * Catches the durable models up to the engine (replay), seeds the live models from the engine,
   * then follows new commits. Must run before any command is submitted through this process.
   */
  async start(flushIntervalMs = 100): Promise<void> {
    // Subscribe first and hold live entries while the durable models catch up, so nothing
    // committed during the catch-up (e.g. the venue's own ticks) falls into a gap.
    const held: CommittedEntry[] = [];
    let live = false;
    this.unsubscribe = this.venue.subscribe((entry) => {
      if (live) this.onCommitted(entry);
      else held.push(entry);
    });
    const engineSeq = this.venue.engine.lastSeq;
    if (this.store.projectedSeq > engineSeq) this.store.reset();
    if (this.store.projectedSeq < engineSeq && isReplayable(this.venue)) {
      await this.venue.replay(this.store.projectedSeq + 1, (entry) => {
        if (entry.command.seq > this.store.projectedSeq) this.durable.project(entry);
      });
    }
    // Without a replay source a gap cannot be filled: the projection starts here.
    if (this.store.projectedSeq < engineSeq && !isReplayable(this.venue)) this.store.projectedSeq = engineSeq;
    this.store.flush();
    // The engine holds (at least) every entry replayed or held; the depth model is idempotent for
    // entries already reflected in the seed, so held entries are simply applied on top.
    this.market.seedFromEngine(this.venue.engine.lastSeq);
    for (const entry of held) this.onCommitted(entry);
    live = true;
    this.flushTimer = setInterval(() => this.store.flush(), flushIntervalMs);
    this.flushTimer.unref();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.flushTimer !== undefined) clearInterval(this.flushTimer);
    this.store.flush();
  }

  private onCommitted(entry: CommittedEntry): void {
    const trades = entry.command.seq > this.store.projectedSeq ? this.durable.project(entry) : [];
    this.projectLive(entry, trades);
  }

  private projectLive(entry: CommittedEntry, trades: PublicTrade[]): void {
    const seq = entry.command.seq;
    const finals = new Map<string, Map<number, OrderView>>();
    for (const event of entry.events) this.liveEvent(event, finals);
    const depth = new Map<string, LevelChange[]>();
    for (const [symbol, views] of finals) {
      const changes = this.market.get(symbol)?.depth.apply(views.values(), seq);
      if (changes !== undefined && changes.length > 0) depth.set(symbol, changes);
    }
    for (const trade of trades) {
      const state = this.market.get(trade.symbol);
      if (state !== undefined) {
        state.lastTrade = { tradeId: trade.tradeId, priceTicks: trade.priceTicks, qtyLots: trade.qtyLots, timeMs: trade.timeMs };
      }
    }
    const projected: ProjectedEntry = { entry, seq, atMs: entry.command.atMs, trades, depth };
    for (const sink of this.sinks) sink.onEntry(projected);
  }

  private liveEvent(event: EngineEvent, finals: Map<string, Map<number, OrderView>>): void {
    if (event.type === 'OrderUpdate') {
      let views = finals.get(event.order.symbol);
      if (views === undefined) {
        views = new Map();
        finals.set(event.order.symbol, views);
      }
      views.set(event.order.orderId, event.order);
    } else if (event.type === 'MarkPriceUpdated') {
      this.market.onMark(event);
    }
  }
}
