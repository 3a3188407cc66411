/**
 * @module cli/commands/sim
 * `perpx sim <scenario> --out <dir> [--seed n]`: runs a scenario file on the engine and writes the
 * run directory (summary.json, report.html, events, CSV series). Exit code 1 when the auditor
 * found a broken invariant. `--surveil` runs surveillance on every committed command and adds its
 * alerts over price and the alert table to report.html (and alerts.ndjson to the directory).
 * `--adl <policy>` runs under another ADL policy; `--adl compare` also replays the scenario under
 * every other policy and adds the comparison (report section, adl-policies.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type { ReportSection } from '../../sim/report/html.js';
import { runScenario } from '../../sim/run/batch.js';
import { openEventFile, writeRunDirectory } from '../../sim/run/output.js';
import type { EventFileMode } from '../../sim/run/recorder.js';
import { ADL_POLICIES, type AdlPolicyName } from '../../core/index.js';
import { adlSummary } from '../../sim/report/adl.js';
import { adlComparisonHtml, runAdlPolicies } from '../../sim/run/adl-compare.js';
import { loadScenarioFile, withAdlPolicy } from '../../sim/scenario/load.js';
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
  adl?: string;
}

/** `--adl`: a policy to run under, 'compare', or absent (the scenario's own). */
function adlOption(text: string | undefined): AdlPolicyName | 'compare' | undefined {
  if (text === undefined || text === 'compare') return text;
  const policy = text.toUpperCase().replace(/-/g, '_');
  if (!(ADL_POLICIES as readonly string[]).includes(policy)) {
    throw new Error(`--adl is one of ${ADL_POLICIES.map((p) => p.toLowerCase().replace(/_/g, '-')).join(', ')} or compare, not "${text}"`);
  }
  return policy as AdlPolicyName;
}

/** A progress bar for one extra run (the ADL comparison), or none. */
function progressFor(enabled: boolean, label: string): ((done: number, total: number) => void) | undefined {
  if (!enabled) return undefined;
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} candles`, hideCursor: true }, Presets.shades_classic);
  let started = false;
  return (done, total) => {
    if (!started) {
      bar.start(total, 0);
      started = true;
    }
    bar.update(done);
    if (done >= total) bar.stop();
  };
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
    .option('--adl <policy>', 'ADL policy: binance, hyperliquid, pro-rata, min-overshoot; or compare: replay under each and compare')
    .option('--heatmap-at <iso>', 'with --surveil: when to draw the exact liquidation heatmap (default: the end of the run)')
    .action((file: string, options: SimOptions) => {
      if (!['compact', 'all', 'none'].includes(options.events)) throw new Error('--events must be compact, all or none');
      const adl = adlOption(options.adl);
      const scenario = loadScenarioFile(file);
      const loaded = adl === undefined || adl === 'compare' ? scenario : withAdlPolicy(scenario, adl);
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
        if (adl === 'compare') {
          const main = adlSummary(result);
          const rows = runAdlPolicies(loaded, { ...(seed === undefined ? {} : { seed }), ...(auditEvery === undefined ? {} : { auditEvery }) },
            new Map([[main.policy as AdlPolicyName, main]]), (policy) => progressFor(options.progress, `adl ${policy.toLowerCase()}`));
          sections.push({ title: 'ADL policies compared on this replay', html: adlComparisonHtml(rows) });
          mkdirSync(options.out, { recursive: true });
          writeFileSync(join(options.out, 'adl-policies.json'), `${JSON.stringify(rows, null, 2)}\n`);
          console.log(`ADL policies: ${rows.map((row) => `${row.policy} overshoot ${row.overshootUsdt} USDT`).join('; ')}`);
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
