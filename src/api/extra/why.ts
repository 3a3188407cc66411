/**
 * @module api/extra/why
 * "Why was I liquidated": rebuilds, for one liquidation, the account's equity, maintenance margin,
 * margin ratio and liquidation price along the mark path from the moment the position was opened
 * up to the liquidation, with the engine's own margin functions (maintenance margin by bracket,
 * liquidation price) applied to the account's recorded margin states (read-models/account-points)
 * and the mark path (1 s samples from mark-history, else the stored 1-minute mark klines, taking
 * each minute's worst price for the position). Then what would have saved it:
 * - the extra margin that would have kept equity above maintenance over the whole path, through the
 *   liquidation and what followed (up to now, at most FOLLOW_MS), holding the position;
 * - the highest leverage at which the same capital, entering once at the position's average entry
 *   price, would have survived that path (fees and funding left out, stated in the answer).
 * Every figure is exact integer arithmetic; ratios are truncated toward zero to 1e-8.
 */
import type { Instrument, LiquidationEvent, MarginTypeName } from '../../core/index.js';
import { liquidationPrice, maintenanceMarginForNotional } from '../../core/engine/margin.js';
import type { ApiContext } from '../context.js';
import { fractionPrice, money, price, qty } from '../format.js';
import type { LiquidationRow } from '../read-models/store.js';
import type { MarkHistory } from './mark-history.js';

/** The path after the liquidation that "would it have survived" looks at. */
export const FOLLOW_MS = 24 * 3_600_000;
/** The path before it, at most. */
export const LOOKBACK_MS = 7 * 24 * 3_600_000;
export const MAX_TIMELINE_POINTS = 1500;
const MAX_POINTS = 20_000;
const E8 = 100_000_000n;

interface PositionState { sizeLots: number; costE8: bigint; isolatedWalletE8: bigint; isolated: boolean; leverage: number }

interface State { crossWalletE8: bigint; positions: Map<string, PositionState> }

interface PathSample { atMs: number; markTicks: number }

export function parseLiquidation(row: LiquidationRow): LiquidationEvent {
  const raw = JSON.parse(row.event) as Record<string, unknown>;
  const big = (name: string): bigint => BigInt(raw[name] as string);
  return {
    ...(raw as unknown as LiquidationEvent),
    marginBalanceE8: big('marginBalanceE8'), maintenanceMarginE8: big('maintenanceMarginE8'),
    bookNotionalE8: big('bookNotionalE8'), feeE8: big('feeE8'), insuranceDeltaE8: big('insuranceDeltaE8'),
    adl: (raw['adl'] as Record<string, unknown>[]).map((fill) => ({
      accountId: fill['accountId'] as number, qtyLots: fill['qtyLots'] as number, priceTicks: fill['priceTicks'] as number,
      realizedPnlE8: BigInt(fill['realizedPnlE8'] as string),
    })),
  };
}

/** Summary row of a liquidation for lists. */
export function liquidationSummary(ctx: ApiContext, row: LiquidationRow): Record<string, unknown> {
  const event = parseLiquidation(row);
  const instrument = ctx.instruments.get(event.symbol)!;
  return {
    id: row.liquidationId, accountId: event.accountId, symbol: event.symbol, side: event.side, marginType: event.marginType,
    time: event.atMs, qty: qty(instrument, event.qtyLots), positionAmtBefore: qty(instrument, event.positionLotsBefore),
    markPrice: price(instrument, event.markTicks), bankruptcyPrice: price(instrument, event.bankruptcyPriceTicks),
    marginBalance: money(event.marginBalanceE8), maintMargin: money(event.maintenanceMarginE8),
    avgPrice: event.bookFilledLots === 0 ? '0'
      : fractionPrice(instrument, { num: event.bookNotionalE8, den: BigInt(event.bookFilledLots) * instrument.quotePerTickLotE8 }),
    filledQty: qty(instrument, event.bookFilledLots), fee: money(event.feeE8), insuranceDelta: money(event.insuranceDeltaE8),
    adl: event.adl.map((fill) => ({ accountId: fill.accountId, qty: qty(instrument, fill.qtyLots), price: price(instrument, fill.priceTicks),
      realizedPnl: money(fill.realizedPnlE8) })),
    orderId: event.orderId,
  };
}

