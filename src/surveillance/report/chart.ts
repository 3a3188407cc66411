/**
 * @module surveillance/report/chart
 * Alerts over price as one standalone SVG (deterministic text, embeddable in the simulator report
 * or opened on its own): the mark price line on top with readable UTC time and price axes, and below
 * it one lane per alert code that fired, each alert binned to the chart's resolution and coloured by
 * the highest severity in its bin (hover: code, time, count). Optional annotations draw a dashed
 * vertical line with a label (e.g. the crash's low), and each lane's label gives its first alert time.
 */
import type { Alert, AlertCode, Severity } from '../alert.js';
import { ALERT_CODES, ALERT_NAMES, SEVERITIES } from '../alert.js';

export interface PricePoint {
  readonly atMs: number;
  /** Price in quote units (a float: for drawing only). */
  readonly price: number;
}

export interface ChartAnnotation {
  readonly atMs: number;
  readonly label: string;
}

export interface AlertChartOptions {
  readonly title: string;
  readonly prices: readonly PricePoint[];
  readonly alerts: readonly Alert[];
  readonly annotations?: readonly ChartAnnotation[];
  readonly width?: number;
  /** Time range (defaults to the prices' range). */
  readonly fromMs?: number;
  readonly toMs?: number;
}

export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = {
  info: '#7a869a', warn: '#e0a100', high: '#e8590c', critical: '#b00020',
};

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (value: number): string => (Math.round(value * 10) / 10).toString();
const MINUTE_MS = 60_000;
const TIME_STEPS_MIN = [1, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440];

