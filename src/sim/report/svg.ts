/**
 * @module sim/report/svg
 * Small hand-written SVG charts (grouped bars, step lines) for places where a static picture is
 * better than an interactive one: the leverage histogram, the liquidation rate by leverage band and
 * the liquidation-price heatmap in report.html, and the risk-of-ruin chart, which must also stand
 * alone as an .svg file. Axes use readable ticks (ticks.ts). Output is deterministic text.
 */

import { decimalsFor, label, niceStep, niceTicks } from './ticks.js';

/** Closest two x-axis labels may sit, in px. */
const MIN_LABEL_GAP_PX = 32;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (x: number): string => (Math.round(x * 10) / 10).toString();

export interface BarGroup {
  readonly label: string;
  readonly values: readonly number[];
}

export interface BarOptions {
  /** Values are counts (integer ticks) or fractions shown as percentages. */
  readonly unit?: 'count' | 'percent';
  readonly width?: number;
  readonly height?: number;
}

export function groupedBarsSvg(title: string, seriesNames: readonly string[], colors: readonly string[],
  groups: readonly BarGroup[], yLabel: string, options: BarOptions = {}): string {
  const width = options.width ?? 860;
  const height = options.height ?? 320;
  const percent = options.unit === 'percent';
  const left = 64;
  const right = 16;
  const top = 56;
  const bottom = 48;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  let max = 0;
  for (const g of groups) for (const v of g.values) max = Math.max(max, v);
  const ticks = percent ? niceTicks(Math.min(1, Math.max(max, 0.01)), 5) : niceTicks(Math.max(max, 1), 5, true);
  const top_ = ticks[ticks.length - 1]!;
  const decimals = percent ? Math.max(0, decimalsFor(ticks[1]! * 100)) : 0;
  const groupW = plotW / Math.max(1, groups.length);
  const barW = Math.max(2, (groupW * 0.8) / seriesNames.length);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<text x="${left}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (const v of ticks) {
    const y = top + plotH - (plotH * v) / top_;
    parts.push(`<line x1="${left}" y1="${fmt(y)}" x2="${width - right}" y2="${fmt(y)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${fmt(y + 4)}" text-anchor="end">${percent ? `${label(v * 100, decimals)}%` : label(v)}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + groupW * 0.1;
    g.values.forEach((v, si) => {
      const h = (plotH * v) / top_;
      const shown = percent ? `${label(v * 100, 1)}%` : label(v);
      parts.push(`<rect x="${fmt(x0 + si * barW)}" y="${fmt(top + plotH - h)}" width="${fmt(barW - 1)}" height="${fmt(h)}" fill="${colors[si] ?? '#888'}"><title>${esc(`${g.label}: ${seriesNames[si]} ${shown}`)}</title></rect>`);
      if (percent && barW >= 24) {
        parts.push(`<text x="${fmt(x0 + si * barW + barW / 2)}" y="${fmt(top + plotH - h - 4)}" text-anchor="middle" font-size="10">${esc(shown)}</text>`);
      }
    });
    parts.push(`<text x="${fmt(left + gi * groupW + groupW / 2)}" y="${height - bottom + 16}" text-anchor="middle">${esc(g.label)}</text>`);
  });
  parts.push(`<text x="14" y="${fmt(top + plotH / 2)}" transform="rotate(-90 14 ${fmt(top + plotH / 2)})" text-anchor="middle">${esc(yLabel)}</text>`);
  // The legend on its own line under the title, so a long title never runs into it.
  seriesNames.forEach((name, i) => {
    const x = left + 130 * i;
    parts.push(`<rect x="${x}" y="28" width="10" height="10" fill="${colors[i] ?? '#888'}"/><text x="${x + 14}" y="37">${esc(name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface LineSeries {
  readonly name: string;
  readonly color: string;
  /** [x, y] points, x ascending. */
  readonly points: readonly (readonly [number, number])[];
}

/** Step-line chart (cumulative probabilities); x labels by `xLabel(x)`. */
/** A vertical interval bar at x (drawn slightly offset per series so bars at one x do not overlap). */
export interface IntervalBar {
  readonly x: number;
  readonly low: number;
  readonly high: number;
  readonly color: string;
  readonly offset: number;
}

export function stepLinesSvg(title: string, series: readonly LineSeries[], xMax: number, yMax: number,
  xLabel: (x: number) => string, xTicks: readonly number[], yAxis: string, intervals: readonly IntervalBar[] = [],
  width = 860, height = 420): string {
  const left = 56;
  const right = 130;
  const top = 36;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const sx = (x: number): number => left + (plotW * x) / xMax;
  const sy = (y: number): number => top + plotH - (plotH * y) / yMax;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`);
  parts.push(`<text x="${left}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (let t = 0; t <= 5; t++) {
    const y = (yMax * t) / 5;
    parts.push(`<line x1="${left}" y1="${fmt(sy(y))}" x2="${left + plotW}" y2="${fmt(sy(y))}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${fmt(sy(y) + 4)}" text-anchor="end">${fmt(y * 100)}%</text>`);
  }
  let lastLabelX = -Infinity;
  for (const x of xTicks) {
    parts.push(`<line x1="${fmt(sx(x))}" y1="${top}" x2="${fmt(sx(x))}" y2="${top + plotH}" stroke="#eee"/>`);
    // Labels too close to the previous one would overprint it ("1h4h"): the grid line stays.
    if (sx(x) - lastLabelX < MIN_LABEL_GAP_PX) continue;
    lastLabelX = sx(x);
    parts.push(`<text x="${fmt(sx(x))}" y="${top + plotH + 16}" text-anchor="middle">${esc(xLabel(x))}</text>`);
  }
  series.forEach((s, i) => {
    let d = `M${fmt(sx(0))},${fmt(sy(0))}`;
    let lastY = 0;
    for (const [x, y] of s.points) {
      d += `H${fmt(sx(x))}V${fmt(sy(y))}`;
      lastY = y;
    }
    d += `H${fmt(sx(xMax))}`;
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(`<rect x="${left + plotW + 12}" y="${top + i * 18}" width="10" height="10" fill="${s.color}"/>`);
    parts.push(`<text x="${left + plotW + 26}" y="${top + i * 18 + 9}">${esc(`${s.name} (${fmt(lastY * 100)}%)`)}</text>`);
  });
  for (const bar of intervals) {
    const x = Math.min(left + plotW - 2, sx(bar.x) - 3 * series.length / 2 + 3 * bar.offset);
    parts.push(`<line x1="${fmt(x)}" y1="${fmt(sy(bar.low))}" x2="${fmt(x)}" y2="${fmt(sy(bar.high))}" stroke="${bar.color}" stroke-width="1.5" opacity="0.8"/>`);
  }
  parts.push(`<text x="${fmt(left + plotW / 2)}" y="${height - 6}" text-anchor="middle">${esc(yAxis)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export interface HeatmapInput {
  readonly title: string;
  /** Column times (ms, UTC) and, per column, notional (USDT) per price bin. */
  readonly timesMs: readonly number[];
  readonly cells: readonly (readonly number[])[];
  /** Price of the lower edge of bin 0 and the bin height (USDT). */
  readonly priceFrom: number;
  readonly binSize: number;
  /** The index at each column (drawn as a line). */
  readonly index: readonly number[];
  readonly width?: number;
  readonly height?: number;
}

/** Liquidation prices of open positions over time: darker = more notional liquidated at that price. */
export function heatmapSvg(input: HeatmapInput): string {
  const width = input.width ?? 1000;
  const height = input.height ?? 380;
  const left = 76;
  const right = 110;
  const top = 36;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const columns = input.timesMs.length;
  const bins = input.cells[0]?.length ?? 0;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<text x="${left}" y="18" font-size="14" font-weight="bold">${esc(input.title)}</text>`);
  if (columns === 0 || bins === 0) {
    parts.push(`<text x="${left}" y="${top + 20}">no open positions were sampled</text></svg>`);
    return parts.join('');
  }
  let max = 0;
  for (const col of input.cells) for (const v of col) max = Math.max(max, v);
  const priceTo = input.priceFrom + bins * input.binSize;
  const sy = (price: number): number => top + plotH - (plotH * (price - input.priceFrom)) / (priceTo - input.priceFrom);
  const cw = plotW / columns;
  const ch = plotH / bins;
  input.cells.forEach((col, c) => {
    col.forEach((v, b) => {
      if (v <= 0) return;
      // Square-root scale: a few huge bins do not wash the rest out.
      const shade = Math.sqrt(v / max);
      parts.push(`<rect x="${fmt(left + c * cw)}" y="${fmt(top + plotH - (b + 1) * ch)}" width="${fmt(cw + 0.3)}" height="${fmt(ch + 0.3)}" fill="rgb(${Math.round(255 - 40 * shade)},${Math.round(245 - 200 * shade)},${Math.round(220 - 200 * shade)})"/>`);
    });
  });
  let d = '';
  input.index.forEach((price, c) => {
    d += `${c === 0 ? 'M' : 'L'}${fmt(left + (c + 0.5) * cw)},${fmt(sy(price))}`;
  });
  parts.push(`<path d="${d}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`);
  const step = niceStep((priceTo - input.priceFrom) / 6);
  for (let p = Math.ceil(input.priceFrom / step) * step; p <= priceTo; p += step) {
    parts.push(`<line x1="${left}" y1="${fmt(sy(p))}" x2="${left + plotW}" y2="${fmt(sy(p))}" stroke="#0001"/>`);
    parts.push(`<text x="${left - 6}" y="${fmt(sy(p) + 4)}" text-anchor="end">${label(p)}</text>`);
  }
  const labelEvery = Math.max(1, Math.ceil(columns / 8));
  for (let c = 0; c < columns; c += labelEvery) {
    parts.push(`<text x="${fmt(left + (c + 0.5) * cw)}" y="${top + plotH + 16}" text-anchor="middle">${new Date(input.timesMs[c]!).toISOString().slice(5, 16).replace('T', ' ')}</text>`);
  }
  parts.push(`<rect x="${left + plotW + 14}" y="${top}" width="10" height="10" fill="rgb(215,45,20)"/><text x="${left + plotW + 28}" y="${top + 9}">more notional</text>`);
  parts.push(`<rect x="${left + plotW + 14}" y="${top + 18}" width="10" height="10" fill="rgb(245,215,190)"/><text x="${left + plotW + 28}" y="${top + 27}">less</text>`);
  parts.push(`<line x1="${left + plotW + 14}" y1="${top + 42}" x2="${left + plotW + 24}" y2="${top + 42}" stroke="#1f77b4" stroke-width="2"/><text x="${left + plotW + 28}" y="${top + 46}">index</text>`);
  parts.push(`<text x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle">time (UTC); price in USDT at which open positions would be liquidated</text>`);
  parts.push('</svg>');
  return parts.join('');
}
