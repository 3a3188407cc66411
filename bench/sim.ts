/**
 * @module bench/sim
 * Simulator benchmark: the full-day 1-minute replay of 19 May 2021 (Binance BTCUSDT perpetual,
 * scenarios/2021-05-19-btc.yaml: 1,000 agents, index step 1 s, auditor every 5,000 commands and
 * after each liquidation), timed end to end including the event-stream hash; no files written.
 * There is no peer simulator to run beside it, so figures are given as ratios to the target (a
 * full day in under a minute) and to real time. One warm-up-free run (the run is the workload).
 *
 * Usage: npm run bench -- sim [--json] [--scenario <file>] [--seed n]
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../src/sim/run/batch.js';
import { loadScenarioFile } from '../src/sim/scenario/load.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_MS = 60_000;

export async function runSimBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const at = argv.indexOf('--scenario');
  const file = at >= 0 && argv[at + 1] !== undefined ? argv[at + 1]! : resolve(ROOT, 'scenarios/2021-05-19-btc.yaml');
  const seedAt = argv.indexOf('--seed');
  const loaded = loadScenarioFile(file);
  const started = process.hrtime.bigint();
  const result = runScenario(loaded, seedAt >= 0 ? { seed: Number(argv[seedAt + 1]) } : {});
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const simulatedMs = result.endMs - result.startMs;
  const figures = {
    bench: 'sim',
    scenario: result.spec.name,
    agents: result.world.agents.length,
    candles: result.data.candles.length,
    steps: result.steps,
    commands: result.world.commands,
    events: result.recorder.events,
    liquidations: result.recorder.liquidations.length,
    auditChecks: result.world.audit.checks,
    wallMs: Math.round(wallMs),
    eventsPerSecond: Math.round(result.recorder.events / (wallMs / 1000)),
    commandsPerSecond: Math.round(result.world.commands / (wallMs / 1000)),
    speedVsRealTime: Math.round(simulatedMs / wallMs),
    targetRatio: Math.round((TARGET_MS / wallMs) * 100) / 100,
    node: process.version,
  };
  await Promise.resolve();
  if (!json) {
    console.log(`${figures.scenario}: ${figures.agents} agents, ${figures.candles} candles, ${figures.steps} index steps`);
    console.log(`${figures.commands} commands, ${figures.events} events, ${figures.liquidations} liquidations in ${(wallMs / 1000).toFixed(1)} s`);
    console.log(`${figures.eventsPerSecond} events/s, ${figures.commandsPerSecond} commands/s, ${figures.speedVsRealTime}× real time, ` +
      `${figures.targetRatio}× faster than the 60 s target`);
  }
  console.log(JSON.stringify(figures));
}
