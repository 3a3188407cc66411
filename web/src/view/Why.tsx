/**
 * "Why was I liquidated": the list of liquidations (own; the operator sees every account's) and, for
 * one, the timeline up to it — mark price against the liquidation price, equity against
 * maintenance margin, margin ratio — with the liquidation order, fee, insurance fund and ADL, the
 * orders placed on the way, and what would have saved the position. Figures come from
 * /perpx/v1/liquidations/why, rebuilt server-side with the engine's own margin functions.
 */
import { createChart, LineSeries, LineStyle, type UTCTimestamp } from 'lightweight-charts';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../feed/http.js';
import { format, mul, dec, toNumber } from '../lib/decimal.js';
import { session } from '../state/session.js';
import { chartOptions, CHART_COLORS } from './Chart.js';
import { Notice, Table, time } from './ui.js';

interface Summary {
  id: number; accountId: number; symbol: string; side: string; marginType: string; time: number; qty: string; positionAmtBefore: string;
  markPrice: string; bankruptcyPrice: string; marginBalance: string; maintMargin: string; avgPrice: string; filledQty: string; fee: string;
  insuranceDelta: string; adl: { accountId: number; qty: string; price: string; realizedPnl: string }[]; orderId: number;
}
interface Point { time: number; markPrice: string; equity: string; maintMargin: string; marginRatio: string; positionAmt: string; liquidationPrice: string }
interface Report {
  liquidation: Summary; window: { from: number; to: number; pathResolution: string }; timeline: Point[];
  orders: { orderId: number; side: string; type: string; status: string; price: string; origQty: string; executedQty: string; time: number; liquidation: boolean }[];
  saved: { extraMarginNeeded: string; capital: string; maxSurvivingLeverage: number | null; assumptions: string };
}

const base = (): string => (session.value?.kind === 'operator' ? '/perpx/v1/admin/liquidations' : '/perpx/v1/liquidations');

export function WhyList(): JSX.Element {
  const [rows, setRows] = useState<Summary[] | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    get<Summary[]>(base(), { limit: 100 }).then(setRows, (failure: unknown) => setError(String((failure as Error).message)));
  }, []);
  return (
    <main class="page" data-testid="why-list">
      <h1>Liquidations</h1>
      <p class="muted">Pick a liquidation to see why it happened and what would have saved it.</p>
      {error !== '' && <Notice kind="error">{error}</Notice>}
      <Table caption="Liquidations" columns={[
        { title: 'Time', cell: (r: Summary) => <span class="time">{time(r.time)}</span> },
        ...(session.value?.kind === 'operator' ? [{ title: 'Account', cell: (r: Summary) => String(r.accountId) }] : []),
        { title: 'Symbol', cell: (r: Summary) => r.symbol }, { title: 'Position', numeric: true, cell: (r: Summary) => r.positionAmtBefore },
        { title: 'Mark', numeric: true, cell: (r: Summary) => r.markPrice },
        { title: 'Report', cell: (r: Summary) => <a href={`/why/${r.id}`}>Why was {session.value?.kind === 'operator' ? 'it' : 'I'} liquidated?</a> },
      ]} rows={rows ?? []} rowKey={(r) => r.id} empty={rows === undefined ? 'Loading…' : 'No liquidations.'} testId="liquidations" />
    </main>
  );
}

function dedupe<T extends { time: UTCTimestamp }>(points: T[]): T[] {
  const out: T[] = [];
  for (const point of points) {
    if (out.length > 0 && out[out.length - 1]!.time === point.time) out[out.length - 1] = point;
    else out.push(point);
  }
  return out;
}

function Timeline(props: { report: Report }): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = createChart(host.current!, { ...chartOptions(), timeScale: { timeVisible: true, secondsVisible: true, borderColor: '#2a3441' } });
    const at = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;
    const t = props.report.timeline;
    const mark = chart.addSeries(LineSeries, { color: CHART_COLORS.mark, lineWidth: 2, title: 'Mark' }, 0);
    const liq = chart.addSeries(LineSeries, { color: CHART_COLORS.liq, lineWidth: 2, lineStyle: LineStyle.Dashed, title: 'Liq. price' }, 0);
    const equity = chart.addSeries(LineSeries, { color: CHART_COLORS.entry, lineWidth: 2, title: 'Equity' }, 1);
    const maintenance = chart.addSeries(LineSeries, { color: CHART_COLORS.down, lineWidth: 1, title: 'Maintenance' }, 1);
    const ratio = chart.addSeries(LineSeries, { color: CHART_COLORS.order, lineWidth: 2, title: 'Margin ratio %' }, 2);
    mark.setData(dedupe(t.map((p) => ({ time: at(p.time), value: toNumber(p.markPrice) }))));
    liq.setData(dedupe(t.filter((p) => toNumber(p.liquidationPrice) > 0).map((p) => ({ time: at(p.time), value: toNumber(p.liquidationPrice) }))));
    equity.setData(dedupe(t.map((p) => ({ time: at(p.time), value: toNumber(p.equity) }))));
    maintenance.setData(dedupe(t.map((p) => ({ time: at(p.time), value: toNumber(p.maintMargin) }))));
    ratio.setData(dedupe(t.map((p) => ({ time: at(p.time), value: toNumber(mul(dec(p.marginRatio), dec('100'))) }))));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [props.report]);
  return <div ref={host} class="chart why-chart" data-testid="why-chart" role="group"
    aria-label="Timeline up to the liquidation: mark and liquidation price, equity and maintenance margin, margin ratio" />;
}

