/**
 * @module sim/report/client
 * The script report.html runs to draw its uPlot charts from the inlined data. Every y axis is as
 * wide as its widest label (uPlot's default 50 px cut "45,000" to "5,000"), labels carry thousands
 * separators and only the decimals their step needs, and time is UTC whatever the reader's time
 * zone. Followed accounts' equity gets one small panel each, with its own scale.
 */

export const CLIENT_SCRIPT = `
const D = JSON.parse(document.getElementById('report-data').textContent);
const W = () => Math.min(1100, document.body.clientWidth - 40);
const COLORS = ['#1f77b4','#d62728','#2ca02c','#ff7f0e','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
const FONT = '12px system-ui, sans-serif';
const measure = (() => { const c = document.createElement('canvas').getContext('2d'); c.font = FONT; return (t) => c.measureText(t).width; })();
function decimals(step) { return step >= 1 ? 0 : Math.min(8, Math.ceil(-Math.log10(step) - 1e-9)); }
function fmt(v, step, suffix) {
  if (v === null || v === undefined) return '';
  return v.toLocaleString('en-US', { minimumFractionDigits: decimals(step), maximumFractionDigits: decimals(step) }) + (suffix || '');
}
function yAxis(label, suffix) {
  return {
    label, font: FONT, labelFont: FONT,
    values: (u, splits) => { const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 1; return splits.map((v) => fmt(v, step, suffix)); },
    size: (u, values) => values ? Math.ceil(Math.max(...values.map(measure))) + 18 : 60,
  };
}
// 24-hour UTC labels; the date where the day changes (and on the first tick).
const xAxis = { font: FONT, values: (u, splits) => splits.map((s, i) => {
  const iso = new Date(s * 1000).toISOString();
  const prev = i > 0 ? new Date(splits[i - 1] * 1000).toISOString().slice(0, 10) : '';
  return iso.slice(0, 10) !== prev ? iso.slice(5, 10) + ' ' + iso.slice(11, 16) : iso.slice(11, 16);
}) };
const utc = (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');
const dots = (stroke) => ({ stroke, fill: stroke, width: 0, paths: () => null, points: { show: true, size: 7, stroke, fill: stroke } });
const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.9, 40] }) : undefined;
// Kept for inspection (the browser test checks every axis label fits its axis).
window.perpxCharts = [];
function plot(id, series, data, axisLabel, suffix, height) {
  const el = document.getElementById(id);
  if (!el) return;
  window.perpxCharts.push(new uPlot({ width: W(), height: height || 300, tzDate: utc, scales: { x: { time: true } },
    axes: [xAxis, yAxis(axisLabel, suffix)], series: [{ label: 'time (UTC)' }].concat(series) }, data, el));
}
plot('chart-price', [
  { label: 'index', stroke: '#1f77b4', spanGaps: true },
  { label: 'mark', stroke: '#ff7f0e', spanGaps: true },
  { label: 'last (simulated perpetual)', stroke: '#2ca02c', spanGaps: true },
].concat(D.price.real ? [{ label: 'real perpetual', stroke: '#7f7f7f', dash: [4, 4], spanGaps: true }] : []).concat([
  Object.assign({ label: 'long liquidated' }, dots('#d62728')),
  Object.assign({ label: 'short liquidated' }, dots('#9467bd')),
]), [D.price.x, D.price.index, D.price.mark, D.price.last].concat(D.price.real ? [D.price.real] : []).concat([D.price.longLiq, D.price.shortLiq]),
'USDT');
if (D.basis) plot('chart-basis', [
  { label: 'simulated basis', stroke: '#2ca02c', spanGaps: true },
  { label: 'real basis', stroke: '#7f7f7f', spanGaps: true },
], [D.basis.x, D.basis.simulated, D.basis.real], 'perpetual / spot − 1 (bps)', ' bps');
plot('chart-divergence', [
  { label: 'mark − index', stroke: '#ff7f0e', spanGaps: true },
  { label: 'last − index', stroke: '#2ca02c', spanGaps: true },
], [D.divergence.x, D.divergence.markVsIndex, D.divergence.lastVsIndex], 'bps of index', ' bps');
(function funding() {
  const xs = D.funding.x.slice();
  const est = D.funding.estimatedBps.slice();
  const sim = xs.map(() => null); const derived = xs.map(() => null); const real = xs.map(() => null);
  for (const s of D.funding.settlements) {
    let i = xs.findIndex((x) => x >= s.t);
    if (i < 0) { xs.push(s.t); est.push(null); sim.push(null); derived.push(null); real.push(null); i = xs.length - 1; }
    sim[i] = s.simulated; derived[i] = s.derived; real[i] = s.real;
  }
  plot('chart-funding', [
    { label: 'funding rate if settled now (simulated)', stroke: '#8c564b', spanGaps: true },
    Object.assign({ label: 'settled (simulated)' }, dots('#d62728')),
    Object.assign({ label: 'from real perp/spot candles' }, dots('#7f7f7f')),
    Object.assign({ label: 'real settlement' }, dots('#1f77b4')),
  ], [xs, est, sim, derived, real], 'funding rate (bps per interval)', ' bps');
})();
plot('chart-liq-volume', [
  { label: 'longs liquidated (USDT)', stroke: '#d62728', fill: '#d6272888', paths: bars },
  { label: 'shorts liquidated (USDT)', stroke: '#9467bd', fill: '#9467bd88', paths: bars },
], [D.liqVolume.x, D.liqVolume.longs, D.liqVolume.shorts], 'USDT per ' + Math.round(D.liqVolume.bucketSec / 60) + ' min');
(function equityPanels() {
  const host = document.getElementById('chart-equity');
  D.equity.series.forEach((s, i) => {
    const div = document.createElement('div');
    div.id = 'chart-equity-' + i;
    div.className = 'panel';
    host.appendChild(div);
    plot(div.id, [{ label: s.name + ' (' + s.kind + ', ' + s.leverage + 'x)', stroke: COLORS[i % COLORS.length] }],
      [D.equity.x, s.values], 'equity (USDT)', '', 170);
  });
})();
plot('chart-insurance', [{ label: 'insurance fund (USDT)', stroke: '#9467bd' }], [D.insurance.x, D.insurance.y], 'USDT');
plot('chart-oi', [{ label: 'open interest (' + D.symbol + ' base)', stroke: '#8c564b' }], [D.openInterest.x, D.openInterest.y], 'base units');
if (D.cascade) plot('chart-cascade', [
  { label: 'simulated liquidations (% of the window)', stroke: '#d62728', fill: '#d6272844', paths: bars },
  { label: 'simulated ADL (% of the window)', stroke: '#ff7f0e', spanGaps: true },
].concat(D.cascade.published ? [{ label: 'published profile (% of the window)', stroke: '#1f77b4', spanGaps: true }] : []),
[D.cascade.x, D.cascade.simulated, D.cascade.simulatedAdl].concat(D.cascade.published ? [D.cascade.published] : []), '% per minute', '%');
`;
