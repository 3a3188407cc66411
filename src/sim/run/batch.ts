/**
 * @module sim/run/batch
 * Runs a scenario to the end on a directly driven engine: funds the insurance fund, opens the
 * market at the first index price, creates and funds every agent, then walks the index path step
 * by step (new index, market makers and arbitrageurs, then agents whose time has come), sampling
 * as it goes. Same scenario and seed ⇒ the same commands ⇒ the same events and state hash.
 */
import { compileInstrument, type InstrumentSpec } from '../../core/index.js';
import { createAgents } from '../agents/factory.js';
import { candlePath } from '../data/index-path.js';
import { Rng } from '../rng.js';
import { resolveData, scenarioInstrument, type LoadedScenario, type ResolvedData } from '../scenario/load.js';
import type { ScenarioSpec } from '../scenario/schema.js';
import { Recorder, type EventFileMode } from './recorder.js';
import { SimWorld } from './world.js';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Overrides audit.every (1 = after every command, as the tests do). */
  readonly auditEvery?: number;
  readonly eventFile?: EventFileMode;
  readonly writeEvents?: (chunk: string) => void;
  /** Called after each candle with (candles done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called once the world exists, before anything is applied (tests attach probes here). */
  readonly hook?: (world: SimWorld) => void;
}

export interface SimResult {
  readonly spec: ScenarioSpec;
  readonly instrument: InstrumentSpec;
  readonly data: ResolvedData;
  readonly world: SimWorld;
  readonly recorder: Recorder;
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly finalStateHash: string;
  readonly eventStreamSha256: string;
  /** Whether the run's samples were taken at every step (tests) or periodically. */
  readonly steps: number;
}

export function runScenario(loaded: LoadedScenario, options: RunOptions = {}): SimResult {
  const spec: ScenarioSpec = options.seed === undefined ? loaded.spec : { ...loaded.spec, seed: options.seed };
  const instrument = scenarioInstrument(spec, loaded.source);
  const data = resolveData({ ...loaded, spec }, instrument);
  const world = new SimWorld(instrument, { every: options.auditEvery ?? spec.audit.every, onLiquidation: true });
  const recorder = new Recorder(world, {
    sampleEveryMs: spec.report.sampleEveryMs, equityEveryMs: spec.report.equityEveryMs,
    eventFile: options.eventFile ?? 'none', ...(options.writeEvents === undefined ? {} : { write: options.writeEvents }),
  });
  options.hook?.(world);
  const candles = data.candles;
  const stepMs = spec.path.stepMs;
  const startMs = candles[0]!.openTimeMs;
  const pathRng = new Rng(spec.seed, 'index-path');
  world.setTime(startMs);
  world.fundInsurance(spec.engine.insuranceFundUsdt);
  const buffer: number[] = [];
  let n = candlePath(candles[0]!, stepMs, pathRng, buffer);
  world.setIndex(buffer[0]!);
  for (const agent of createAgents(spec, instrument)) world.addAgent(agent);
  let steps = 0;
  let lastMs = startMs;
  for (let c = 0; c < candles.length; c++) {
    const candle = candles[c]!;
    if (c > 0) n = candlePath(candle, stepMs, pathRng, buffer);
    for (let i = 0; i < n; i++) {
      lastMs = candle.openTimeMs + i * stepMs;
      world.step(lastMs, buffer[i]!);
      recorder.maybeSample(lastMs);
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
    spec, instrument, data, world, recorder, startMs, endMs, stepMs, steps,
    finalStateHash: world.engine.stateHash(), eventStreamSha256: recorder.eventStreamSha256(),
  };
}
