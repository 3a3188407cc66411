/**
 * @module surveillance/replay
 * Surveillance over a finished run, offline: a simulator scenario (the crash days, the calm
 * baseline) or a journal directory, with the alerts, the mark path for the chart and the timings
 * (engine time and surveillance time measured apart, in the same process). `perpx surveil`, the
 * replay proof (test/surveillance/crash-days.heavy.test.ts) and the benchmark use it.
 */
import { compileInstrument, type Instrument } from '../core/index.js';
import { runScenario } from '../sim/run/batch.js';
import type { SimWorld } from '../sim/run/world.js';
import type { LoadedScenario } from '../sim/scenario/load.js';
import type { Alert } from './alert.js';
import type { PricePoint } from './report/chart.js';
import type { HostOptions } from './host.js';
import { SurveillanceHost } from './host.js';
import type { HeatmapSnapshot } from './heatmap.js';
import { reportHeatmap } from './report/heatmap-chart.js';
import { replayJournal, type CommittedBatch } from './source.js';

/** Mark samples kept for the chart: one per this many ms. */
const PRICE_SAMPLE_MS = 60_000;

export interface SurveilRun {
  readonly alerts: Alert[];
  readonly prices: PricePoint[];
  readonly symbol: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly batches: number;
  readonly events: number;
  /** Wall time of engine.apply (scenarios only; 0 for journals) and of surveillance. */
  readonly engineMs: number;
  readonly surveillanceMs: number;
  readonly host: SurveillanceHost;
  /** The exact heatmap at `heatmapAtMs` (or at the end of the run). */
  readonly heatmap: HeatmapSnapshot | undefined;
}

export interface SurveilOptions extends Omit<HostOptions, 'instruments'> {
  readonly seed?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** When to take the heatmap a report draws (the first command at or after it); default the end of the run. */
  readonly heatmapAtMs?: number;
  /** Called for every batch after surveillance processed it (benchmarks measure lag here). */
  readonly onBatch?: (batch: CommittedBatch, engineNs: number, surveillanceNs: number) => void;
}

/** Collects mark samples of the first symbol for the chart. */
class PriceSampler {
  readonly prices: PricePoint[] = [];
  private nextMs = 0;

  constructor(private readonly instrument: Instrument) {}

  onBatch(batch: CommittedBatch): void {
    for (const event of batch.events) {
      if (event.type !== 'MarkPriceUpdated' || event.symbol !== this.instrument.symbol || event.atMs < this.nextMs) continue;
      this.prices.push({ atMs: event.atMs, price: (event.markTicks * Number(this.instrument.tick.digits)) / 10 ** this.instrument.tick.scale });
      this.nextMs = Math.floor(event.atMs / PRICE_SAMPLE_MS) * PRICE_SAMPLE_MS + PRICE_SAMPLE_MS;
    }
  }
}

/**
 * Surveillance watching a simulator world: every committed command's events, with the engine's
 * apply timed apart from the agents. `perpx surveil --scenario` and `perpx sim --surveil` use it
 * through runScenario's hook.
 */
export class WorldWatch {
  private host: SurveillanceHost | undefined;
  private sampler: PriceSampler | undefined;
  private readonly alerts: Alert[] = [];
  private engineNs = 0;
  private surveillanceNs = 0;
  private batches = 0;
  private events = 0;
  private startMs = 0;
  private endMs = 0;
  private heatmap: HeatmapSnapshot | undefined;

  constructor(private readonly options: SurveilOptions = {}) {}

