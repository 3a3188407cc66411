/**
 * @module cli/commands/sim
 * `perpx sim <scenario> --out <dir> [--seed n]`: runs a scenario file on the engine and writes the
 * run directory (summary.json, report.html, events, CSV series). Exit code 1 when the auditor
 * found a broken invariant. `--surveil` runs surveillance on every committed command and adds its
 * alerts over price and the alert table to report.html (and alerts.ndjson to the directory).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type { ReportSection } from '../../sim/report/html.js';
import { runScenario } from '../../sim/run/batch.js';
import { openEventFile, writeRunDirectory } from '../../sim/run/output.js';
import type { EventFileMode } from '../../sim/run/recorder.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { alertJson } from '../../surveillance/alert.js';
import { readSurveillanceConfig } from '../../surveillance/host.js';
import { ALERT_SECTION_CSS, alertSectionHtml } from '../../surveillance/report/html.js';
import { WorldWatch } from '../../surveillance/replay.js';
import { alertReport, isoMs, quietWindows } from './surveil.js';

interface SimOptions {
  out: string;
  seed?: string;
  events: string;
  auditEvery?: string;
  progress: boolean;
  surveil?: boolean;
  surveilConfig?: string;
  reference?: string;
  quiet: string[];
  heatmapAt?: string;
}

function positiveInt(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`${what} must be a non-negative integer, got "${text}"`);
  return Number(text);
}

export function register(program: Command): void {
  program
    .command('sim')
    .description('run a market scenario (real candles or synthetic) with agents, and write a report')
    .argument('<scenario>', 'scenario file (.yaml or .json), e.g. scenarios/2021-05-19-btc.yaml')
    .requiredOption('--out <dir>', 'run directory to write')
    .option('--seed <n>', "override the scenario's seed")
    .option('--events <mode>', 'events.ndjson content: compact | all | none', 'compact')
    .option('--audit-every <n>', 'run the invariant auditor every n commands (default: the scenario\'s audit.every)')
    .option('--no-progress', 'no progress bar')
    .option('--surveil', 'run surveillance on the run: alerts over price and the alert table in report.html, alerts.ndjson')
    .option('--surveil-config <file>', 'surveillance thresholds and links (JSON, docs/surveillance.md)')
    .option('--reference <iso>', 'with --surveil: a reference time (e.g. a crash low) each alert code\'s first alert is measured against')
    .option('--quiet <from/to>', 'with --surveil: a quiet window (ISO/ISO) whose alerts count as false alarms per day; repeatable',
      (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--heatmap-at <iso>', 'with --surveil: when to draw the exact liquidation heatmap (default: the end of the run)')
    .action((file: string, options: SimOptions) => {
      if (!['compact', 'all', 'none'].includes(options.events)) throw new Error('--events must be compact, all or none');
      const loaded = loadScenarioFile(file);
      const seed = positiveInt(options.seed, '--seed');
      const auditEvery = positiveInt(options.auditEvery, '--audit-every');
      const mode = options.events as EventFileMode;
      const events = mode === 'none' ? undefined : openEventFile(options.out);
      const bar = options.progress ? new SingleBar({ format: 'sim [{bar}] {percentage}% | {value}/{total} candles | {eta_formatted} left', hideCursor: true }, Presets.shades_classic) : undefined;
      let started = false;
      const referenceMs = options.reference === undefined ? undefined : isoMs(options.reference, '--reference');
      const quiet = quietWindows(options.quiet);
      // In memory: the run directory gets alerts.ndjson and the report section, not an audit log.
      const heatmapAtMs = options.heatmapAt === undefined ? undefined : isoMs(options.heatmapAt, '--heatmap-at');
      const watch = options.surveil === true
        ? new WorldWatch({ ...readSurveillanceConfig(options.surveilConfig), ...(heatmapAtMs === undefined ? {} : { heatmapAtMs }) })
        : undefined;
      const wallStart = Date.now();
      try {
        const result = runScenario(loaded, {
          ...(watch === undefined ? {} : { hook: watch.hook }),
          ...(seed === undefined ? {} : { seed }),
          ...(auditEvery === undefined ? {} : { auditEvery }),
          eventFile: mode,
          ...(events === undefined ? {} : { writeEvents: events.write }),
          onProgress: (done, total) => {
            if (bar === undefined) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        });
        bar?.stop();
        const wallMs = Date.now() - wallStart;
        const sections: ReportSection[] = [];
        let alertLines: string | undefined;
        if (watch !== undefined) {
          const run = watch.run(result.instrument.symbol);
          run.host.close();
          alertLines = run.alerts.map((alert) => `${alertJson(alert)}\n`).join('');
          // Counts only: report.html stays the same for the same scenario and seed (no timings).
          const report = { ...alertReport(run, 'Surveillance alerts over the mark', referenceMs, quiet), notes: [] };
          sections.push({ title: 'Surveillance alerts', html: alertSectionHtml({ ...report, rows: report.rows.filter((row) => row.count > 0) }), css: ALERT_SECTION_CSS });
          console.log(`surveillance: ${run.alerts.length} alerts (alerts.ndjson, report.html)`);
        }
        const summary = writeRunDirectory(result, options.out, {
          scenarioFile: loaded.source, createdAt: new Date().toISOString(), wallMs, node: process.version,
          commandsPerSecond: Math.round(result.world.commands / (wallMs / 1000)),
          eventsPerSecond: Math.round(result.recorder.events / (wallMs / 1000)),
        }, sections) as { liquidations: { count: number; volumeUsdt: string }; audit: { ok: boolean; checks: number }; finalStateHash: string };
        if (alertLines !== undefined) writeFileSync(join(options.out, 'alerts.ndjson'), alertLines);
        console.log(`${result.spec.name}: ${result.world.commands} commands, ${result.recorder.events} events in ${(wallMs / 1000).toFixed(1)} s`);
        console.log(`liquidations: ${summary.liquidations.count} (${summary.liquidations.volumeUsdt} USDT)`);
        console.log(`auditor: ${summary.audit.ok ? 'ok' : 'VIOLATIONS'} (${summary.audit.checks} checks); state ${summary.finalStateHash}`);
        console.log(`wrote ${options.out}/report.html and summary.json`);
        if (!summary.audit.ok) process.exitCode = 1;
      } finally {
        bar?.stop();
        events?.close();
      }
    });
}
