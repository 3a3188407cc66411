/**
 * @module cli/commands/surveil
 * `perpx surveil`: surveillance outside `perpx serve`.
 *   perpx surveil --data-dir <dir> [--follow]        the journal of a data directory (a running venue's too)
 *   perpx surveil --scenario <file> [--seed n]       a simulator scenario with surveillance on (the replay proof)
 * Both write to --out: alerts.ndjson, alerts.csv, suspicious-orders.csv, summary.json, alerts.html and
 * alerts.svg (alerts over price and the alert table), and the audit log (surveillance.sqlite).
 * `--reference <ISO time>` measures each alert's lead before it (e.g. a crash's low) and
 * `--quiet <from>/<to>` (repeatable) counts alerts in quiet hours as false alarms per day.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { compileInstrument } from '../../core/index.js';
import { readManifest } from '../../journal/index.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { alertJson } from '../../surveillance/alert.js';
import { alertsCsv, suspiciousOrderReports, suspiciousOrdersCsv } from '../../surveillance/delivery/export.js';
import { readSurveillanceConfig } from '../../surveillance/host.js';
import { alertsOverPriceSvg } from '../../surveillance/report/chart.js';
import { alertReportHtml, type AlertReportOptions } from '../../surveillance/report/html.js';
import { summarizeAlerts, type AlertSummaryRow, type QuietWindow } from '../../surveillance/report/summary.js';
import { surveilJournal, surveilScenario, type SurveilRun } from '../../surveillance/replay.js';
import { followJournal } from '../../surveillance/follow.js';

interface SurveilOptions {
  dataDir?: string;
  scenario?: string;
  seed?: string;
  out: string;
  config?: string;
  follow?: boolean;
  reference?: string;
  quiet: string[];
  heatmapAt?: string;
  progress: boolean;
}

export function isoMs(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`${what}: "${text}" is not an ISO time (e.g. 2021-05-19T13:10:00Z)`);
  return ms;
}

export function quietWindows(values: readonly string[]): QuietWindow[] {
  return values.map((value) => {
    const [from, to] = value.split('/');
    if (from === undefined || to === undefined) throw new Error(`--quiet wants <from>/<to>, got "${value}"`);
    const window = { fromMs: isoMs(from, '--quiet'), toMs: isoMs(to, '--quiet') };
    if (window.toMs <= window.fromMs) throw new Error(`--quiet ${value}: the window ends before it starts`);
    return window;
  });
}

function progressBar(enabled: boolean, label: string): { update(done: number, total: number): void; stop(): void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

/** The chart and table of a run (the page `--out` writes, the section `perpx sim --surveil` embeds). */
export function alertReport(run: SurveilRun, title: string, referenceMs: number | undefined, quiet: readonly QuietWindow[]): AlertReportOptions {
  const rows = summarizeAlerts(run.alerts, { ...(referenceMs === undefined ? {} : { referenceMs }), quiet, allCodes: true });
  const annotations = referenceMs === undefined ? [] : [{ atMs: referenceMs, label: `reference ${new Date(referenceMs).toISOString().slice(11, 16)}` }];
  return {
    title, prices: run.prices, alerts: run.alerts, annotations, rows, ...(referenceMs === undefined ? {} : { referenceLabel: 'the reference' }),
    ...(run.heatmap === undefined ? {} : { heatmap: run.heatmap }),
    ...(quiet.length === 0 ? {} : { quietLabel: 'quiet hours' }),
    notes: [`${run.batches} commands, ${run.events} events; surveillance ${(run.surveillanceMs / 1000).toFixed(1)} s` +
      (run.engineMs > 0 ? `, engine ${(run.engineMs / 1000).toFixed(1)} s` : '') + ' (wall time, this run).'],
  };
}