  readonly hook = (world: SimWorld): void => {
    const options = this.options;
    const instruments = world.engine.instruments.map((instrument) => compileInstrument(instrument.spec));
    const host = new SurveillanceHost({ ...options, instruments });
    const sampler = new PriceSampler(instruments[0]!);
    this.host = host;
    this.sampler = sampler;
    host.surveillance.onAlerts((raised) => this.alerts.push(...raised));
    // Time the engine apart from the simulator's agents: surveillance is compared with the engine.
    const engine = world.engine;
    const apply = engine.apply.bind(engine);
    let lastEngineNs = 0;
    engine.apply = (command) => {
      const start = process.hrtime.bigint();
      const produced = apply(command);
      lastEngineNs = Number(process.hrtime.bigint() - start);
      this.engineNs += lastEngineNs;
      return produced;
    };
    world.onCommand((command, produced) => {
      const batch: CommittedBatch = { fromSeq: command.seq, toSeq: command.seq, atMs: command.atMs, events: produced };
      if (this.batches === 0) this.startMs = command.atMs;
      this.endMs = command.atMs;
      const start = process.hrtime.bigint();
      host.surveillance.ingest(batch);
      const ns = Number(process.hrtime.bigint() - start);
      this.surveillanceNs += ns;
      this.batches++;
      this.events += produced.length;
      sampler.onBatch(batch);
      if (this.heatmap === undefined && options.heatmapAtMs !== undefined && command.atMs >= options.heatmapAtMs) {
        this.heatmap = reportHeatmap(host.surveillance);
      }
      options.onBatch?.(batch, lastEngineNs, ns);
    });
  };

  /** What the watch saw, once the run is over. */
  run(symbol: string): SurveilRun {
    if (this.host === undefined || this.sampler === undefined) throw new Error('the watch was never attached to a world');
    return {
      alerts: this.alerts, prices: this.sampler.prices, symbol, startMs: this.startMs, endMs: this.endMs, batches: this.batches, events: this.events,
      engineMs: this.engineNs / 1e6, surveillanceMs: this.surveillanceNs / 1e6, host: this.host,
      heatmap: this.heatmap ?? reportHeatmap(this.host.surveillance),
    };
  }
}

/** Runs a scenario on the engine with surveillance watching every committed command. */
export function surveilScenario(loaded: LoadedScenario, options: SurveilOptions = {}): SurveilRun {
  const watch = new WorldWatch(options);
  const result = runScenario(loaded, {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    hook: watch.hook,
  });
  return watch.run(result.instrument.symbol);
}

/** Replays a journal directory through surveillance (the scratch engine re-derives the events). */
export async function surveilJournal(dataDir: string, instruments: readonly Instrument[], options: SurveilOptions = {}): Promise<SurveilRun> {
  const host = new SurveillanceHost({ ...options, instruments });
  const sampler = new PriceSampler(instruments[0]!);
  const alerts: Alert[] = [];
  host.surveillance.onAlerts((raised) => alerts.push(...raised));
  let surveillanceNs = 0;
  let batches = 0;
  let events = 0;
  let startMs = 0;
  let endMs = 0;
  let heatmap: HeatmapSnapshot | undefined;
  await replayJournal({
    dataDir, instruments: instruments.map((instrument) => instrument.spec), yieldEvery: 10_000,
    ...(options.onProgress === undefined ? {} : { onSegment: (index: number, count: number) => options.onProgress!(index, count) }),
    onBatch: (batch) => {
      if (batches === 0) startMs = batch.atMs;
      endMs = batch.atMs;
      const start = process.hrtime.bigint();
      host.surveillance.ingest(batch);
      const ns = Number(process.hrtime.bigint() - start);
      surveillanceNs += ns;
      batches++;
      events += batch.events.length;
      sampler.onBatch(batch);
      if (heatmap === undefined && options.heatmapAtMs !== undefined && batch.atMs >= options.heatmapAtMs) heatmap = reportHeatmap(host.surveillance);
      options.onBatch?.(batch, 0, ns);
    },
  });
  return {
    alerts, prices: sampler.prices, symbol: instruments[0]!.symbol, startMs, endMs, batches, events, engineMs: 0,
    surveillanceMs: surveillanceNs / 1e6, host, heatmap: heatmap ?? reportHeatmap(host.surveillance),
  };
}