function hhmm(atMs: number): string {
  const date = new Date(atMs);
  return `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
}

/** A round step giving about `target` ticks over `span`. */
export function niceStep(span: number, target: number): number {
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}

export function priceLabel(value: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(8, Math.ceil(-Math.log10(step)));
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function alertsOverPriceSvg(options: AlertChartOptions): string {
  const width = options.width ?? 1000;
  const codes = ALERT_CODES.filter((code) => options.alerts.some((alert) => alert.code === code));
  const left = 74;
  const right = 20;
  const top = 40;
  const priceHeight = 260;
  const laneHeight = 18;
  const lanesTop = top + priceHeight + 34;
  const height = lanesTop + Math.max(1, codes.length) * laneHeight + 46;
  const plotWidth = width - left - right;
  const prices = options.prices;
  const fromMs = options.fromMs ?? prices[0]?.atMs ?? Math.min(...options.alerts.map((alert) => alert.atMs));
  const toMs = Math.max(fromMs + 1, options.toMs ?? prices[prices.length - 1]?.atMs ?? Math.max(...options.alerts.map((alert) => alert.atMs)));
  const x = (atMs: number): number => left + ((atMs - fromMs) / (toMs - fromMs)) * plotWidth;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    'font-family="sans-serif" font-size="11" role="img">');
  parts.push(`<title>${esc(options.title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(options.title)}</text>`);
  // Price panel.
  const visible = prices.filter((point) => point.atMs >= fromMs && point.atMs <= toMs);
  if (visible.length > 0) {
    let low = Math.min(...visible.map((point) => point.price));
    let high = Math.max(...visible.map((point) => point.price));
    if (high === low) {
      high += 1;
      low -= 1;
    }
    const step = niceStep(high - low, 5);
    const y = (price: number): number => top + priceHeight - ((price - low) / (high - low)) * priceHeight;
    for (let value = Math.ceil(low / step) * step; value <= high; value += step) {
      parts.push(`<line x1="${left}" y1="${fmt(y(value))}" x2="${width - right}" y2="${fmt(y(value))}" stroke="#e5e5e5"/>`);
      parts.push(`<text x="${left - 6}" y="${fmt(y(value) + 4)}" text-anchor="end">${esc(priceLabel(value, step))}</text>`);
    }
    const path = visible.map((point, i) => `${i === 0 ? 'M' : 'L'}${fmt(x(point.atMs))} ${fmt(y(point.price))}`).join('');
    parts.push(`<path d="${path}" fill="none" stroke="#1f6feb" stroke-width="1.4"/>`);
    parts.push(`<text x="16" y="${fmt(top + priceHeight / 2)}" transform="rotate(-90 16 ${fmt(top + priceHeight / 2)})" text-anchor="middle">mark price</text>`);
  }
  // Time axis (under the price panel and under the lanes).
  const spanMin = (toMs - fromMs) / MINUTE_MS;
  const stepMin = TIME_STEPS_MIN.find((candidate) => spanMin / candidate <= 12) ?? 1440;
  const firstTick = Math.ceil(fromMs / (stepMin * MINUTE_MS)) * stepMin * MINUTE_MS;
  const laneBottom = lanesTop + Math.max(1, codes.length) * laneHeight;
  for (let tick = firstTick; tick <= toMs; tick += stepMin * MINUTE_MS) {
    parts.push(`<line x1="${fmt(x(tick))}" y1="${top}" x2="${fmt(x(tick))}" y2="${laneBottom}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${fmt(x(tick))}" y="${top + priceHeight + 16}" text-anchor="middle">${hhmm(tick)}</text>`);
    parts.push(`<text x="${fmt(x(tick))}" y="${laneBottom + 14}" text-anchor="middle">${hhmm(tick)}</text>`);
  }
  parts.push(`<text x="${fmt(left + plotWidth / 2)}" y="${laneBottom + 32}" text-anchor="middle">time (UTC)</text>`);
  // Alert lanes.
  const bins = Math.max(50, Math.floor(plotWidth / 4));
  const binMs = (toMs - fromMs) / bins;
  codes.forEach((code, lane) => {
    const yTop = lanesTop + lane * laneHeight;
    const mine = options.alerts.filter((alert) => alert.code === code && alert.atMs >= fromMs && alert.atMs <= toMs);
    const first = mine.length === 0 ? undefined : Math.min(...mine.map((alert) => alert.atMs));
    parts.push(`<line x1="${left}" y1="${yTop + laneHeight}" x2="${width - right}" y2="${yTop + laneHeight}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${left - 6}" y="${yTop + 13}" text-anchor="end"><title>${esc(ALERT_NAMES[code])}</title>` +
      `${code}${first === undefined ? '' : ` ${hhmm(first)}`}</text>`);
    const binned = new Map<number, { count: number; severity: number }>();
    for (const alert of mine) {
      const bin = Math.min(bins - 1, Math.floor((alert.atMs - fromMs) / binMs));
      const entry = binned.get(bin) ?? { count: 0, severity: 0 };
      entry.count++;
      entry.severity = Math.max(entry.severity, SEVERITIES.indexOf(alert.severity));
      binned.set(bin, entry);
    }
    for (const [bin, entry] of [...binned].sort((a, b) => a[0] - b[0])) {
      const severity = SEVERITIES[entry.severity]!;
      const binStart = fromMs + bin * binMs;
      parts.push(`<rect x="${fmt(left + (bin / bins) * plotWidth)}" y="${yTop + 3}" width="${fmt(Math.max(2, plotWidth / bins - 0.5))}" ` +
        `height="${laneHeight - 6}" fill="${SEVERITY_COLORS[severity]}"><title>${esc(`${code} ${ALERT_NAMES[code]} ${hhmm(binStart)}: ` +
        `${entry.count} alert(s), up to ${severity}`)}</title></rect>`);
    }
  });
  if (codes.length === 0) parts.push(`<text x="${left}" y="${lanesTop + 13}">no alerts</text>`);
  for (const annotation of options.annotations ?? []) {
    if (annotation.atMs < fromMs || annotation.atMs > toMs) continue;
    parts.push(`<line x1="${fmt(x(annotation.atMs))}" y1="${top}" x2="${fmt(x(annotation.atMs))}" y2="${laneBottom}" stroke="#444" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${fmt(x(annotation.atMs) + 4)}" y="${top + 12}">${esc(annotation.label)}</text>`);
  }
  // Severity legend.
  SEVERITIES.forEach((severity, i) => {
    const lx = width - right - 80 * (SEVERITIES.length - i);
    parts.push(`<rect x="${lx}" y="10" width="10" height="10" fill="${SEVERITY_COLORS[severity]}"/><text x="${lx + 14}" y="19">${severity}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Codes in catalogue order (for tables). */
export function codeOrder(a: AlertCode, b: AlertCode): number {
  return ALERT_CODES.indexOf(a) - ALERT_CODES.indexOf(b);
}
