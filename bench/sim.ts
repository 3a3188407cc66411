/**
 * @module bench/sim
 * Simulator benchmark: the full-day replay of 19 May 2021 (scenarios/2021-05-19-btc.yaml: spot
 * index, two days of warm-up that build the open interest, then the day at a 1 s index step with
 * every agent), timed end to end including the event-stream hash; no files written. There is no
 * peer simulator to run beside it, so figures are given as ratios to the target (a full day in
 * under a minute) and to real time. It also splits the time between the engine (applying commands,
 * decoding events), the agents (policies and the engine queries they make), recording (stream hash,
 * recorder, samples) and the auditor, with a phase timer around each (the timer's own cost, two
 * clock reads per phase change, is in the wall time and not in any share): the target is that
 * agents and recording together cost no more than the engine. One run (the run is the workload).
 *
 * Usage: npm run bench -- sim [--json] [--scenario <file>] [--seed n]
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHASES, PhaseTimer } from '../src/sim/run/phase-timer.js';
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
  const timer = new PhaseTimer();
  const started = process.hrtime.bigint();
  const result = runScenario(loaded, { timer, ...(seedAt >= 0 ? { seed: Number(argv[seedAt + 1]) } : {}) });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const simulatedMs = result.endMs - result.data.candles[0]!.openTimeMs;
  const timed = PHASES.reduce((s, p) => s + timer.totalsMs[p], 0);
  const share = Object.fromEntries(PHASES.map((p) => [p, Math.round((timer.totalsMs[p] / wallMs) * 1000) / 1000]));
  const phaseMs = Object.fromEntries(PHASES.map((p) => [p, Math.round(timer.totalsMs[p])]));
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
    phaseMs,
    /** Share of wall time per phase; `other` is the loop, index path and scheduler. */
    share: { ...share, other: Math.round(((wallMs - timed) / wallMs) * 1000) / 1000 },
    /** (agents + recording) / engine: the target is ≤ 1. */
    agentsAndRecordingPerEngine: Math.round(((timer.totalsMs.agents + timer.totalsMs.recording) / timer.totalsMs.engine) * 100) / 100,
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
    console.log(`time: ${PHASES.map((p) => `${p} ${(share[p]! * 100).toFixed(1)}%`).join(', ')}, other ${(figures.share.other * 100).toFixed(1)}%` +
      ` — agents + recording = ${figures.agentsAndRecordingPerEngine}× the engine`);
    console.log(`${figures.eventsPerSecond} events/s, ${figures.commandsPerSecond} commands/s, ${figures.speedVsRealTime}× real time, ` +
      `${figures.targetRatio}× faster than the 60 s target`);
  }
  console.log(JSON.stringify(figures));
}