export function WhyPage(props: { id: string }): JSX.Element {
  const [report, setReport] = useState<Report | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    get<Report>(`${base()}/why`, { id: props.id }).then(setReport, (failure: unknown) => setError((failure as Error).message));
  }, [props.id]);
  if (error !== '') return <main class="page"><h1>Liquidation</h1><Notice kind="error">{error}</Notice></main>;
  if (report === undefined) return <main class="page"><h1>Liquidation</h1><p role="status">Loading…</p></main>;
  const l = report.liquidation;
  const last = report.timeline[report.timeline.length - 1];
  return (
    <main class="page why" data-testid="why-page">
      <h1>Why {session.value?.kind === 'operator' ? `account ${l.accountId} was` : 'I was'} liquidated: {l.symbol} at {time(l.time)}</h1>
      <section class="panel" aria-label="What happened">
        <h2>What happened</h2>
        <p>
          A {l.positionAmtBefore.startsWith('-') ? 'short' : 'long'} of {l.positionAmtBefore.replace('-', '')} {l.symbol} ({l.marginType === 'ISOLATED' ? 'isolated' : 'cross'} margin)
          was liquidated when the mark price reached <strong>{l.markPrice}</strong>: the margin balance of <strong>{format(l.marginBalance, 2, true)} USDT</strong> was
          no longer above the maintenance margin of <strong>{format(l.maintMargin, 2, true)} USDT</strong>
          {last !== undefined ? <> (margin ratio {format(mul(dec(last.marginRatio), dec('100')), 2)}%)</> : null}.
        </p>
        <dl class="kv" data-testid="why-facts">
          <dt>Liquidation order</dt><dd>{l.side} {l.qty}{l.orderId > 0 ? ` (order ${l.orderId})` : ''}</dd>
          <dt>Filled on the book</dt><dd>{l.filledQty}{l.avgPrice !== '0' ? ` at ${l.avgPrice}` : ''}</dd>
          <dt>Bankruptcy price</dt><dd>{l.bankruptcyPrice}</dd>
          <dt>Liquidation fee</dt><dd>{l.fee} USDT</dd>
          <dt>Insurance fund</dt><dd>{l.insuranceDelta} USDT</dd>
          <dt>Auto-deleveraging</dt><dd>{l.adl.length === 0 ? 'none' : l.adl.map((fill) => `${fill.qty} against account ${fill.accountId} at ${fill.price}`).join('; ')}</dd>
        </dl>
      </section>
      <section class="panel" aria-label="Timeline">
        <h2>Up to the liquidation ({report.window.pathResolution === '1s' ? 'every second' : 'per minute, worst price'})</h2>
        <Timeline report={report} />
      </section>
      <section class="panel" aria-label="What would have saved it" data-testid="why-saved">
        <h2>What would have saved it</h2>
        <ul>
          <li><strong>{format(report.saved.extraMarginNeeded, 2, true)} USDT</strong> more margin would have kept the position open through the path.</li>
          <li>{report.saved.maxSurvivingLeverage === null
            ? 'No leverage survives this path with the same capital.'
            : <>With the same {format(report.saved.capital, 2, true)} USDT, at most <strong data-testid="surviving-leverage">{report.saved.maxSurvivingLeverage}x</strong> would have survived.</>}</li>
        </ul>
        <p class="muted">{report.saved.assumptions}</p>
      </section>
      <section class="panel" aria-label="Orders">
        <h2>Orders on the way</h2>
        <Table caption="Orders before the liquidation" columns={[
          { title: 'Time', cell: (o: Report['orders'][number]) => <span class="time">{time(o.time)}</span> },
          { title: 'Side', cell: (o: Report['orders'][number]) => o.side }, { title: 'Type', cell: (o: Report['orders'][number]) => `${o.type}${o.liquidation ? ' (liquidation)' : ''}` },
          { title: 'Price', numeric: true, cell: (o: Report['orders'][number]) => o.price },
          { title: 'Filled / Qty', numeric: true, cell: (o: Report['orders'][number]) => `${o.executedQty} / ${o.origQty}` },
          { title: 'Status', cell: (o: Report['orders'][number]) => o.status }]} rows={report.orders} rowKey={(o) => o.orderId} empty="No orders." />
      </section>
    </main>
  );
}
