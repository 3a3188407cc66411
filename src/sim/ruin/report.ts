/**
 * @module sim/ruin/report
 * Risk-of-ruin outputs: a text table for the terminal, ruin.csv, ruin.json, ruin.svg (the curve
 * of P(liquidated by t) per leverage) and ruin.html (table + chart, self-contained).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PALETTE, stepLinesSvg } from '../report/svg.js';
import { formatDuration, humanDuration } from './duration.js';
import type { RuinResult } from './ruin.js';

const pct = (p: number): string => `${(p * 100).toFixed(1)}%`;

/** "p (low–high)": the probability and its 95 % Wilson interval. */
const withInterval = (p: number, [low, high]: readonly [number, number]): string =>
  `${pct(p)} (${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)})`;

export function ruinTable(result: RuinResult): string {
  const cps = result.options.checkpointsMs.map(formatDuration);
  const header = ['leverage', 'opened', ...cps.map((c) => `≤ ${c} (95% CI)`), 'median time'];
  const rows = result.outcomes.map((o) => [`${o.leverage}x`, String(o.opened), ...o.probability.map((p, i) => withInterval(p, o.interval[i]!)),
    o.medianTimeMs === null ? '—' : humanDuration(o.medianTimeMs)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function ruinSvg(result: RuinResult): string {
  const horizon = result.options.horizonMs;
  const series = result.outcomes.map((o, i) => ({
    name: `${o.leverage}x`, color: PALETTE[i % PALETTE.length]!,
    points: o.timesMs.map((t, k) => [t, (k + 1) / Math.max(1, o.opened)] as const),
  }));
  const ticks = result.options.checkpointsMs.filter((c) => c <= horizon);
  const intervals = result.outcomes.flatMap((o, i) => result.options.checkpointsMs.map((cp, k) => ({
    x: cp, low: o.interval[k]![0], high: o.interval[k]![1], color: PALETTE[i % PALETTE.length]!, offset: i,
  })).filter((bar) => bar.x <= horizon));
  return stepLinesSvg(`P(liquidated) over time — ${result.options.strategy}, ${result.options.paths} bootstrapped paths (bars: 95% CI)`,
    series, horizon, 1, formatDuration, ticks, 'time since the position was opened', intervals);
}

export function writeRuinOutputs(result: RuinResult, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const cps = result.options.checkpointsMs.map(formatDuration);
  writeFileSync(join(dir, 'ruin.csv'), [`leverage,opened,liquidated,${cps.map((c) => `p_within_${c},ci95_low_${c},ci95_high_${c}`).join(',')},median_time_ms`,
    ...result.outcomes.map((o) => [o.leverage, o.opened, o.liquidated,
      ...o.probability.flatMap((p, i) => [p.toFixed(6), o.interval[i]![0].toFixed(6), o.interval[i]![1].toFixed(6)]),
      o.medianTimeMs ?? ''].join(','))].join('\n') + '\n');
  writeFileSync(join(dir, 'ruin.json'), JSON.stringify(result, null, 2) + '\n');
  const svg = ruinSvg(result);
  writeFileSync(join(dir, 'ruin.svg'), svg + '\n');
  const o = result.options;
  const table = ruinTable(result).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  writeFileSync(join(dir, 'ruin.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Risk of ruin — ${o.strategy}</title>
<style>body{font-family:system-ui,sans-serif;margin:20px}pre{font-size:13px;background:#f6f6f6;padding:10px}</style></head><body>
<h1>Risk of ruin: ${o.strategy}</h1>
<p>${o.paths} paths of ${formatDuration(o.horizonMs)}, block bootstrap (${o.blockLength} candles of ${formatDuration(o.intervalMs)}) of ${o.candles} real candles,
start price ${o.startPrice}, margin ${o.marginUsdt} USDT per account, seed ${o.seed}. Every path ran on the perpx engine; an account
counts as ruined at its first liquidation. Auditor: ${result.auditViolations === 0 ? 'all invariants held' : `${result.auditViolations} VIOLATIONS`} (${result.auditChecks} checks).</p>
<h2>Probability of liquidation within… (95% Wilson confidence interval in brackets)</h2>
<pre>${table}</pre>
<div id="chart-ruin">${svg}</div>
</body></html>
`);
}
