/**
 * @module sim/report/html
 * report.html: one self-contained file (uPlot and its CSS inlined, data inlined as JSON, the
 * leverage histogram as inline SVG; no network). Charts: price (index, mark) with liquidation
 * markers, liquidation volume over time, equity of followed accounts, insurance fund, open
 * interest, and the leverage distribution of survivors vs liquidated; after them, sections a caller
 * adds (`perpx sim --surveil`: surveillance alerts over price and the alert table). Contains
 * nothing that changes between runs of the same scenario and seed.
 */
import { compileInstrument, formatScaled } from '../../core/index.js';
import type { SimResult } from '../run/batch.js';
import { buildSummary, leverageDistribution, survivalByKind } from './summary.js';
import { groupedBarsSvg } from './svg.js';
import { uplotAssets } from './uplot-assets.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Chart ids, in page order; tests look for them. */
export const REPORT_CHARTS = ['chart-price', 'chart-liq-volume', 'chart-equity', 'chart-insurance', 'chart-oi', 'chart-leverage'] as const;

/** A section appended to the report: a heading and self-contained HTML (no scripts) from our own renderers. */
export interface ReportSection {
  readonly title: string;
  readonly html: string;
  /** Styles the section needs (added to the page's stylesheet). */
  readonly css?: string;
}

export function reportData(result: SimResult): Record<string, unknown> {
  const { recorder, world } = result;
  const instrument = compileInstrument(result.instrument);
  const tick = Number(instrument.tick.digits) / 10 ** instrument.tick.scale;
  const lot = Number(instrument.lot.digits) / 10 ** instrument.lot.scale;
  const sec = (ms: number): number => ms / 1000;
  // Price chart: union of sample times and liquidation times, so markers sit at their instant.
  const times = new Set<number>();
  for (const s of recorder.samples) times.add(s.atMs);
  for (const l of recorder.liquidations) times.add(l.atMs);
  const xs = [...times].sort((a, b) => a - b);
  const at = new Map(xs.map((t, i) => [t, i]));
  const index: (number | null)[] = xs.map(() => null);
  const mark: (number | null)[] = xs.map(() => null);
  const longLiq: (number | null)[] = xs.map(() => null);
  const shortLiq: (number | null)[] = xs.map(() => null);
  for (const s of recorder.samples) {
    const i = at.get(s.atMs)!;
    index[i] = r2(s.indexTicks * tick);
    mark[i] = r2(s.markTicks * tick);
  }
  for (const l of recorder.liquidations) {
    const i = at.get(l.atMs)!;
    (l.side === 'SELL' ? longLiq : shortLiq)[i] = r2(l.markTicks * tick);
  }
  // Liquidation notional per bucket (≈300 buckets over the window, at least one minute).
  const span = Math.max(1, result.endMs - result.startMs);
  const bucketMs = Math.max(60_000, Math.ceil(span / 300 / 60_000) * 60_000);
  const buckets = Math.ceil(span / bucketMs) + 1;
  const bx: number[] = [];
  const longVol: number[] = new Array<number>(buckets).fill(0);
  const shortVol: number[] = new Array<number>(buckets).fill(0);
  for (let b = 0; b < buckets; b++) bx.push(sec(result.startMs + b * bucketMs));
  for (const l of recorder.liquidations) {
    const b = Math.min(buckets - 1, Math.floor((l.atMs - result.startMs) / bucketMs));
    const usd = l.qtyLots * lot * l.markTicks * tick;
    if (l.side === 'SELL') longVol[b]! += usd;
    else shortVol[b]! += usd;
  }
  // Equity: named accounts, followed agents, and (if none) the first agent of each kind.
  const follow = new Set<string>([...result.spec.accounts.map((a) => a.name), ...result.spec.report.follow]);
  if (follow.size === 0) {
    const seen = new Set<string>();
    for (const agent of world.agents) {
      if (!seen.has(agent.kind)) {
        seen.add(agent.kind);
        follow.add(agent.name);
      }
    }
  }
  const equity = world.agents.flatMap((agent, i) => follow.has(agent.name)
    ? [{ name: agent.name, kind: agent.kind, leverage: agent.leverage, values: [...recorder.equityOf(i)].map(r2) }] : []);
  return {
    title: result.spec.name,
    symbol: result.spec.symbol,
    price: { x: xs.map(sec), index, mark, longLiq, shortLiq },
    liqVolume: { bucketSec: bucketMs / 1000, x: bx, longs: longVol.map(r2), shorts: shortVol.map(r2) },
    equity: { x: recorder.equityTimes.map(sec), series: equity },
    insurance: { x: recorder.samples.map((s) => sec(s.atMs)), y: recorder.samples.map((s) => Number(formatScaled(s.insuranceE8, 8, 2))) },
    openInterest: { x: recorder.samples.map((s) => sec(s.atMs)), y: recorder.samples.map((s) => Math.round(s.openInterestLots * lot * 1000) / 1000) },
  };
}

