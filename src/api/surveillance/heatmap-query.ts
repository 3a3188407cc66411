/**
 * @module api/surveillance/heatmap-query
 * The heatmap request, shared by REST and the WebSocket stream: `symbol`, optional `step` (a price:
 * the width of each served level, a multiple of the tick; default 0.1 % of the mark rounded to a tick),
 * optional `from` / `to` (prices; default the mark ± 30 %). At most MAX_LEVELS levels per answer.
 */
import { decimalToUnits, type Instrument } from '../../core/index.js';
import type { HeatmapSnapshot } from '../../surveillance/heatmap.js';
import type { SurveillanceHost } from '../../surveillance/host.js';
import { E } from '../errors.js';

export const MAX_LEVELS = 2_000;
const DEFAULT_STEP_BPS = 10;
const DEFAULT_RANGE_BPS = 3_000;
const PRICE_RE = /^\d{1,12}(\.\d{1,12})?$/;

export interface HeatmapParams {
  readonly symbol: string;
  readonly step?: string;
  readonly from?: string;
  readonly to?: string;
}

function priceTicks(instrument: Instrument, name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!PRICE_RE.test(text)) throw E.illegalValue(name, 'not a price');
  const ticks = decimalToUnits(text, instrument.tick);
  if (ticks === undefined) throw E.illegalValue(name, `not a multiple of the tick ${instrument.spec.tickSize}`);
  if (ticks > BigInt(Number.MAX_SAFE_INTEGER)) throw E.illegalValue(name, 'too large');
  return Number(ticks);
}

export function heatmapSnapshot(host: SurveillanceHost, instruments: ReadonlyMap<string, Instrument>, params: HeatmapParams): HeatmapSnapshot {
  const instrument = instruments.get(params.symbol);
  if (instrument === undefined) throw E.badSymbol();
  const surveillance = host.surveillance;
  const market = surveillance.state.market(instrument.symbol);
  const mark = market.markTicks;
  const stepTicks = priceTicks(instrument, 'step', params.step) ?? Math.max(1, Math.round((mark * DEFAULT_STEP_BPS) / 10_000));
  if (stepTicks < 1) throw E.illegalValue('step', 'must be positive');
  const fromTicks = priceTicks(instrument, 'from', params.from) ?? Math.max(0, Math.floor((mark * (10_000 - DEFAULT_RANGE_BPS)) / 10_000));
  const toTicks = priceTicks(instrument, 'to', params.to) ?? Math.ceil((mark * (10_000 + DEFAULT_RANGE_BPS)) / 10_000);
  if (toTicks < fromTicks) throw E.illegalValue('to', 'below from');
  if ((toTicks - fromTicks) / stepTicks > MAX_LEVELS) throw E.illegalValue('step', `more than ${MAX_LEVELS} levels between from and to`);
  const heatmap = surveillance.risk.heatmaps[market.marketIndex]!;
  return heatmap.snapshot({ stepTicks, fromTicks, toTicks }, mark, surveillance.lastSeq, surveillance.lastAtMs);
}
