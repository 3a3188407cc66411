/**
 * @module cli/commands/sim
 * `perpx sim <scenario> --out <dir> [--seed n]`: runs a scenario file on the engine and writes the
 * run directory (summary.json, report.html, events, CSV series). Exit code 1 when the auditor
 * found a broken invariant.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { runScenario } from '../../sim/run/batch.js';
import { openEventFile, writeRunDirectory } from '../../sim/run/output.js';
import type { EventFileMode } from '../../sim/run/recorder.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';

interface SimOptions {
  out: string;
  seed?: string;
  events: string;
  auditEvery?: string;
  progress: boolean;
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
    .action((file: string, options: SimOptions) => {
      if (!['compact', 'all', 'none'].includes(options.events)) throw new Error('--events must be compact, all or none');
      const loaded = loadScenarioFile(file);
      const seed = positiveInt(options.seed, '--seed');
      const auditEvery = positiveInt(options.auditEvery, '--audit-every');
      const mode = options.events as EventFileMode;
      const events = mode === 'none' ? undefined : openEventFile(options.out);
      const bar = options.progress ? new SingleBar({ format: 'sim [{bar}] {percentage}% | {value}/{total} candles | {eta_formatted} left', hideCursor: true }, Presets.shades_classic) : undefined;
      let started = false;
      const wallStart = Date.now();
      try {
        const result = runScenario(loaded, {
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
        const summary = writeRunDirectory(result, options.out, {
          scenarioFile: loaded.source, createdAt: new Date().toISOString(), wallMs, node: process.version,
          commandsPerSecond: Math.round(result.world.commands / (wallMs / 1000)),
          eventsPerSecond: Math.round(result.recorder.events / (wallMs / 1000)),
        }) as { liquidations: { count: number; volumeUsdt: string }; audit: { ok: boolean; checks: number }; finalStateHash: string };
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
