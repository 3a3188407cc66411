/**
 * @module cli/commands/ruin
 * `perpx ruin`: Monte Carlo risk of ruin of a strategy by leverage, on the real engine over block-
 * bootstrapped real candles. Prints the table and writes ruin.{csv,json,svg,html} to --out.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { sliceCandles } from '../../sim/data/csv.js';
import { loadCandleFile } from '../../sim/data/load.js';
import { formatDuration, parseDuration } from '../../sim/ruin/duration.js';
import { writeRuinOutputs, ruinTable } from '../../sim/ruin/report.js';
import { runRuin, type RuinStrategy } from '../../sim/ruin/ruin.js';

interface RuinCliOptions {
  strategy: string;
  leverage: string;
  paths: string;
  horizon: string;
  checkpoints?: string;
  data: string;
  from?: string;
  to?: string;
  block?: string;
  margin: string;
  startPrice?: string;
  seed: string;
  out: string;
  progress: boolean;
}

function int(text: string, what: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${what} must be an integer in ${min}..${max}, got "${text}"`);
  return value;
}

export function register(program: Command): void {
  program
    .command('ruin')
    .description('Monte Carlo risk of ruin: probability of liquidation within N hours/days, by leverage')
    .option('--strategy <name>', 'hold-long | hold-short | scalper', 'hold-long')
    .option('--leverage <list>', 'comma-separated leverages', '5,10,20,25,50,75,100,125')
    .option('--paths <n>', 'number of bootstrapped paths', '200')
    .option('--horizon <duration>', 'how long each path runs (e.g. 24h, 7d)', '7d')
    .option('--checkpoints <list>', 'report P(liquidated within …) at these durations (default: 1h,4h,1d,3d,7d within the horizon)')
    .option('--data <csv>', 'candle file to bootstrap from (name in the data directory, or a path)', 'btcusdt-perp-1h-2019-09-08_2022-07-27.csv')
    .option('--from <iso>', 'use candles from this time')
    .option('--to <iso>', 'use candles up to this time')
    .option('--block <n>', 'candles per bootstrap block (default: one day of candles, at most 1440)')
    .option('--margin <usdt>', 'margin per account in USDT', '100')
    .option('--start-price <price>', 'price each path starts at (default: the last close of the data)')
    .option('--seed <n>', 'seed', '1')
    .requiredOption('--out <dir>', 'directory for ruin.csv, ruin.json, ruin.svg, ruin.html')
    .option('--no-progress', 'no progress bar')
    .action((options: RuinCliOptions) => {
      const strategies: RuinStrategy[] = ['hold-long', 'hold-short', 'scalper'];
      if (!strategies.includes(options.strategy as RuinStrategy)) throw new Error(`--strategy must be one of ${strategies.join(', ')}`);
      const leverages = options.leverage.split(',').map((s) => int(s.trim(), '--leverage', 1, 125));
      const horizonMs = parseDuration(options.horizon);
      let series = loadCandleFile(options.data);
      series = sliceCandles(series, options.from === undefined ? undefined : Date.parse(options.from),
        options.to === undefined ? undefined : Date.parse(options.to));
      const checkpointsMs = options.checkpoints === undefined
        ? [...['1h', '4h', '1d', '3d', '7d'].map(parseDuration).filter((c) => c < horizonMs), horizonMs]
        : options.checkpoints.split(',').map((s) => parseDuration(s));
      const block = options.block === undefined
        ? Math.max(1, Math.min(1_440, Math.round(86_400_000 / series.intervalMs)))
        : int(options.block, '--block', 1, 1_000_000);
      const last = series.candles[series.candles.length - 1]!;
      const bar = options.progress ? new SingleBar({ format: 'ruin [{bar}] {percentage}% | {value}/{total} paths | {eta_formatted} left' }, Presets.shades_classic) : undefined;
      bar?.start(int(options.paths, '--paths', 1, 1_000_000), 0);
      const result = runRuin({
        strategy: options.strategy as RuinStrategy, leverages, paths: int(options.paths, '--paths', 1, 1_000_000), horizonMs,
        checkpointsMs, candles: series.candles, intervalMs: series.intervalMs, blockLength: block,
        marginUsdt: Number(options.margin), startPrice: options.startPrice === undefined ? last.close : Number(options.startPrice),
        seed: int(options.seed, '--seed', 0, 2 ** 32 - 1), onPath: (done) => bar?.update(done),
      });
      bar?.stop();
      writeRuinOutputs(result, options.out);
      console.log(`${options.strategy}: ${result.options.paths} paths of ${formatDuration(horizonMs)} from ${series.source}`);
      console.log(ruinTable(result));
      console.log(`auditor: ${result.auditViolations === 0 ? 'ok' : 'VIOLATIONS'} (${result.auditChecks} checks); wrote ${options.out}/ruin.html`);
      if (result.auditViolations > 0) process.exitCode = 1;
    });
}
