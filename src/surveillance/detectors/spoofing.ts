/**
 * @module surveillance/detectors/spoofing
 * M1 SPOOF_LAYER, per account × symbol and 10-minute cycle (aligned to UTC). An episode is an order
 * that
 *   - is ≥ 5× the account's median order size (over its last 100 orders, at least 3 of them) and
 *     ≥ 20 % of the resting depth of the top 5 levels of its side once it rests,
 *   - is cancelled unfilled by the account less than 5 s after it was placed,
 *   - while the same account gets fills on the opposite side within 5 s of its life
 *     (placement − 5 s … cancel + 5 s): the small genuine order the large one was there to help.
 * Count floor and coupling as the reference advises (a cancel ratio alone describes market making).
 * At the cycle's end: ≥ 3 episodes → warn, and high when the score is ≥ 75 too, where
 *   score = 40·min(1, episodes / 3) + 30·min(1, largest depth share / 50 %) + 30·min(1, opposite fills / 10 % of the spoofed size).
 */
import { qty } from '../../api/format.js';
import type { OrderUpdateEvent, OrderView } from '../../core/index.js';
import type { DepthSide } from '../../read/account-state.js';
import type { EvidenceOrder } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import { evidenceOrder } from '../evidence.js';
import type { SurveilledEvent } from '../source.js';
import { flowKind, rests, SlidingMedian } from './order-flow.js';

interface Candidate {
  readonly order: OrderView;
  readonly depthShareBps: number;
  cancelledAtMs: number;
  cancelled: OrderView | undefined;
}

interface Fill {
  readonly atMs: number;
  readonly side: 'BUY' | 'SELL';
  readonly lots: number;
}

interface Episode {
  readonly order: OrderView;
  readonly depthShareBps: number;
  readonly oppositeLots: number;
}

class AccountSymbol {
  readonly sizes: SlidingMedian;
  readonly candidates = new Map<number, Candidate>();
  readonly fills: Fill[] = [];
  episodes: Episode[] = [];
  firstSeq = 0;

  constructor(readonly accountId: number, readonly symbol: string, history: number) {
    this.sizes = new SlidingMedian(history);
  }
}

export class SpoofingDetector implements Detector {
  readonly name = 'M1';
  readonly events = ['OrderUpdate'] as const;
  private readonly flows = new Map<string, AccountSymbol>();
  /** Flows with candidates waiting for their cancel or fill window, and flows with episodes this cycle. */
  private readonly pending = new Set<AccountSymbol>();
  private readonly withEpisodes = new Set<AccountSymbol>();
  private cycleEndMs = 0;

  onBatchStart(ctx: SurveillanceContext): void {
    const { m1 } = ctx.config;
    if (this.cycleEndMs === 0) this.cycleEndMs = (Math.floor(ctx.atMs / m1.cycleMs) + 1) * m1.cycleMs;
    this.finishEpisodes(ctx.atMs, ctx);
    if (ctx.atMs < this.cycleEndMs) return;
    this.closeCycle(ctx);
    this.cycleEndMs = (Math.floor(ctx.atMs / m1.cycleMs) + 1) * m1.cycleMs;
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const update = event as OrderUpdateEvent;
    const kind = flowKind(update);
    if (kind === 'OTHER' || kind === 'ALGO_PLACED') return;
    const order = update.order;
    const { m1 } = ctx.config;
    const key = `${order.accountId}:${order.symbol}`;
    let flow = this.flows.get(key);
    if (flow === undefined) {
      if (kind !== 'PLACED') return;
      flow = new AccountSymbol(order.accountId, order.symbol, m1.sizeHistory);
      this.flows.set(key, flow);
    }
    switch (kind) {
      case 'PLACED': {
        const prior = flow.sizes.count;
        const typical = flow.sizes.median;
        flow.sizes.push(order.origQtyLots);
        if (prior < m1.minPriorOrders || !rests(order) || order.status !== 'NEW') return;
        if (order.origQtyLots < typical * m1.sizeMultiple) return;
        const market = ctx.state.market(order.symbol);
        const top = topDepth(order.side === 'BUY' ? market.bids : market.asks, order.side === 'BUY', m1.depthLevels);
        if (top === 0) return;
        const depthShareBps = Math.floor((order.origQtyLots * 10_000) / top);
        if (depthShareBps < m1.depthShareBps) return;
        flow.candidates.set(order.orderId, { order, depthShareBps, cancelledAtMs: 0, cancelled: undefined });
        this.pending.add(flow);
        if (flow.firstSeq === 0) flow.firstSeq = ctx.toSeq;
        return;
      }
      case 'FILL':
        flow.fills.push({ atMs: update.order.updatedAtMs, side: order.side, lots: update.lastQtyLots });
        while (flow.fills.length > 0 && flow.fills[0]!.atMs < ctx.atMs - 2 * (m1.cancelWithinMs + m1.fillWithinMs)) flow.fills.shift();
        flow.candidates.delete(order.orderId);
        return;
      case 'CANCELED': {
        const candidate = flow.candidates.get(order.orderId);
        if (candidate === undefined) return;
        if (order.executedQtyLots > 0 || order.updatedAtMs - candidate.order.createdAtMs >= m1.cancelWithinMs) {
          flow.candidates.delete(order.orderId);
          return;
        }
        candidate.cancelledAtMs = order.updatedAtMs;
        candidate.cancelled = order;
        return;
      }
      case 'EXPIRED':
      case 'AMENDED':
        flow.candidates.delete(order.orderId);
        return;
    }
  }

