/**
 * @module surveillance/detectors/circular
 * M5 CIRCULAR_GROUP, per clock hour and symbol: a group of accounts trades mostly with itself and
 * ends where it started — every member did ≥ 50 % of its volume against the group, and every
 * member's net position change is ≤ 10 % of what it traded. Groups are the link registry's (linked
 * accounts) and recurring counterparty pairs (two unlinked accounts that traded with each other,
 * for which the same two conditions hold). Floors (ours): ≥ 4 trades inside the group and ≥ 10,000
 * USDT of internal volume, so two retail accounts that met once are not a ring.
 * Self-trades (one account on both sides) are M4's.
 */
import { money, qty } from '../../api/format.js';
import type { TradeEvent } from '../../core/index.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import type { SurveilledEvent } from '../source.js';

const E8 = 100_000_000n;

interface Volume {
  notionalE8: bigint;
  lots: number;
  netLots: number;
}

interface PairVolume {
  notionalE8: bigint;
  trades: number;
}

class HourBook {
  readonly accounts = new Map<number, Volume>();
  /** "a:b" with a < b → their mutual volume. */
  readonly pairs = new Map<string, PairVolume>();
  firstSeq = 0;
}

export class CircularDetector implements Detector {
  readonly name = 'M5';
  readonly events = ['Trade'] as const;
  private books = new Map<string, HourBook>();
  private windowEndMs = 0;

  onBatchStart(ctx: SurveillanceContext): void {
    const { m5 } = ctx.config;
    if (this.windowEndMs === 0) this.windowEndMs = (Math.floor(ctx.atMs / m5.windowMs) + 1) * m5.windowMs;
    if (ctx.atMs < this.windowEndMs) return;
    for (const [symbol, book] of this.books) this.close(symbol, book, ctx);
    this.books = new Map();
    this.windowEndMs = (Math.floor(ctx.atMs / m5.windowMs) + 1) * m5.windowMs;
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const trade = event as TradeEvent;
    if (trade.kind !== 'NORMAL' || trade.makerAccountId === trade.takerAccountId) return;
    let book = this.books.get(trade.symbol);
    if (book === undefined) {
      book = new HourBook();
      book.firstSeq = ctx.toSeq;
      this.books.set(trade.symbol, book);
    }
    const notional = BigInt(trade.priceTicks) * BigInt(trade.qtyLots) * ctx.state.market(trade.symbol).instrument.quotePerTickLotE8;
    const buyer = trade.takerSide === 'BUY' ? trade.takerAccountId : trade.makerAccountId;
    const seller = trade.takerSide === 'BUY' ? trade.makerAccountId : trade.takerAccountId;
    add(book, buyer, notional, trade.qtyLots, trade.qtyLots);
    add(book, seller, notional, trade.qtyLots, -trade.qtyLots);
    const key = buyer < seller ? `${buyer}:${seller}` : `${seller}:${buyer}`;
    const pair = book.pairs.get(key) ?? { notionalE8: 0n, trades: 0 };
    pair.notionalE8 += notional;
    pair.trades++;
    book.pairs.set(key, pair);
  }

  private close(symbol: string, book: HourBook, ctx: SurveillanceContext): void {
    const checked = new Set<string>();
    // Linked groups first: internal volume per member from the pairs inside the group.
    const groups = new Map<number, number[]>();
    for (const accountId of book.accounts.keys()) {
      const members = ctx.links.members(accountId);
      if (members.length > 1) groups.set(members[0]!, members.filter((member) => book.accounts.has(member)));
    }
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      this.checkGroup(symbol, book, members, 'LINKED', ctx);
      for (const a of members) for (const b of members) if (a < b) checked.add(`${a}:${b}`);
    }
    for (const key of book.pairs.keys()) {
      if (checked.has(key)) continue;
      const [a, b] = key.split(':').map(Number) as [number, number];
      this.checkGroup(symbol, book, [a, b], 'RECURRING_PAIR', ctx);
    }
  }

  private checkGroup(symbol: string, book: HourBook, members: readonly number[], kind: string, ctx: SurveillanceContext): void {
    const { m5 } = ctx.config;
    let internal = 0n;
    let trades = 0;
    const internalOf = new Map<number, bigint>();
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = Math.min(members[i]!, members[j]!);
        const b = Math.max(members[i]!, members[j]!);
        const pair = book.pairs.get(`${a}:${b}`);
        if (pair === undefined) continue;
        internal += pair.notionalE8;
        trades += pair.trades;
        internalOf.set(a, (internalOf.get(a) ?? 0n) + pair.notionalE8);
        internalOf.set(b, (internalOf.get(b) ?? 0n) + pair.notionalE8);
      }
    }
    if (trades < m5.minTrades || internal < BigInt(m5.minNotionalUsdt) * E8) return;
    for (const member of members) {
      const volume = book.accounts.get(member)!;
      if ((internalOf.get(member) ?? 0n) * 10_000n < volume.notionalE8 * BigInt(m5.volumeShareBps)) return;
      if (Math.abs(volume.netLots) * 10_000 > volume.lots * m5.netBps) return;
    }
    const instrument = ctx.state.market(symbol).instrument;
    ctx.emit({
      code: 'M5', severity: 'high', symbol, accountIds: [...members], atMs: this.windowEndMs, fromSeq: book.firstSeq,
      message: `${symbol}: ${kind === 'LINKED' ? 'linked' : 'recurring'} group ${members.join(', ')} traded ${money(internal)} USDT ` +
        `among themselves in an hour and ended flat`,
      inputs: {
        kind, trades, internalNotional: money(internal), windowStartMs: this.windowEndMs - m5.windowMs,
        members: members.map((member) => {
          const volume = book.accounts.get(member)!;
          return { accountId: member, volume: money(volume.notionalE8), internal: money(internalOf.get(member) ?? 0n),
            traded: qty(instrument, volume.lots), net: qty(instrument, volume.netLots) };
        }),
      },
      threshold: { volumeShareBps: m5.volumeShareBps, netBps: m5.netBps, minTrades: m5.minTrades, minNotionalUsdt: m5.minNotionalUsdt },
    });
  }
}

function add(book: HourBook, accountId: number, notionalE8: bigint, lots: number, netLots: number): void {
  let volume = book.accounts.get(accountId);
  if (volume === undefined) {
    volume = { notionalE8: 0n, lots: 0, netLots: 0 };
    book.accounts.set(accountId, volume);
  }
  volume.notionalE8 += notionalE8;
  volume.lots += lots;
  volume.netLots += netLots;
}