/** Writes the run's files; returns the summary rows it printed. */
export function writeSurveilOutput(run: SurveilRun, out: string, title: string, referenceMs: number | undefined, quiet: readonly QuietWindow[],
  extra: Record<string, unknown>): readonly AlertSummaryRow[] {
  mkdirSync(out, { recursive: true });
  const report = alertReport(run, title, referenceMs, quiet);
  const rows = report.rows;
  writeFileSync(join(out, 'alerts.ndjson'), run.alerts.map((alert) => `${alertJson(alert)}\n`).join(''));
  const stored = run.alerts.map((alert) => ({ alert, status: 'open' as const, dispositions: [] }));
  writeFileSync(join(out, 'alerts.csv'), alertsCsv(stored));
  writeFileSync(join(out, 'suspicious-orders.csv'), suspiciousOrdersCsv(suspiciousOrderReports(stored)));
  writeFileSync(join(out, 'alerts.svg'), alertsOverPriceSvg(report));
  writeFileSync(join(out, 'alerts.html'), alertReportHtml({ ...report, rows: rows.filter((row) => row.count > 0) }));
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify({
    title, startMs: run.startMs, endMs: run.endMs, batches: run.batches, events: run.events, engineMs: Math.round(run.engineMs),
    surveillanceMs: Math.round(run.surveillanceMs), alerts: run.alerts.length, referenceMs: referenceMs ?? null, quiet, rows, ...extra,
  }, null, 2)}\n`);
  return rows;
}

function printRows(rows: readonly AlertSummaryRow[]): void {
  for (const row of rows) {
    if (row.count === 0) continue;
    const first = row.firstAtMs === null ? '' : new Date(row.firstAtMs).toISOString().slice(0, 19);
    const lead = row.leadMinutes === null ? '' : ` (${row.leadMinutes} min before the reference)`;
    const quiet = row.quietPerDay === null ? '' : `; quiet hours ${row.quietPerDay}/day`;
    console.log(`${row.code.padEnd(4)} ${row.name.padEnd(26)} ${String(row.count).padStart(6)}  first ${first}${lead}${quiet}`);
  }
}

async function run(options: SurveilOptions): Promise<void> {
  if ((options.dataDir === undefined) === (options.scenario === undefined)) throw new Error('give exactly one of --data-dir and --scenario');
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  // A fresh audit log per run: the directory holds this run's alerts only.
  rmSync(join(out, 'surveillance.sqlite'), { force: true });
  const file = readSurveillanceConfig(options.config);
  const referenceMs = options.reference === undefined ? undefined : isoMs(options.reference, '--reference');
  const quiet = quietWindows(options.quiet);
  const heatmapAtMs = options.heatmapAt === undefined ? undefined : isoMs(options.heatmapAt, '--heatmap-at');
  const bar = progressBar(options.progress && process.stderr.isTTY, options.scenario !== undefined ? 'candles' : 'segments');
  try {
    if (options.scenario !== undefined) {
      const loaded = loadScenarioFile(options.scenario);
      const seed = options.seed === undefined ? undefined : Number(options.seed);
      const result = surveilScenario(loaded, {
        ...file, dataDir: out, ...(seed === undefined ? {} : { seed }), ...(heatmapAtMs === undefined ? {} : { heatmapAtMs }),
        onProgress: (done, total) => bar.update(done, total),
      });
      bar.stop();
      const rows = writeSurveilOutput(result, out, `${loaded.spec.name}: alerts over the mark`, referenceMs, quiet, { scenario: loaded.source });
      console.log(`${loaded.spec.name}: ${result.batches} commands, ${result.events} events; engine ${(result.engineMs / 1000).toFixed(1)} s, ` +
        `surveillance ${(result.surveillanceMs / 1000).toFixed(1)} s; ${result.alerts.length} alerts`);
      printRows(rows);
      result.host.close();
      console.log(`wrote ${out}/alerts.html, alerts.svg, alerts.ndjson, alerts.csv, suspicious-orders.csv, summary.json`);
      return;
    }
    const dataDir = resolve(options.dataDir!);
    const specs = await readManifest(dataDir);
    if (specs === undefined) throw new Error(`${dataDir} is not a perpx data directory (no instruments.json)`);
    const instruments = specs.map(compileInstrument);
    if (options.follow === true) {
      await followJournal(dataDir, instruments, { ...file, dataDir: out }, (alerts) => {
        for (const alert of alerts) console.log(alertJson(alert));
      });
      return;
    }
    const result = await surveilJournal(dataDir, instruments, {
      ...file, dataDir: out, ...(heatmapAtMs === undefined ? {} : { heatmapAtMs }), onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    const rows = writeSurveilOutput(result, out, `${dataDir}: alerts over the mark`, referenceMs, quiet, { dataDir });
    console.log(`${dataDir}: ${result.batches} commands, ${result.events} events; surveillance ${(result.surveillanceMs / 1000).toFixed(1)} s; ` +
      `${result.alerts.length} alerts`);
    printRows(rows);
    result.host.close();
  } finally {
    bar.stop();
  }
}

export function register(program: Command): void {
  program
    .command('surveil')
    .description('risk and market-abuse surveillance of a data directory (optionally following a running venue) or of a simulator scenario')
    .option('--data-dir <dir>', 'a perpx data directory (its journal is replayed from seq 1)')
    .option('--follow', 'keep following the journal as a running venue appends to it (prints alerts as JSON lines)')
    .option('--scenario <file>', 'a simulator scenario to run with surveillance on, e.g. scenarios/2021-05-19-btc.yaml')
    .option('--seed <n>', "override the scenario's seed")
    .option('--out <dir>', 'where to write alerts, the audit log, the chart and the summary', './surveil-out')
    .option('--config <file>', 'JSON: {"thresholds": {...}, "links": [...], "webhooks": [...]} (docs/surveillance.md)')
    .option('--reference <iso>', 'a reference time (e.g. a crash low): each alert code\'s first alert is measured against it')
    .option('--quiet <from/to>', 'a quiet window (ISO/ISO) whose alerts count as false alarms per day; repeatable',
      (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--heatmap-at <iso>', 'when to draw the exact liquidation heatmap in alerts.html (default: the end of the run)')
    .option('--no-progress', 'no progress bar')
    .action(run);
}
