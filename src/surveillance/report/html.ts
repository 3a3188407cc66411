/**
 * @module surveillance/report/html
 * The alert table (HTML fragment) and a standalone page (chart + table) for a surveillance run. The
 * simulator report embeds `alertSectionHtml` (with ALERT_SECTION_CSS); `alertReportHtml` is the page
 * `perpx surveil --out` writes. No scripts, no external resources.
 */
import { SEVERITIES } from '../alert.js';
import type { HeatmapSnapshot } from '../heatmap.js';
import { alertsOverPriceSvg, SEVERITY_COLORS, type AlertChartOptions } from './chart.js';
import { heatmapSvg } from './heatmap-chart.js';
import type { AlertSummaryRow } from './summary.js';

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function utc(atMs: number | null): string {
  return atMs === null ? '—' : new Date(atMs).toISOString().slice(0, 19).replace('T', ' ');
}

export function alertTableHtml(rows: readonly AlertSummaryRow[], options: { referenceLabel?: string; quietLabel?: string } = {}): string {
  const head = ['code', 'alert', 'count', ...SEVERITIES, 'first (UTC)', ...(options.referenceLabel === undefined ? [] : [`minutes before ${options.referenceLabel}`]),
    ...(options.quietLabel === undefined ? [] : [`per day in ${options.quietLabel}`])];
  const body = rows.map((row) => {
    const cells = [row.code, row.name, String(row.count), ...SEVERITIES.map((severity) => String(row.bySeverity[severity])), utc(row.firstAtMs),
      ...(options.referenceLabel === undefined ? [] : [row.leadMinutes === null ? '—' : String(row.leadMinutes)]),
      ...(options.quietLabel === undefined ? [] : [row.quietPerDay === null ? '—' : `${row.quietPerDay} (${row.quietCount})`])];
    return `<tr>${cells.map((cell, i) => `<td${i >= 2 ? ' class="n"' : ''}>${esc(cell)}</td>`).join('')}</tr>`;
  });
  return `<table class="alerts"><thead><tr>${head.map((cell) => `<th scope="col">${esc(cell)}</th>`).join('')}</tr></thead>` +
    `<tbody>${body.join('')}</tbody></table>`;
}

export interface AlertReportOptions extends AlertChartOptions {
  readonly rows: readonly AlertSummaryRow[];
  readonly referenceLabel?: string;
  readonly quietLabel?: string;
  readonly notes?: readonly string[];
  /** The exact liquidation heatmap at one moment of the run, drawn under the table. */
  readonly heatmap?: HeatmapSnapshot;
}

/** The chart, its severity legend and the alert table: the simulator report embeds this as a section. */
export function alertSectionHtml(options: AlertReportOptions): string {
  const legend = SEVERITIES.map((severity) => `<span class="sev" style="background:${SEVERITY_COLORS[severity]}"></span>${severity}`).join(' ');
  return `${alertsOverPriceSvg(options)}
<p>Severity: ${legend}</p>
${alertTableHtml(options.rows, { ...(options.referenceLabel === undefined ? {} : { referenceLabel: options.referenceLabel }),
    ...(options.quietLabel === undefined ? {} : { quietLabel: options.quietLabel }) })}
${(options.notes ?? []).map((note) => `<p>${esc(note)}</p>`).join('\n')}
${options.heatmap === undefined ? '' : heatmapSvg(options.heatmap, `${options.heatmap.symbol}: exact liquidation heatmap`)}`;
}

/** The section's styles (the simulator report includes them with the section). */
export const ALERT_SECTION_CSS = `table.alerts{border-collapse:collapse;font-size:13px;margin-top:16px}
table.alerts th,table.alerts td{border:none;border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}
table.alerts td.n{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}`;

export function alertReportHtml(options: AlertReportOptions): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(options.title)}</title><style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
${ALERT_SECTION_CSS}
</style></head><body><h1>${esc(options.title)}</h1>
${alertSectionHtml(options)}
</body></html>
`;
}
