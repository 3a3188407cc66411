/**
 * @module sim/scenario/load
 * Reads a scenario file (YAML, or JSON which is YAML too), validates it and reports every problem
 * with the path of the field ("agents[2].params.leverage: …"), then resolves it: the instrument
 * with its overrides, and the candles the index path will be built from.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { compileInstrument, DEFAULT_INSTRUMENTS, type AdlPolicyName, type InstrumentSpec } from '../../core/index.js';
import type { TickCandle } from '../data/candle.js';
import { syntheticCandles } from '../data/synthetic.js';
import { toTickCandle } from '../data/ticks.js';
import { Rng } from '../rng.js';
import { loadIndexData } from './index-data.js';
import { scenarioSchema, type InstrumentOverrides, type ScenarioSpec } from './schema.js';

export class ScenarioError extends Error {
  constructor(readonly source: string, readonly problems: readonly string[]) {
    super(`${source}: invalid scenario\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(top level)' : out;
}

export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

/** Validates a parsed object; throws ScenarioError naming each bad field. */
export function parseScenario(value: unknown, source = 'scenario'): ScenarioSpec {
  const result = scenarioSchema.safeParse(value);
  if (!result.success) throw new ScenarioError(source, formatZodIssues(result.error));
  return result.data;
}

export interface LoadedScenario {
  readonly spec: ScenarioSpec;
  /** Directory of the scenario file (relative data paths start here). */
  readonly baseDir: string;
  readonly source: string;
}

/** The scenario with its instrument's ADL policy replaced (`perpx sim --adl`). */
export function withAdlPolicy(loaded: LoadedScenario, adlPolicy: AdlPolicyName): LoadedScenario {
  const engine = loaded.spec.engine;
  return { ...loaded, spec: { ...loaded.spec, engine: { ...engine, instrument: { ...engine.instrument, adlPolicy } } } };
}

export function loadScenarioFile(file: string): LoadedScenario {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, [`cannot read: ${(error as Error).message}`]);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ScenarioError(file, [`not valid YAML/JSON: ${(error as Error).message}`]);
  }
  return { spec: parseScenario(value, file), baseDir: dirname(path), source: path };
}

export function toMs(value: number | string): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/** The instrument of the scenario's symbol with its overrides applied; validated by compileInstrument. */
export function scenarioInstrument(spec: ScenarioSpec, source = 'scenario'): InstrumentSpec {
  const base = DEFAULT_INSTRUMENTS.find((instrument) => instrument.symbol === spec.symbol);
  if (base === undefined) {
    throw new ScenarioError(source, [`symbol: unknown symbol ${spec.symbol} (known: ${DEFAULT_INSTRUMENTS.map((i) => i.symbol).join(', ')})`]);
  }
  const o: InstrumentOverrides = spec.engine.instrument;
  const merged: InstrumentSpec = {
    ...base, ...o,
    mark: { ...base.mark, ...o.mark },
    funding: { ...base.funding, ...o.funding },
  } as InstrumentSpec;
  try {
    compileInstrument(merged);
  } catch (error) {
    throw new ScenarioError(source, [`engine.instrument: ${(error as Error).message}`]);
  }
  return merged;
}

export interface ResolvedData {
  readonly candles: readonly TickCandle[];
  /** Candle length of the first file (later files may differ: each candle carries its own). */
  readonly intervalMs: number;
  /** File path(s) or "synthetic". */
  readonly source: string;
  readonly gaps: number;
  /** Where the replay proper starts (after the warm-up candles); the first candle's time without a warm-up. */
  readonly replayStartMs: number;
}

/** Candles for the scenario's data section (and its warm-up), on the instrument's tick grid. */
export function resolveData(loaded: LoadedScenario, instrument: InstrumentSpec): ResolvedData {
  const { spec } = loaded;
  const tick = compileInstrument(instrument).tick;
  if (spec.data.synthetic !== undefined) {
    const s = spec.data.synthetic;
    const intervalMs = s.intervalSec * 1000;
    const count = Math.max(1, Math.round((s.durationHours * 3_600_000) / intervalMs));
    const candles = syntheticCandles({
      startMs: toMs(s.start), intervalMs, startPrice: s.startPrice, annualVol: s.annualVol, annualDrift: s.annualDrift,
      jumpProbability: s.jumpProbability, jumpSize: s.jumpSize,
    }, count, tick, new Rng(spec.seed, 'synthetic-candles'));
    return { candles, intervalMs, source: 'synthetic', gaps: 0, replayStartMs: candles[0]!.openTimeMs };
  }
  const window = spec.data.window;
  const replayStart = window?.start === undefined ? undefined : toMs(window.start);
  if (spec.warmup !== undefined && replayStart === undefined) {
    throw new ScenarioError(loaded.source, ['warmup: needs data.window.start (where the warm-up ends)']);
  }
  const from = spec.warmup === undefined ? replayStart : toMs(spec.warmup.from);
  if (from !== undefined && replayStart !== undefined && from > replayStart) {
    throw new ScenarioError(loaded.source, ['warmup.from: must not be after data.window.start']);
  }
  let index;
  try {
    index = loadIndexData({
      files: scenarioDataFiles(spec), rescaleTo: spec.data.rescaleTo, baseDir: loaded.baseDir, fromMs: from,
      toMs: window?.end === undefined ? undefined : toMs(window.end),
    });
  } catch (error) {
    throw new ScenarioError(loaded.source, [`data: ${(error as Error).message}`]);
  }
  const candles = index.candles.map(({ candle, durationMs }) => toTickCandle(candle, durationMs, tick));
  const { intervalMs, gaps } = index;
  const sources = index.sources;
  return {
    candles, intervalMs, source: sources.join(' + '), gaps, replayStartMs: replayStart ?? candles[0]!.openTimeMs,
  };
}

/** The scenario's data file(s) as a list. */
export function scenarioDataFiles(spec: ScenarioSpec): string[] {
  const file = spec.data.file;
  return file === undefined ? [] : typeof file === 'string' ? [file] : [...file];
}
