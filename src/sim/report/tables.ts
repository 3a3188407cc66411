/**
 * @module sim/report/tables
 * The report's tables as HTML: the measurement against the real day, the liquidation log (time,
 * account, side, leverage, size, bankruptcy and fill price, fee, the fund's change, ADL), ADL by
 * policy, survival by agent type, and what happened to copy followers and sponsored accounts.
 */
import { copyFates } from './copy-fate.js';
import { compileInstrument, formatScaled, formatUnits } from '../../core/index.js';
import type { Comparison } from '../measure/compare.js';
import type { SimResult } from '../run/batch.js';
import type { AdlFigures } from './adl.js';
import type { KindSurvival } from './summary.js';

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const utc = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const pct = (x: number | null, digits = 1): string => (x === null ? '—' : `${(x * 100).toFixed(digits)}%`);
const bps = (x: number | null): string => (x === null ? '—' : `${x.toFixed(1)} bps`);
const num = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rate = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(4)}%`);

export function comparisonTable(c: Comparison): string {
  const rows: [string, string, string][] = [
    ['1-minute return correlation, simulated vs real perpetual', c.returnCorrelation === null ? '—' : c.returnCorrelation.toFixed(3), '1 (same path)'],
    ['perpetual low', `${num(c.low.simulated, 1)} at ${utc(c.low.simulatedAtMs).slice(11, 16)}`, `${num(c.low.real, 1)} at ${utc(c.low.realAtMs).slice(11, 16)}`],
    ['low: simulated / real − 1, minutes apart', `${pct(c.low.difference, 2)}, ${c.low.minutesApart} min`, ''],
    ['basis (perp / spot − 1), mean over the replay', bps(c.basis.simulatedMeanBps), bps(c.basis.realMeanBps)],
    ['basis, mean in the crash window', bps(c.basis.crashSimulatedMeanBps), bps(c.basis.crashRealMeanBps)],
    ['basis of the lows, in the bucket of the real low', pct(c.basis.atLowSimulated, 2), pct(c.basis.atLowReal, 2)],
    ['deepest bucket-low basis', pct(c.basis.minSimulated, 2), pct(c.basis.minReal, 2)],
    [`basis path: correlation, mean |difference| (${c.basis.bucketMs / 60_000}-minute buckets)`,
      `${c.basis.correlation?.toFixed(3) ?? '—'}, ${bps(c.basis.meanAbsDifferenceBps)}`, ''],
    ['crash window: share of liquidated notional', pct(c.crash.liquidatedShare), `${pct(c.crash.damageShareSpot)} of price damage (spot), ${pct(c.crash.damageSharePerp)} (perp)`],
    ['ADL share of liquidated volume', pct(c.adlShareOfLiquidatedVolume, 2), 'rare on Binance BTC'],
    ...c.funding.map((f): [string, string, string] => [`funding settled ${utc(f.timeMs).slice(0, 16)}`, rate(f.simulated),
      `${rate(f.derivedFromCandles)} from candles${f.real === null ? '' : `, ${rate(f.real)} settled`}`]),
  ];
  if (c.openInterest !== null) {
    const oi = c.openInterest;
    rows.push([`open interest ${oi.days.join(' → ')} (daily means)`,
      `${oi.simulatedMeanBase.map((x) => (x === null ? '—' : num(x, 1))).join(' → ')} (${pct(oi.simulatedChange)}; hours covered ${oi.hoursCovered.join(', ')})`,
      `${oi.realMeanBase.map((x) => (x === null ? '—' : num(x, 0))).join(' → ')} (${pct(oi.realChange)})`]);
  }
  if (c.cascade !== null) {
    const k = c.cascade;
    rows.push([`cascade ${utc(k.startMs).slice(11, 16)}–${utc(k.endMs).slice(11, 16)}: liquidations, ADL fills, first ADL after`,
      `${num(k.liquidations)}, ${num(k.adlFills)}, ${k.firstAdlAfterSec === null ? 'none' : `${k.firstAdlAfterSec} s`}`, esc(k.published)]);
    rows.push(['cascade: share of the replay\'s liquidated notional; profile correlation with the published one',
      `${pct(k.shareOfReplay)}; ${k.profileCorrelation?.toFixed(3) ?? '—'}`, '']);
  }
  return `<table class="kv"><tr><th>measure</th><th>simulated</th><th>real</th></tr>${rows.map(([a, b, cc]) =>
    `<tr><td>${esc(a)}</td><td>${esc(b)}</td><td>${cc}</td></tr>`).join('')}</table>`;
}

export function liquidationTable(result: SimResult): string {
  const instrument = compileInstrument(result.instrument);
  const price = (ticks: number): string => formatUnits(ticks, instrument.tick);
  const rows = result.recorder.liquidations.map((l) => `<tr><td>${utc(l.atMs)}</td><td>${l.accountId}</td><td>${esc(l.agent)}</td>` +
    `<td>${l.side === 'SELL' ? 'long' : 'short'}</td><td>${l.leverage}x ${l.marginType === 'ISOLATED' ? 'iso' : 'cross'}</td>` +
    `<td>${formatUnits(l.qtyLots, instrument.lot)}</td><td>${price(l.markTicks)}</td><td>${price(l.bankruptcyPriceTicks)}</td>` +
    `<td>${l.bookFilledLots === 0 ? '—' : (l.fillPriceTicks * Number(instrument.tick.digits) / 10 ** instrument.tick.scale).toFixed(instrument.tick.scale)}</td>` +
    `<td>${formatScaled(l.feeE8, 8, 2)}</td><td>${formatScaled(l.fundDeltaE8, 8, 2)}</td>` +
    `<td>${l.adlLots === 0 ? '' : `${formatUnits(l.adlLots, instrument.lot)} (${l.adlFills} fills)`}</td></tr>`).join('');
  return `<div class="scroll"><table><tr><th>time (UTC)</th><th>account</th><th>agent</th><th>side</th><th>leverage</th>` +
    `<th>size</th><th>mark</th><th>bankruptcy price</th><th>avg fill price</th><th>fee (USDT)</th><th>insurance fund (USDT)</th>` +
    `<th>ADL</th></tr>${rows}</table></div>`;
}

export function adlTable(rows: readonly AdlFigures[]): string {
  return `<table><tr><th>ADL policy</th><th>liquidations with ADL</th><th>fills</th><th>accounts hit</th>` +
    `<th>profitable accounts hit</th><th>volume (base)</th><th>share of liquidated volume</th><th>notional (USDT)</th>` +
    `<th>haircut vs mark (USDT)</th><th>deficit covered (USDT)</th><th>profit closed (USDT)</th><th>overshoot (USDT)</th></tr>` +
    `${rows.map((a) => `<tr><td>${esc(a.policy)}</td><td>${a.liquidationsWithAdl}</td>` +
      `<td>${a.fills}</td><td>${a.accountsHit}</td><td>${a.profitableAccountsHit}</td><td>${a.volumeBase}</td>` +
      `<td>${pct(a.shareOfLiquidatedVolume, 2)}</td><td>${num(a.notionalUsdt, 2)}</td><td>${num(a.haircutVsMarkUsdt, 2)}</td>` +
      `<td>${num(a.deficitCoveredUsdt, 2)}</td>` +
      `<td>${num(a.profitClosedUsdt, 2)}</td><td>${num(a.overshootUsdt, 2)}</td></tr>`).join('')}</table>`;
}

export function survivalTable(survival: Record<string, KindSurvival>): string {
  return `<table><tr><th>agent type</th><th>agents</th><th>liquidated</th><th>survived</th><th>capital (USDT)</th>` +
    `<th>end equity (USDT)</th></tr>${Object.entries(survival).map(([kind, k]) => `<tr><td>${esc(kind)}</td><td>${k.agents}</td>` +
      `<td>${k.liquidated}</td><td>${(k.survivalRate * 100).toFixed(1)}%</td><td>${num(k.startCapitalUsdt, 2)}</td>` +
      `<td>${num(k.endEquityUsdt, 2)}</td></tr>`).join('')}</table>`;
}

/** Copy followers next to their leader: liquidated before, with or after it, or never (copy-fate.ts). */
export function followersSection(result: SimResult): string {
  const fates = copyFates(result);
  if (fates.length === 0) return '<p>This scenario has no copy followers.</p>';
  const when = (ms: number | null): string => (ms === null ? 'never' : new Date(ms).toISOString().slice(11, 19) + ' UTC');
  return '<p>Followers copy their leader through the engine: every leader trade is copied in the leader\'s own command, ' +
    'so a follower liquidated <em>with</em> the leader was closed in the same millisecond.</p>' +
    '<table><tr><th>leader</th><th>leader liquidated</th><th>followers</th><th>liquidated before</th><th>with</th><th>after</th>' +
    `<th>never</th><th>capital (USDT)</th><th>end equity (USDT)</th></tr>${fates.map((f) => `<tr><td>${esc(f.leader)}</td>` +
      `<td>${when(f.leaderLiquidatedAtMs)}</td><td>${f.followers}</td><td>${f.liquidatedBefore}</td><td>${f.liquidatedWith}</td>` +
      `<td>${f.liquidatedAfter}</td><td>${f.neverLiquidated}</td><td>${num(f.capitalUsdt, 2)}</td><td>${num(f.endEquityUsdt, 2)}</td></tr>`)
      .join('')}</table>`;
}