function absBig(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/** Maintenance margin of a position at a mark (0 when flat). */
function maintenanceAt(instrument: Instrument, sizeLots: number, markTicks: number): bigint {
  if (sizeLots === 0) return 0n;
  return maintenanceMarginForNotional(instrument, absBig(BigInt(markTicks) * BigInt(sizeLots) * instrument.quotePerTickLotE8));
}

function upnlAt(instrument: Instrument, position: PositionState, markTicks: number): bigint {
  return BigInt(markTicks) * BigInt(position.sizeLots) * instrument.quotePerTickLotE8 - position.costE8;
}

/** MM / equity, truncated to 1e-8 (equity ≤ 0: reported as 1 and above, i.e. at or past liquidation). */
function ratioE8(maintenanceE8: bigint, equityE8: bigint): bigint {
  if (equityE8 <= 0n) return maintenanceE8 > 0n ? E8 : 0n;
  return (maintenanceE8 * E8) / equityE8;
}

function cloneState(state: State): State {
  return { crossWalletE8: state.crossWalletE8,
    positions: new Map([...state.positions].map(([symbol, position]) => [symbol, { ...position }])) };
}

export class WhyBuilder {
  constructor(private readonly ctx: ApiContext, private readonly marks: MarkHistory) {}

  /** Mark path of a symbol in [from, to]: 1 s samples when held, else 1 m klines at the worst price for `side`. */
  private path(symbol: string, fromMs: number, toMs: number, longPosition: boolean): PathSample[] {
    if (this.marks.oldestMs(symbol) <= fromMs) {
      return this.marks.range(symbol, fromMs, toMs).map((sample) => ({ atMs: sample.atMs, markTicks: sample.markTicks }));
    }
    const rows = this.ctx.klines.query(symbol, 'mark', '1m', { startTime: fromMs - 60_000, endTime: toMs, limit: 1500 });
    const out = rows.map((row) => ({ atMs: Math.max(row.openTimeMs, fromMs), markTicks: longPosition ? row.low : row.high }));
    return [...out, ...this.marks.range(symbol, (out.at(-1)?.atMs ?? fromMs) + 1, toMs)];
  }

  private stateAt(accountId: number, seq: number): State {
    const raw = this.ctx.store.accountStateAt(accountId, seq);
    const positions = new Map<string, PositionState>();
    for (const [symbol, row] of raw.positions) {
      positions.set(symbol, { sizeLots: row.sizeLots, costE8: BigInt(row.costE8 || '0'),
        isolatedWalletE8: BigInt(row.isolatedWalletE8 || '0'), isolated: row.marginType === 'ISOLATED', leverage: row.leverage });
    }
    return { crossWalletE8: raw.crossWalletE8, positions };
  }

  /** Equity, maintenance margin and the liquidated position's liquidation price under `state` at these marks. */
  private measure(state: State, symbol: string, marks: ReadonlyMap<string, number>):
    { equityE8: bigint; maintenanceE8: bigint; liquidationPrice: string } {
    const target = state.positions.get(symbol);
    const instrument = this.ctx.instruments.get(symbol)!;
    if (target === undefined) return { equityE8: state.crossWalletE8, maintenanceE8: 0n, liquidationPrice: '0' };
    const markOf = (name: string): number => marks.get(name) ?? 0;
    if (target.isolated) {
      const mark = markOf(symbol);
      const liq = liquidationPrice(instrument, target.sizeLots, target.costE8, target.isolatedWalletE8);
      return { equityE8: target.isolatedWalletE8 + upnlAt(instrument, target, mark), maintenanceE8: maintenanceAt(instrument, target.sizeLots, mark),
        liquidationPrice: fractionPrice(instrument, liq) };
    }
    let equity = state.crossWalletE8;
    let maintenance = 0n;
    let othersBacking = state.crossWalletE8;
    for (const [name, position] of state.positions) {
      if (position.isolated || position.sizeLots === 0) continue;
      const other = this.ctx.instruments.get(name)!;
      const upnl = upnlAt(other, position, markOf(name));
      const mm = maintenanceAt(other, position.sizeLots, markOf(name));
      equity += upnl;
      maintenance += mm;
      if (name !== symbol) othersBacking += upnl - mm;
    }
    const liq = liquidationPrice(instrument, target.sizeLots, target.costE8, othersBacking);
    return { equityE8: equity, maintenanceE8: maintenance, liquidationPrice: fractionPrice(instrument, liq) };
  }

  build(row: LiquidationRow): Record<string, unknown> {
    const ctx = this.ctx;
    const event = parseLiquidation(row);
    const instrument = ctx.instruments.get(event.symbol)!;
    const long = event.positionLotsBefore > 0;
    const openSeq = ctx.store.lastFlatSeq(event.accountId, event.symbol, row.seq - 1);
    let state = this.stateAt(event.accountId, openSeq);
    const points = ctx.store.accountPoints(event.accountId, openSeq + 1, row.seq - 1, MAX_POINTS);
    const fromMs = Math.max(points[0]?.timeMs ?? event.atMs, event.atMs - LOOKBACK_MS);
    const endMs = Math.min(ctx.now(), event.atMs + FOLLOW_MS);
    const symbols = [...new Set([event.symbol, ...state.positions.keys(), ...points.map((point) => point.symbol)])].filter((s) => s !== '');
    // A minute of path before the window, so the first point already has a mark.
    const paths = new Map(symbols.map((symbol) => [symbol, this.path(symbol, fromMs - 60_000, endMs, symbol === event.symbol ? long : true)]));
    const cursors = new Map(symbols.map((symbol) => [symbol, 0]));
    const marks = new Map<string, number>();
    const times = [...new Set([...paths.get(event.symbol)!.map((sample) => sample.atMs), ...points.map((point) => point.timeMs), event.atMs])]
      .filter((atMs) => atMs >= fromMs && atMs <= endMs).sort((a, b) => a - b);
    const timeline: Record<string, unknown>[] = [];
    let pointIndex = 0;
    let worstShortfallE8 = 0n;
    let frozen: State | undefined;
    const step = Math.max(1, Math.ceil(times.length / MAX_TIMELINE_POINTS));
    for (const [index, atMs] of times.entries()) {
      for (const symbol of symbols) {
        const path = paths.get(symbol)!;
        let cursor = cursors.get(symbol)!;
        while (cursor < path.length && path[cursor]!.atMs <= atMs) cursor++;
        cursors.set(symbol, cursor);
        if (cursor > 0) marks.set(symbol, path[cursor - 1]!.markTicks);
      }
      if (!marks.has(event.symbol)) continue; // no mark known yet: nothing to measure
      if (atMs < event.atMs) {
        while (pointIndex < points.length && points[pointIndex]!.timeMs <= atMs) state = this.apply(state, points[pointIndex++]!);
      } else {
        while (pointIndex < points.length) state = this.apply(state, points[pointIndex++]!);
        frozen ??= cloneState(state);
      }
      const current = atMs < event.atMs ? state : frozen!;
      const measured = this.measure(current, event.symbol, marks);
      const shortfall = measured.maintenanceE8 - measured.equityE8;
      if (shortfall >= worstShortfallE8) worstShortfallE8 = shortfall + 1n;
      if (atMs <= event.atMs && (index % step === 0 || atMs === event.atMs)) {
        const mark = atMs === event.atMs ? event.markTicks : marks.get(event.symbol) ?? 0;
        const exact = atMs === event.atMs;
        const equity = exact ? event.marginBalanceE8 : measured.equityE8;
        const maintenance = exact ? event.maintenanceMarginE8 : measured.maintenanceE8;
        timeline.push({
          time: atMs, markPrice: price(instrument, mark), equity: money(equity), maintMargin: money(maintenance),
          marginRatio: money(ratioE8(maintenance, equity)), positionAmt: qty(instrument, current.positions.get(event.symbol)?.sizeLots ?? 0),
          liquidationPrice: measured.liquidationPrice,
        });
      }
    }
    const capital = this.capital(event.marginType, state, event.symbol);
    const survivor = this.maxSurvivingLeverage(instrument, long, capital, frozen ?? state, event.symbol,
      paths.get(event.symbol)!.filter((sample) => sample.atMs >= fromMs));
    const orders = ctx.store.orders(event.accountId, event.symbol, { startTime: fromMs, endTime: event.atMs, limit: 200 });
    return {
      liquidation: liquidationSummary(ctx, row),
      window: { from: fromMs, to: endMs, pathResolution: this.marks.oldestMs(event.symbol) <= fromMs ? '1s' : '1m' },
      timeline,
      orders: orders.map((order) => ({
        orderId: order.orderId, side: order.side, type: order.orderType, status: order.status, price: price(instrument, order.priceTicks),
        origQty: qty(instrument, order.origQtyLots), executedQty: qty(instrument, order.executedQtyLots), time: order.createdAtMs,
        updateTime: order.updatedAtMs, reduceOnly: order.reduceOnly, liquidation: order.origin === 'LIQUIDATION',
      })),
      saved: {
        extraMarginNeeded: money(worstShortfallE8 > 0n ? worstShortfallE8 : 0n),
        capital: money(capital),
        maxSurvivingLeverage: survivor,
        pathEnd: endMs,
        assumptions: 'Holding the position through the liquidation and the path after it (up to 24 h); the leverage figure '
          + 'enters the same capital once at the average entry price and leaves out fees and funding.',
      },
    };
  }

  private apply(state: State, point: { symbol: string; hasPosition: boolean; sizeLots: number; costE8: string;
    isolatedWalletE8: string; marginType: string; leverage: number; crossWalletE8: string }): State {
    if (point.crossWalletE8 !== '') state.crossWalletE8 = BigInt(point.crossWalletE8);
    if (point.symbol === '') return state;
    const position = state.positions.get(point.symbol) ?? { sizeLots: 0, costE8: 0n, isolatedWalletE8: 0n, isolated: false, leverage: 1 };
    if (point.hasPosition) {
      position.sizeLots = point.sizeLots;
      position.costE8 = BigInt(point.costE8);
      position.isolated = (point.marginType as MarginTypeName) === 'ISOLATED';
      position.leverage = point.leverage;
    }
    if (point.isolatedWalletE8 !== '') position.isolatedWalletE8 = BigInt(point.isolatedWalletE8);
    state.positions.set(point.symbol, position);
    return state;
  }

  /** The money at risk: the isolated wallet, or the cross wallet, at the liquidation. */
  private capital(marginType: MarginTypeName, state: State, symbol: string): bigint {
    return marginType === 'ISOLATED' ? state.positions.get(symbol)?.isolatedWalletE8 ?? 0n : state.crossWalletE8;
  }

  /**
   * Highest leverage L ≤ the instrument's maximum at which a position of notional capital × L,
   * entered at the liquidated position's average entry price, keeps equity above maintenance at
   * every mark of the path (survival only gets harder as L grows, so a bisection finds it).
   * undefined when not even 1x survives (or no entry price).
   */
  private maxSurvivingLeverage(instrument: Instrument, long: boolean, capitalE8: bigint, state: State, symbol: string,
    path: readonly PathSample[]): number | undefined {
    const position = state.positions.get(symbol);
    if (position === undefined || position.sizeLots === 0 || capitalE8 <= 0n) return undefined;
    const k = instrument.quotePerTickLotE8;
    // entry (ticks) = |cost| / (|size| × k): kept as the fraction entryNum / entryDen.
    const entryNum = absBig(position.costE8);
    const entryDen = absBig(BigInt(position.sizeLots)) * k;
    const survives = (leverage: number): boolean => {
      const notionalAtEntry = capitalE8 * BigInt(leverage);
      for (const sample of path) {
        // notional at mark = notionalAtEntry × mark / entry; losses rounded up, notional (hence MM) up.
        const markNotionalNum = notionalAtEntry * BigInt(sample.markTicks) * entryDen;
        const notionalAtMark = (markNotionalNum + entryNum - 1n) / entryNum;
        const change = long ? notionalAtMark - notionalAtEntry : notionalAtEntry - notionalAtMark;
        const equity = capitalE8 + change;
        if (equity <= maintenanceMarginForNotional(instrument, notionalAtMark)) return false;
      }
      return true;
    };
    if (!survives(1)) return undefined;
    let low = 1;
    let high = instrument.brackets[0]!.maxLeverage;
    while (low < high) {
      const mid = Math.floor((low + high + 1) / 2);
      if (survives(mid)) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
