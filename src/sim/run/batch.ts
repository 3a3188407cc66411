/**
 * @module sim/run/batch
 * Runs a scenario to the end on a directly driven engine: funds the insurance fund, opens the
 * market at the first index price, creates and funds the warm-up agents, walks the warm-up part
 * of the index path at its coarse step (open interest builds over the preceding days' prices),
 * adds the other agents at the replay start, then walks the replay step by step (new index, market
 * makers and arbitrageurs, then agents whose time has come), recording as it goes. Same scenario
 * and seed ⇒ the same commands ⇒ the same events and state hash.
 */
import { compileInstrument, type InstrumentSpec } from '../../core/index.js';
import { createAgents } from '../agents/factory.js';
import { candlePath } from '../data/index-path.js';
import { Rng } from '../rng.js';
import { resolveData, scenarioInstrument, type LoadedScenario, type ResolvedData } from '../scenario/load.js';
import { FaultPlan } from '../scenario/faults.js';
import type { ScenarioSpec } from '../scenario/schema.js';
import type { PhaseTimer } from './phase-timer.js';
import { Recorder, type EventFileMode } from './recorder.js';
import { SimWorld } from './world.js';

const HOUR_MS = 3_600_000;

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Overrides audit.every (1 = after every command, as the tests do). */
  readonly auditEvery?: number;
  readonly eventFile?: EventFileMode;
  readonly writeEvents?: (chunk: string) => void;
  /** Called after each candle with (candles done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called once the world and its recorder exist, before anything is applied (tests attach probes here). */
  readonly hook?: (world: SimWorld, recorder: Recorder) => void;
  /** Splits the run's time by phase (the benchmark). */
  readonly timer?: PhaseTimer;
}

export interface SimResult {
  readonly spec: ScenarioSpec;
  /** Directory of the scenario file (relative data paths start here). */
  readonly baseDir: string;
  readonly instrument: InstrumentSpec;
  readonly data: ResolvedData;
  readonly world: SimWorld;
  readonly recorder: Recorder;
  /** Start of the replay proper (after any warm-up) and end of the run. */
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly finalStateHash: string;
  readonly eventStreamSha256: string;
  /** Index steps taken (warm-up included). */
  readonly steps: number;
}

export function runScenario(loaded: LoadedScenario, options: RunOptions = {}): SimResult {
  const spec: ScenarioSpec = options.seed === undefined ? loaded.spec : { ...loaded.spec, seed: options.seed };
  const instrument = scenarioInstrument(spec, loaded.source);
  const data = resolveData({ ...loaded, spec }, instrument);
  const world = new SimWorld(instrument, { every: options.auditEvery ?? spec.audit.every, onLiquidation: true });
  world.timer = options.timer;
  world.view.history.setLiquidationHalfLife(spec.market.liquidationMemorySec * 1000);
  const startMs = data.replayStartMs;
  const recorder = new Recorder(world, {
    startMs, sampleEveryMs: spec.report.sampleEveryMs, equityEveryMs: spec.report.equityEveryMs,
    heatmapEveryMs: spec.report.heatmapEveryMs,
    eventFile: options.eventFile ?? 'none', ...(options.writeEvents === undefined ? {} : { write: options.writeEvents }),
  });
  options.hook?.(world, recorder);
  const candles = data.candles;
  const stepMs = spec.path.stepMs;
  const warmupStepMs = spec.warmup?.stepMs ?? stepMs;
  const pathRng = new Rng(spec.seed, 'index-path');
  world.setTime(candles[0]!.openTimeMs);
  world.fundInsurance(spec.engine.insuranceFundUsdt);
  const buffer: number[] = [];
  const hourlyStepMs = spec.path.hourlyStepMs ?? stepMs;
  const stepOf = (c: number): number => (candles[c]!.openTimeMs < startMs ? warmupStepMs
    : candles[c]!.durationMs >= HOUR_MS ? hourlyStepMs : stepMs);
  let n = candlePath(candles[0]!, stepOf(0), pathRng, buffer);
  world.setIndex(buffer[0]!);
  const warmupGroups = new Set(spec.agents.filter((g) => g.from === 'warmup').map((g) => g.name ?? g.type));
  const agents = createAgents(spec, instrument);
  const late = spec.warmup === undefined ? [] : agents.filter((agent) => !warmupGroups.has(agent.group));
  for (const agent of spec.warmup === undefined ? agents : agents.filter((a) => warmupGroups.has(a.group))) world.addAgent(agent);
  // Scripted index and liquidity faults act on the market here too (API faults only under `perpx serve`).
  const faults = new FaultPlan(spec.faults);
  let published = 0;
  let steps = 0;
  let lastMs = startMs;
  let joined = late.length === 0;
  for (let c = 0; c < candles.length; c++) {
    const candle = candles[c]!;
    const step = stepOf(c);
    if (c > 0) n = candlePath(candle, step, pathRng, buffer);
    for (let i = 0; i < n; i++) {
      lastMs = candle.openTimeMs + i * step;
      published = faults.index(lastMs, buffer[i]!, published);
      if (!joined && lastMs >= startMs) {
        // The replay starts: everyone else joins at the index of that moment.
        world.setTime(lastMs);
        world.setIndex(published);
        for (const agent of late) world.addAgent(agent);
        joined = true;
      }
      recorder.beforeStep(lastMs);
      world.view.liquidityDrain = faults.drain(lastMs);
      world.step(lastMs, published);
      world.timer?.enter('recording');
      recorder.afterStep(lastMs);
      world.timer?.leave();
      steps++;
    }
    options.onProgress?.(c + 1, candles.length);
  }
  // Let the last index reach the mark (one cadence later), then take the closing samples.
  const endMs = lastMs + compileInstrument(instrument).markCadenceMs;
  world.tick(endMs);
  recorder.sample(endMs);
  recorder.sampleEquity(endMs);
  world.runAudit();
  recorder.flush();
  return {
    spec, baseDir: loaded.baseDir, instrument, data, world, recorder, startMs, endMs, stepMs, steps,
    finalStateHash: world.engine.stateHash(), eventStreamSha256: recorder.eventStreamSha256(),
  };
}
