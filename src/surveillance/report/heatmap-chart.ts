/**
 * @module surveillance/report/heatmap-chart
 * The exact liquidation heatmap drawn for reports (SVG, no scripts): price levels down the side,
 * the notional that liquidates at each level as bars, longs to the left and shorts to the right,
 * each bar split by leverage band, the mark as a line. `reportHeatmap` takes the snapshot a report
 * draws: the mark ± REPORT_RANGE_BPS in REPORT_LEVELS steps.
 */
import type { HeatmapSnapshot } from '../heatmap.js';
import type { Surveillance } from '../service.js';
import { niceStep, priceLabel } from './chart.js';

/** Half-range of the drawn prices around the mark (basis points) and how many price rows it holds. */
export const REPORT_RANGE_BPS = 2_000;
export const REPORT_LEVELS = 80;

/** Leverage bands from low to high: light to dark. */
const LONG_SHADES = ['#fcbba1', '#fc9272', '#fb6a4a', '#de2d26', '#a50f15', '#67000d'];
const SHORT_SHADES = ['#c7e9c0', '#a1d99b', '#74c476', '#31a354', '#006d2c', '#00441b'];

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (value: number): string => (Math.round(value * 10) / 10).toString();

/** The heatmap of the first symbol at the current mark, as a report draws it. */
export function reportHeatmap(surveillance: Surveillance, marketIndex = 0): HeatmapSnapshot | undefined {
  const market = surveillance.state.markets[marketIndex];
  if (market === undefined || market.markTicks === 0) return undefined;
  const mark = market.markTicks;
  const fromTicks = Math.floor((mark * (10_000 - REPORT_RANGE_BPS)) / 10_000);
  const toTicks = Math.ceil((mark * (10_000 + REPORT_RANGE_BPS)) / 10_000);
  const stepTicks = Math.max(1, Math.ceil((toTicks - fromTicks) / REPORT_LEVELS));
  return surveillance.risk.heatmaps[marketIndex]!.snapshot({ stepTicks, fromTicks, toTicks }, mark, surveillance.lastSeq, surveillance.lastAtMs);
}

function usdtLabel(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(value >= 1e10 ? 0 : 1)}B`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(value >= 1e7 ? 0 : 1)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e4 ? 0 : 1)}k`;
  return value.toFixed(0);
}

export function heatmapSvg(snapshot: HeatmapSnapshot, title: string, width = 1000): string {
  const left = 84;
  const right = 20;
  const top = 56;
  const rowHeight = 6;
  const rows = snapshot.levels.length;
  const plotHeight = Math.max(120, rows * rowHeight);
  const height = top + plotHeight + 56;
  const center = left + (width - left - right) / 2;
  const half = (width - left - right) / 2;
  const longs = snapshot.levels.map((level) => level.long.map(Number));
  const shorts = snapshot.levels.map((level) => level.short.map(Number));
  const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
  const peak = Math.max(1, ...longs.map(sum), ...shorts.map(sum));
  const scale = niceStep(peak, 2) * Math.ceil(peak / niceStep(peak, 2));
  const prices = snapshot.levels.map((level) => Number(level.price));
  const mark = Number(snapshot.markPrice);
  const low = Math.min(mark, ...prices);
  const high = Math.max(mark, ...prices) + Number(snapshot.step);
  const y = (price: number): number => top + plotHeight - ((price - low) / (high - low)) * plotHeight;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    'font-family="sans-serif" font-size="11" role="img">');
  parts.push(`<title>${esc(title)}</title><rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<text x="${left}" y="38">${esc(`${snapshot.positions} positions at ${new Date(snapshot.atMs).toISOString().slice(0, 16).replace('T', ' ')} UTC ` +
    `(seq ${snapshot.seq}); longs ${usdtLabel(Number(snapshot.longTotal))} USDT, shorts ${usdtLabel(Number(snapshot.shortTotal))} USDT in all; ` +
    `rows of ${snapshot.step} USDT`)}</text>`);
  // Price axis and grid.
  const priceStep = niceStep(high - low, 8);
  for (let value = Math.ceil(low / priceStep) * priceStep; value <= high; value += priceStep) {
    parts.push(`<line x1="${left}" y1="${fmt(y(value))}" x2="${width - right}" y2="${fmt(y(value))}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 6}" y="${fmt(y(value) + 4)}" text-anchor="end">${esc(priceLabel(value, priceStep))}</text>`);
  }
  parts.push(`<text x="16" y="${fmt(top + plotHeight / 2)}" transform="rotate(-90 16 ${fmt(top + plotHeight / 2)})" text-anchor="middle">liquidation price</text>`);
  // Bars: one row per level, stacked by band outward from the centre line.
  snapshot.levels.forEach((level, row) => {
    const yTop = y(prices[row]! + Number(snapshot.step));
    const barHeight = Math.max(1, y(prices[row]!) - yTop - 0.5);
    const stack = (values: readonly number[], direction: -1 | 1, shades: readonly string[], side: string): void => {
      let offset = 0;
      values.forEach((value, band) => {
        if (value <= 0) return;
        const length = (value / scale) * half;
        const x = direction === 1 ? center + offset : center - offset - length;
        parts.push(`<rect x="${fmt(x)}" y="${fmt(yTop)}" width="${fmt(Math.max(0.5, length))}" height="${fmt(barHeight)}" fill="${shades[band] ?? shades[shades.length - 1]}">` +
          `<title>${esc(`${side} ${snapshot.bands[band]} at ${level.price}: ${usdtLabel(value)} USDT`)}</title></rect>`);
        offset += length;
      });
    };
    stack(longs[row]!, -1, LONG_SHADES, 'longs');
    stack(shorts[row]!, 1, SHORT_SHADES, 'shorts');
  });
  // Notional axis (both directions from the centre).
  const bottom = top + plotHeight;
  for (const fraction of [-1, -0.5, 0, 0.5, 1]) {
    const x = center + fraction * half;
    parts.push(`<line x1="${fmt(x)}" y1="${top}" x2="${fmt(x)}" y2="${bottom}" stroke="${fraction === 0 ? '#999' : '#eee'}"/>`);
    parts.push(`<text x="${fmt(x)}" y="${bottom + 16}" text-anchor="middle">${usdtLabel(Math.abs(fraction) * scale)}</text>`);
  }
  parts.push(`<text x="${fmt(center - half / 2)}" y="${bottom + 34}" text-anchor="middle">← longs liquidated (notional, USDT)</text>`);
  parts.push(`<text x="${fmt(center + half / 2)}" y="${bottom + 34}" text-anchor="middle">shorts liquidated (notional, USDT) →</text>`);
  // The mark.
  parts.push(`<line x1="${left}" y1="${fmt(y(mark))}" x2="${width - right}" y2="${fmt(y(mark))}" stroke="#1f6feb" stroke-dasharray="5 3"/>`);
  parts.push(`<text x="${width - right - 4}" y="${fmt(y(mark) - 4)}" text-anchor="end" fill="#1f6feb">mark ${esc(snapshot.markPrice)}</text>`);
  // Band legend.
  snapshot.bands.forEach((band, i) => {
    const lx = left + 70 * i;
    parts.push(`<rect x="${lx}" y="${height - 14}" width="8" height="8" fill="${LONG_SHADES[i] ?? ''}"/>` +
      `<rect x="${lx + 9}" y="${height - 14}" width="8" height="8" fill="${SHORT_SHADES[i] ?? ''}"/><text x="${lx + 21}" y="${height - 6}">${esc(band)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
