/**
 * The runner beside a real durable venue: it catches up with the journal's history at start, then
 * follows live commits with no gap and no duplicate; a consumer slower than the venue never holds a
 * submit back (its lag grows, then it catches up); past its queue bound it drops the queue and
 * re-derives the missing range from the journal. In every case the alerts equal a plain replay of
 * the journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileInstrument, type Command, type Instrument } from '../../src/core/index.js';
import { openDurableVenue, silentLogger, type DurableVenue } from '../../src/journal/index.js';
import { runScenario } from '../../src/sim/run/batch.js';
import { alertJson } from '../../src/surveillance/alert.js';
import { SurveillanceRunner, type RunnerStats } from '../../src/surveillance/runner.js';
import { Surveillance } from '../../src/surveillance/service.js';
import { replayJournal } from '../../src/surveillance/source.js';
import { scenario } from '../sim/support.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const VOLATILE_NINE_MINUTES = scenario({
  seed: 11,
  symbol: 'BTCUSDT',
  data: { synthetic: { start: '2024-01-01T00:00:00Z', durationHours: 0.15, intervalSec: 60, startPrice: 60000, annualVol: 3 } },
  path: { stepMs: 1000 },
  audit: { every: 5000 },
  report: { sampleEveryMs: 10000, equityEveryMs: 60000 },
  agents: [
    { type: 'marketMaker', name: 'mm', count: 1, capitalUsdt: 2_000_000, params: { levels: 3, levelQty: 0.2 } },
    { type: 'retail', count: 25, capitalUsdt: [100, 5000], params: { leverage: { values: [50, 100, 125], weights: [1, 1, 1] } } },
  ],
});

let commands: Command[] = [];
let instruments: Instrument[] = [];

beforeAll(() => {
  runScenario(VOLATILE_NINE_MINUTES, {
    hook: (world) => {
      instruments = world.engine.instruments.map((instrument) => compileInstrument(instrument.spec));
      world.onCommand((command) => commands.push(command));
    },
  });
  commands = commands.slice();
});

/** A durable venue in a fresh directory whose clock is each submitted command's time. */
async function openVenue(): Promise<{ venue: DurableVenue; dataDir: string; submit: (from: number, to: number) => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'perpx-runner-'));
  dirs.push(dataDir);
  let nowMs = 0;
  const venue = await openDurableVenue({
    dataDir, fsync: false, tickIntervalMs: 0, clock: () => nowMs, logger: silentLogger, instruments: instruments.map((instrument) => instrument.spec),
  });
  const submit = async (from: number, to: number): Promise<void> => {
    const outcomes = commands.slice(from, to).map((command) => {
      nowMs = command.atMs;
      const { seq: _seq, atMs: _atMs, ...unsequenced } = command;
      return venue.submit(unsequenced);
    });
    await Promise.all(outcomes);
  };
  return { venue, dataDir, submit };
}

async function replayedAlerts(dataDir: string): Promise<string[]> {
  const surveillance = new Surveillance({ instruments });
  const alerts: string[] = [];
  await replayJournal({ dataDir, onBatch: (batch) => alerts.push(...surveillance.ingest(batch).map(alertJson)) });
  return alerts;
}

function watched(): { surveillance: Surveillance; alerts: string[] } {
  const surveillance = new Surveillance({ instruments });
  const alerts: string[] = [];
  surveillance.onAlerts((raised) => alerts.push(...raised.map(alertJson)));
  return { surveillance, alerts };
}

describe('surveillance runner beside a durable venue', () => {
  it('catches up with the journal at start, then follows live with no gap and no duplicate', async () => {
    const { venue, dataDir, submit } = await openVenue();
    const half = Math.floor(commands.length / 2);
    await submit(0, half);
    const { surveillance, alerts } = watched();
    const runner = new SurveillanceRunner(surveillance, venue);
    await runner.start();
    expect(surveillance.lastSeq).toBe(half);
    await submit(half, commands.length);
    await runner.settled();
    expect(runner.stats()).toMatchObject({ processedSeq: commands.length, committedSeq: commands.length, lagSeq: 0, resyncs: 0 });
    runner.stop();
    await venue.close();
    const replayed = await replayedAlerts(dataDir);
    expect(replayed.length).toBeGreaterThanOrEqual(5);
    expect(alerts).toEqual(replayed);
  });

  it('never holds a submit back: a slow consumer falls behind, its lag is reported, and it catches up', async () => {
    const { venue, dataDir, submit } = await openVenue();
    const { surveillance, alerts } = watched();
    // A consumer about 0.1 ms slower per batch than this one (a busy wait: the cost sits in the consumer).
    const ingest = surveillance.ingest.bind(surveillance);
    surveillance.ingest = (batch) => {
      const until = process.hrtime.bigint() + 100_000n;
      while (process.hrtime.bigint() < until);
      return ingest(batch);
    };
    const runner = new SurveillanceRunner(surveillance, venue, { sliceMs: 5 });
    await runner.start();
    await submit(0, commands.length);
    const behind: RunnerStats = runner.stats();
    expect(behind.committedSeq).toBe(commands.length);
    expect(behind.lagSeq).toBeGreaterThan(0);
    expect(behind.queuedBatches).toBeGreaterThan(0);
    await runner.settled();
    expect(runner.stats()).toMatchObject({ lagSeq: 0, queuedBatches: 0, processedSeq: commands.length });
    expect(runner.stats().maxLagMs).toBeGreaterThan(0);
    runner.stop();
    await venue.close();
    expect(alerts).toEqual(await replayedAlerts(dataDir));
  });

  it('drops its queue past the bound and re-derives the missing range from the journal', async () => {
    const { venue, dataDir, submit } = await openVenue();
    const { surveillance, alerts } = watched();
    const runner = new SurveillanceRunner(surveillance, venue, { maxQueuedEvents: 200 });
    await runner.start();
    await submit(0, commands.length);
    await runner.settled();
    const stats = runner.stats();
    expect(stats.resyncs).toBeGreaterThan(0);
    expect(stats).toMatchObject({ processedSeq: commands.length, lagSeq: 0 });
    runner.stop();
    await venue.close();
    expect(alerts).toEqual(await replayedAlerts(dataDir));
  });
});