  /** Cancelled candidates whose fill window has passed become episodes (or nothing). */
  private finishEpisodes(atMs: number, ctx: SurveillanceContext): void {
    const { m1 } = ctx.config;
    for (const flow of this.pending) {
      for (const [orderId, candidate] of flow.candidates) {
        if (candidate.cancelled === undefined) {
          // Still resting after the cancel window: not a spoof candidate any more.
          if (atMs - candidate.order.createdAtMs >= m1.cancelWithinMs) flow.candidates.delete(orderId);
          continue;
        }
        if (atMs < candidate.cancelledAtMs + m1.fillWithinMs) continue;
        flow.candidates.delete(orderId);
        const from = candidate.order.createdAtMs - m1.fillWithinMs;
        const to = candidate.cancelledAtMs + m1.fillWithinMs;
        let opposite = 0;
        for (const fill of flow.fills) if (fill.side !== candidate.order.side && fill.atMs >= from && fill.atMs <= to) opposite += fill.lots;
        if (opposite > 0) {
          flow.episodes.push({ order: candidate.cancelled, depthShareBps: candidate.depthShareBps, oppositeLots: opposite });
          this.withEpisodes.add(flow);
        }
      }
      if (flow.candidates.size === 0) this.pending.delete(flow);
    }
  }

  private closeCycle(ctx: SurveillanceContext): void {
    const { m1 } = ctx.config;
    for (const flow of this.withEpisodes) {
      const episodes = flow.episodes;
      flow.episodes = [];
      const firstSeq = flow.firstSeq;
      flow.firstSeq = this.pending.has(flow) ? ctx.toSeq : 0;
      const spoofedLots = episodes.reduce((sum, episode) => sum + episode.order.origQtyLots, 0);
      const oppositeLots = episodes.reduce((sum, episode) => sum + episode.oppositeLots, 0);
      const maxShareBps = Math.max(...episodes.map((episode) => episode.depthShareBps));
      const score = Math.round(40 * Math.min(1, episodes.length / m1.warnEpisodes) + 30 * Math.min(1, maxShareBps / 5000) +
        30 * Math.min(1, oppositeLots / (0.1 * spoofedLots)));
      // The count floor holds for both levels: two quick cancels beside fills are what market making looks like.
      const level = episodes.length < m1.warnEpisodes ? 0 : score >= m1.highScore ? 2 : 1;
      if (level === 0) continue;
      const instrument = ctx.state.market(flow.symbol).instrument;
      const orders: EvidenceOrder[] = episodes.map((episode) => evidenceOrder(instrument, episode.order));
      ctx.emit({
        code: 'M1', severity: level === 2 ? 'high' : 'warn', symbol: flow.symbol, accountIds: [flow.accountId],
        atMs: this.cycleEndMs, ...(firstSeq > 0 ? { fromSeq: firstSeq } : {}),
        message: `account ${flow.accountId} ${flow.symbol}: ${episodes.length} spoofing/layering episode(s) in 10 min, score ${score}`,
        inputs: {
          episodes: episodes.length, score, spoofedQty: qty(instrument, spoofedLots), oppositeFilledQty: qty(instrument, oppositeLots),
          largestDepthShareBps: maxShareBps, cycleStartMs: this.cycleEndMs - m1.cycleMs, cycleEndMs: this.cycleEndMs,
        },
        threshold: {
          sizeMultiple: m1.sizeMultiple, depthShareBps: m1.depthShareBps, cancelWithinMs: m1.cancelWithinMs, fillWithinMs: m1.fillWithinMs,
          warnEpisodes: m1.warnEpisodes, highScore: m1.highScore,
        },
        orders,
      });
    }
    this.withEpisodes.clear();
  }
}

/** Resting lots of the best `levels` levels of a side. */
function topDepth(side: DepthSide, descending: boolean, levels: number): number {
  const best: number[] = [];
  for (const priceTicks of side.keys()) {
    if (best.length < levels) {
      best.push(priceTicks);
      best.sort((a, b) => (descending ? b - a : a - b));
    } else if (descending ? priceTicks > best[levels - 1]! : priceTicks < best[levels - 1]!) {
      best[levels - 1] = priceTicks;
      best.sort((a, b) => (descending ? b - a : a - b));
    }
  }
  return best.reduce((sum, priceTicks) => sum + side.get(priceTicks)!, 0);
}
