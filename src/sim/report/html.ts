/**
 * @module sim/report/html
 * report.html: one self-contained file (uPlot and its CSS inlined, data inlined as JSON, static
 * charts as inline SVG; no network). In page order: the run's facts; the measurement against the
 * real day (when the scenario names real data); price with liquidations and the real perpetual;
 * basis against the real one; mark, index and last divergence; funding and premium; liquidated
 * volume; the cascade's per-minute profile; the liquidation-price heatmap; liquidation rate by
 * leverage band; equity of followed accounts (one panel each); insurance fund; open interest;
 * ADL by policy; followers and sponsored accounts; survival by agent type; the liquidation log.
 * After them, sections a caller adds (`perpx sim --surveil`: surveillance alerts over price, the
 * alert table, the exact heatmap). Contains nothing that changes between runs of the same scenario and seed.
 */
import type { Comparison } from '../measure/compare.js';
import type { SimResult } from '../run/batch.js';
import { adlSummary } from './adl.js';
import { CLIENT_SCRIPT } from './client.js';
import { liquidationHeatmapSvg } from './heatmap.js';
import { reportData } from './report-data.js';
import { buildSummary, leverageBands, leverageDistribution, survivalByKind } from './summary.js';
import { groupedBarsSvg } from './svg.js';
import { adlTable, comparisonTable, esc, followersSection, liquidationTable, survivalTable } from './tables.js';
import { uplotAssets } from './uplot-assets.js';

/** Chart ids, in page order; tests look for them. */
export const REPORT_CHARTS = ['chart-price', 'chart-divergence', 'chart-funding', 'chart-liq-volume', 'chart-heatmap',
  'chart-bands', 'chart-equity', 'chart-insurance', 'chart-oi', 'chart-leverage'] as const;

export { reportData };

/** A section appended to the report: a heading and self-contained HTML (no scripts) from our own renderers. */
export interface ReportSection {
  readonly title: string;
  readonly html: string;
  /** Styles the section needs (added to the page's stylesheet). */
  readonly css?: string;
}

export function buildReportHtml(result: SimResult, summary = buildSummary(result), sections: readonly ReportSection[] = []): string {
  const { js, css } = uplotAssets();
  const s = summary as { liquidations: Record<string, unknown>; insuranceFund: Record<string, unknown>;
    audit: { ok: boolean; checks: number; every: number }; finalStateHash: string; eventStreamSha256: string; events: number;
    commands: number; comparison: (Comparison | { available: false; reason: string } | null) };
  const comparison = s.comparison !== null && s.comparison.available ? s.comparison : undefined;
  const data = JSON.stringify(reportData(result, comparison)).replace(/</g, '\\u003c');
  const bands = leverageBands(result);
  const bandsSvg = groupedBarsSvg('Liquidation rate by leverage band: share of the band\'s traders liquidated at least once',
    ['liquidated'], ['#d62728'], bands.map((b) => ({ label: `${b.band} (${b.agents})`, values: [b.liquidationRate] })),
    'share of traders', { unit: 'percent' });
  const lev = leverageDistribution(result);
  const levSvg = groupedBarsSvg('Traders by leverage: survived vs liquidated (agents that chose a leverage)', ['survived', 'liquidated'],
    ['#2ca02c', '#d62728'], lev.map((b) => ({ label: `${b.leverage}x`, values: [b.survived, b.liquidated] })), 'traders');
  const liq = s.liquidations;
  const comparisonHtml = s.comparison === null ? ''
    : comparison === undefined ? `<h2>Measured against the real day</h2><p>Not measured: ${esc((s.comparison as { reason: string }).reason)}</p>`
      : `<h2>Measured against the real day</h2>${comparisonTable(comparison)}`;
  const warmup = result.spec.warmup === undefined ? ''
    : ` after a warm-up from ${new Date(result.data.candles[0]!.openTimeMs).toISOString()} (open interest built over those prices)`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(result.spec.name)} — perpx simulation</title>