const CLIENT_SCRIPT = `
const D = JSON.parse(document.getElementById('report-data').textContent);
const W = () => Math.min(1100, document.body.clientWidth - 40);
const COLORS = ['#1f77b4','#d62728','#2ca02c','#ff7f0e','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
const dots = (stroke, fill) => ({ stroke, fill, width: 0, paths: () => null, points: { show: true, size: 7, stroke, fill } });
function plot(id, opts, data) {
  const el = document.getElementById(id);
  new uPlot(Object.assign({ width: W(), height: 300, scales: { x: { time: true } } }, opts), data, el);
}
plot('chart-price', { series: [{}, { label: 'index', stroke: '#1f77b4', spanGaps: true },
  { label: 'mark', stroke: '#ff7f0e', spanGaps: true },
  Object.assign({ label: 'long liquidated' }, dots('#d62728', '#d62728')),
  Object.assign({ label: 'short liquidated' }, dots('#2ca02c', '#2ca02c'))] },
  [D.price.x, D.price.index, D.price.mark, D.price.longLiq, D.price.shortLiq]);
const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.9, 40] }) : undefined;
plot('chart-liq-volume', { series: [{}, { label: 'longs liquidated (USDT)', stroke: '#d62728', fill: '#d6272888', paths: bars },
  { label: 'shorts liquidated (USDT)', stroke: '#2ca02c', fill: '#2ca02c88', paths: bars }] },
  [D.liqVolume.x, D.liqVolume.longs, D.liqVolume.shorts]);
plot('chart-equity', { series: [{}].concat(D.equity.series.map((s, i) => ({ label: s.name + ' (' + s.kind + ', ' + s.leverage + 'x)', stroke: COLORS[i % COLORS.length] }))) },
  [D.equity.x].concat(D.equity.series.map((s) => s.values)));
plot('chart-insurance', { series: [{}, { label: 'insurance fund (USDT)', stroke: '#9467bd' }] }, [D.insurance.x, D.insurance.y]);
plot('chart-oi', { series: [{}, { label: 'open interest (' + D.symbol + ' base)', stroke: '#8c564b' }] }, [D.openInterest.x, D.openInterest.y]);
`;

export function buildReportHtml(result: SimResult, summary = buildSummary(result), sections: readonly ReportSection[] = []): string {
  const { js, css } = uplotAssets();
  const data = JSON.stringify(reportData(result)).replace(/</g, '\\u003c');
  const lev = leverageDistribution(result);
  const levSvg = groupedBarsSvg('Leverage of survivors vs liquidated (agents that chose a leverage)', ['survived', 'liquidated'],
    ['#2ca02c', '#d62728'], lev.map((b) => ({ label: `${b.leverage}x`, values: [b.survived, b.liquidated] })), 'agents');
  const survival = survivalByKind(result);
  const s = summary as { liquidations: Record<string, unknown>; insuranceFund: Record<string, unknown>;
    audit: { ok: boolean; checks: number }; finalStateHash: string; eventStreamSha256: string; events: number; commands: number };
  const rows = Object.entries(survival).map(([kind, k]) =>
    `<tr><td>${esc(kind)}</td><td>${k.agents}</td><td>${k.liquidated}</td><td>${(k.survivalRate * 100).toFixed(1)}%</td>` +
    `<td>${k.startCapitalUsdt.toFixed(2)}</td><td>${k.endEquityUsdt.toFixed(2)}</td></tr>`).join('');
  const liq = s.liquidations;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(result.spec.name)} — perpx simulation</title>
<style>${css}
body{font-family:system-ui,sans-serif;margin:20px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.kv td{text-align:left}.chart{margin:8px 0}
${sections.map((section) => section.css ?? '').join('\n')}</style>
</head><body>
<h1>${esc(result.spec.name)}</h1>
<p>${esc(result.spec.description)}</p>
<table class="kv">
<tr><td>symbol</td><td>${esc(result.spec.symbol)}</td></tr>
<tr><td>window</td><td>${new Date(result.startMs).toISOString()} → ${new Date(result.endMs).toISOString()} (step ${result.stepMs} ms)</td></tr>
<tr><td>seed</td><td>${result.spec.seed}</td></tr>
<tr><td>liquidations</td><td>${String(liq['count'])} (${String(liq['longs'])} longs, ${String(liq['shorts'])} shorts), ${String(liq['volumeBase'])} base, ${String(liq['volumeUsdt'])} USDT</td></tr>
<tr><td>insurance fund</td><td>${String(s.insuranceFund['startUsdt'])} → ${String(s.insuranceFund['endUsdt'])} USDT (min ${String(s.insuranceFund['minUsdt'])})</td></tr>
<tr><td>auditor</td><td>${s.audit.ok ? 'all invariants held' : 'VIOLATIONS — see summary.json'} (${s.audit.checks} checks)</td></tr>
<tr><td>commands / events</td><td>${s.commands} / ${s.events}</td></tr>
<tr><td>event stream SHA-256</td><td><code>${s.eventStreamSha256}</code></td></tr>
<tr><td>final state hash</td><td><code>${s.finalStateHash}</code></td></tr>
</table>
<h2>Price with liquidations</h2><div id="chart-price" class="chart"></div>
<h2>Liquidation volume over time</h2><div id="chart-liq-volume" class="chart"></div>
<h2>Equity of followed accounts (USDT)</h2><div id="chart-equity" class="chart"></div>
<h2>Insurance fund</h2><div id="chart-insurance" class="chart"></div>
<h2>Open interest</h2><div id="chart-oi" class="chart"></div>
<h2>Leverage distribution</h2><div id="chart-leverage" class="chart">${levSvg}</div>
<h2>Survival by agent type</h2>
<table><tr><th>agent type</th><th>agents</th><th>liquidated</th><th>survived</th><th>capital (USDT)</th><th>end equity (USDT)</th></tr>${rows}</table>
${sections.map((section) => `<h2>${esc(section.title)}</h2>\n${section.html}`).join('\n')}
<script type="application/json" id="report-data">${data}</script>
<script>${js}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}
