/**
 * @module sim/run/output
 * Writes a run directory. Everything except run.json is a pure function of the scenario and seed
 * (byte-identical across runs): summary.json, report.html, events.ndjson (streamed during the
 * run), and CSVs — equity.csv (one column per agent), liquidations.csv, adl.csv, minutes.csv (the
 * simulated perpetual's 1-minute candles with index, mark, funding estimate and liquidations),
 * funding.csv, insurance.csv, open_interest.csv, prices.csv, agents.csv. run.json holds the wall-clock facts.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { compileInstrument, formatScaled, formatUnits } from '../../core/index.js';
import { buildReportHtml } from '../report/html.js';
import { buildSummary } from '../report/summary.js';
import type { SimResult } from './batch.js';

function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n';
}

/** An append-only file for events.ndjson, written synchronously as the run produces chunks. */
export function openEventFile(dir: string): { write: (chunk: string) => void; close: () => void } {
  mkdirSync(dir, { recursive: true });
  const fd = openSync(join(dir, 'events.ndjson'), 'w');
  return { write: (chunk) => { writeSync(fd, chunk); }, close: () => closeSync(fd) };
}

export function writeRunDirectory(result: SimResult, dir: string, meta: Record<string, unknown> = {}): Record<string, unknown> {
  mkdirSync(dir, { recursive: true });
  const { recorder, world } = result;
  const instrument = compileInstrument(result.instrument);
  const price = (ticks: number): string => formatUnits(ticks, instrument.tick);
  const base = (lots: number): string => formatUnits(lots, instrument.lot);
  const usdt = (e8: bigint): string => formatScaled(e8, 8);
  const summary = buildSummary(result);
  // The comparison's chart series go to report.html, not summary.json.
  const comparison = summary['comparison'] as { series?: unknown } | null;
  const forFile = comparison === null || comparison.series === undefined ? summary
    : { ...summary, comparison: { ...comparison, series: undefined } };
  writeFileSync(join(dir, 'summary.json'), json(forFile));
  writeFileSync(join(dir, 'report.html'), buildReportHtml(result, summary));
  const agents = world.agents;
  const eq: string[] = [`time_ms,${agents.map((a) => a.name).join(',')}`];
  for (let s = 0; s < recorder.equityTimes.length; s++) {
    const row: string[] = [String(recorder.equityTimes[s])];
    for (let i = 0; i < agents.length; i++) row.push((recorder.equity[i]?.[s] ?? 0).toFixed(2));
    eq.push(row.join(','));
  }
  writeFileSync(join(dir, 'equity.csv'), eq.join('\n') + '\n');
  writeFileSync(join(dir, 'liquidations.csv'), [
    'time_ms,seq,account_id,agent,kind,leverage,margin_type,side,qty,mark,bankruptcy_price,fill_price,book_filled_qty,book_notional,adl_qty,adl_fills,fee,insurance_fund_delta',
    ...recorder.liquidations.map((l) => [l.atMs, l.seq, l.accountId, l.agent, l.kind, l.leverage, l.marginType, l.side,
      base(l.qtyLots), price(l.markTicks), price(l.bankruptcyPriceTicks), l.bookFilledLots === 0 ? '' : l.fillPriceTicks.toFixed(0),
      base(l.bookFilledLots), usdt(l.bookNotionalE8), base(l.adlLots), l.adlFills, usdt(l.feeE8), usdt(l.fundDeltaE8)].join(',')),
  ].join('\n') + '\n');
  writeFileSync(join(dir, 'adl.csv'), [
    'time_ms,liquidated_account_id,account_id,agent_kind,qty,price,mark,realized_pnl',
    ...recorder.adl.map((a) => [a.atMs, a.liquidatedAccountId, a.accountId, a.agentKind, base(a.qtyLots), price(a.priceTicks),
      price(a.markTicks), usdt(a.realizedPnlE8)].join(',')),
  ].join('\n') + '\n');
  const m = recorder.minutes;
  const maybe = (ticks: number): string => (Number.isNaN(ticks) ? '' : price(ticks));
  writeFileSync(join(dir, 'minutes.csv'), [
    'open_time_ms,open,high,low,close,volume,index,mark,estimated_funding_rate,long_liquidated_usdt,short_liquidated_usdt,liquidations,adl_qty',
    ...m.index.map((_, i) => [m.timeOf(i), maybe(m.open[i]!), maybe(m.high[i]!), maybe(m.low[i]!), maybe(m.close[i]!),
      base(m.volumeLots[i]!), price(m.index[i]!), price(m.mark[i]!), m.estimatedFunding[i]!.toFixed(8),
      m.longLiqUsdt[i]!.toFixed(2), m.shortLiqUsdt[i]!.toFixed(2), m.liquidations[i], base(m.adlLots[i]!)].join(',')),
  ].join('\n') + '\n');
  writeFileSync(join(dir, 'funding.csv'), [
    'funding_time_ms,rate,mark,positions,paid,received,residue',
    ...recorder.funding.map((f) => [f.fundingTimeMs, formatScaled(f.rateE8, 8), price(f.markTicks), f.positions,
      usdt(f.paidE8), usdt(f.receivedE8), usdt(f.residueE8)].join(',')),
  ].join('\n') + '\n');
  writeFileSync(join(dir, 'insurance.csv'), ['time_ms,insurance_fund',
    ...recorder.samples.map((s) => `${s.atMs},${usdt(s.insuranceE8)}`)].join('\n') + '\n');
  writeFileSync(join(dir, 'open_interest.csv'), ['time_ms,open_interest',
    ...recorder.samples.map((s) => `${s.atMs},${base(s.openInterestLots)}`)].join('\n') + '\n');
  writeFileSync(join(dir, 'prices.csv'), ['time_ms,index,mark,last',
    ...recorder.samples.map((s) => `${s.atMs},${price(s.indexTicks)},${price(s.markTicks)},${s.lastTicks === 0 ? '' : price(s.lastTicks)}`)]
    .join('\n') + '\n');
  writeFileSync(join(dir, 'agents.csv'), ['name,kind,group,account_id,leverage,margin_type,capital,liquidations,rejects,end_equity',
    ...agents.map((a, i) => {
      const series = recorder.equityOf(i);
      return [a.name, a.kind, a.group, a.accountId, a.leverage, a.marginType, a.capitalUsdt.toFixed(2), a.liquidations, a.rejects,
        (series[series.length - 1] ?? 0).toFixed(2)].join(',');
    })].join('\n') + '\n');
  writeFileSync(join(dir, 'run.json'), json(meta));
  return summary;
}