<style>${css}
body{font-family:system-ui,sans-serif;margin:20px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.kv td{text-align:left}.chart{margin:8px 0}.panel{margin:4px 0 10px}
.scroll{max-height:480px;overflow:auto;display:inline-block}
${sections.map((section) => section.css ?? '').join('\n')}</style>
</head><body>
<h1>${esc(result.spec.name)}</h1>
<p>${esc(result.spec.description)}</p>
<table class="kv">
<tr><td>symbol</td><td>${esc(result.spec.symbol)}</td></tr>
<tr><td>replay</td><td>${new Date(result.startMs).toISOString()} → ${new Date(result.endMs).toISOString()} (index step ${result.stepMs} ms)${esc(warmup)}</td></tr>
<tr><td>index data</td><td>${esc(String((summary as { data: { source: string } }).data.source))}</td></tr>
<tr><td>seed</td><td>${result.spec.seed}</td></tr>
<tr><td>liquidations</td><td>${String(liq['count'])} (${String(liq['longs'])} longs, ${String(liq['shorts'])} shorts), ${String(liq['volumeBase'])} base, ${String(liq['volumeUsdt'])} USDT at mark; ${String(liq['duringWarmup'])} more during the warm-up</td></tr>
<tr><td>insurance fund</td><td>${String(s.insuranceFund['startUsdt'])} → ${String(s.insuranceFund['endUsdt'])} USDT (min ${String(s.insuranceFund['minUsdt'])}; fees in ${String(s.insuranceFund['liquidationFeesUsdt'])}, deficits paid ${String(s.insuranceFund['deficitsPaidUsdt'])})</td></tr>
<tr><td>auditor</td><td>${s.audit.ok ? 'all invariants held' : 'VIOLATIONS — see summary.json'} (${s.audit.checks} checks: every ${s.audit.every} commands, after each command that liquidated someone, and at the end)</td></tr>
<tr><td>commands / events</td><td>${s.commands} / ${s.events}</td></tr>
<tr><td>event stream SHA-256</td><td><code>${s.eventStreamSha256}</code></td></tr>
<tr><td>final state hash</td><td><code>${s.finalStateHash}</code></td></tr>
</table>
${comparisonHtml}
<h2>Price with liquidations (1-minute closes)</h2><div id="chart-price" class="chart"></div>
${comparison === undefined ? '' : '<h2>Basis: perpetual / spot − 1, simulated and real</h2><div id="chart-basis" class="chart"></div>'}
<h2>Mark, index and last: divergence</h2><div id="chart-divergence" class="chart"></div>
<h2>Funding and premium</h2><div id="chart-funding" class="chart"></div>
<h2>Liquidated volume over time</h2><div id="chart-liq-volume" class="chart"></div>
${comparison?.cascade === undefined || comparison.cascade === null ? '' : '<h2>The cascade minute by minute</h2><div id="chart-cascade" class="chart"></div>'}
<h2>Liquidation heatmap</h2><div id="chart-heatmap" class="chart">${liquidationHeatmapSvg(result)}</div>
<h2>Liquidation rate by leverage band</h2><div id="chart-bands" class="chart">${bandsSvg}</div>
<h2>Equity of followed accounts (USDT, one panel each)</h2><div id="chart-equity" class="chart"></div>
<h2>Insurance fund</h2><div id="chart-insurance" class="chart"></div>
<h2>Open interest</h2><div id="chart-oi" class="chart"></div>
<h2>Leverage distribution</h2><div id="chart-leverage" class="chart">${levSvg}</div>
<h2>Auto-deleveraging</h2>${adlTable([adlSummary(result)])}
<h2>Copy followers</h2>${followersSection(result)}
<h2>Survival by agent type</h2>${survivalTable(survivalByKind(result))}
<h2>Liquidations (${result.recorder.liquidations.length})</h2>${liquidationTable(result)}
${sections.map((section) => `<h2>${esc(section.title)}</h2>\n${section.html}`).join('\n')}
<script type="application/json" id="report-data">${data}</script>
<script>${js}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}
