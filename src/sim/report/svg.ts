/**
 * @module sim/report/svg
 * Small hand-written SVG charts (grouped bars, step lines) for places where a static picture is
 * better than an interactive one: the leverage histogram in report.html and the risk-of-ruin
 * chart, which must also stand alone as an .svg file. Output is deterministic text.
 */

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (x: number): string => (Math.round(x * 10) / 10).toString();

export interface BarGroup {
  readonly label: string;
  readonly values: readonly number[];
}

export function groupedBarsSvg(title: string, seriesNames: readonly string[], colors: readonly string[],
  groups: readonly BarGroup[], yLabel: string, width = 860, height = 320): string {
  const left = 56;
  const right = 16;
  const top = 36;
  const bottom = 48;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  let max = 0;
  for (const g of groups) for (const v of g.values) max = Math.max(max, v);
  if (max === 0) max = 1;
  const groupW = plotW / Math.max(1, groups.length);
  const barW = Math.max(2, (groupW * 0.8) / seriesNames.length);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`);
  parts.push(`<text x="${left}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    const y = top + plotH - (plotH * t) / 4;
    parts.push(`<line x1="${left}" y1="${fmt(y)}" x2="${width - right}" y2="${fmt(y)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${fmt(y + 4)}" text-anchor="end">${fmt(v)}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + groupW * 0.1;
    g.values.forEach((v, si) => {
      const h = (plotH * v) / max;
      parts.push(`<rect x="${fmt(x0 + si * barW)}" y="${fmt(top + plotH - h)}" width="${fmt(barW - 1)}" height="${fmt(h)}" fill="${colors[si] ?? '#888'}"><title>${esc(`${g.label}: ${seriesNames[si]} ${v}`)}</title></rect>`);
    });
    parts.push(`<text x="${fmt(left + gi * groupW + groupW / 2)}" y="${height - bottom + 16}" text-anchor="middle">${esc(g.label)}</text>`);
  });
  parts.push(`<text x="14" y="${fmt(top + plotH / 2)}" transform="rotate(-90 14 ${fmt(top + plotH / 2)})" text-anchor="middle">${esc(yLabel)}</text>`);
  seriesNames.forEach((name, i) => {
    const x = width - right - 150 * (seriesNames.length - i);
    parts.push(`<rect x="${x}" y="8" width="10" height="10" fill="${colors[i] ?? '#888'}"/><text x="${x + 14}" y="17">${esc(name)}</text>`);
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
export function stepLinesSvg(title: string, series: readonly LineSeries[], xMax: number, yMax: number,
  xLabel: (x: number) => string, xTicks: readonly number[], yAxis: string, width = 860, height = 420): string {
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
  for (const x of xTicks) {
    parts.push(`<line x1="${fmt(sx(x))}" y1="${top}" x2="${fmt(sx(x))}" y2="${top + plotH}" stroke="#eee"/>`);
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
  parts.push(`<text x="${fmt(left + plotW / 2)}" y="${height - 6}" text-anchor="middle">${esc(yAxis)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
