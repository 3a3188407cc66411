/**
 * Determinism: a volatile simulated hour is journaled by a real durable venue; surveillance replays
 * the journal twice and gets byte-identical alerts, equal to the alerts it raised while watching the
 * run live, also when the batches reach it as bytes (src/wire's event-batch codec, as another process
 * would send them). Alerts carry the seq range of the batches that produced them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileInstrument, type Command, type EngineEvent } from '../../src/core/index.js';
import { openDurableVenue, silentLogger } from '../../src/journal/index.js';
import { runScenario } from '../../src/sim/run/batch.js';
import { alertJson, type Alert } from '../../src/surveillance/alert.js';
import { Surveillance } from '../../src/surveillance/service.js';
import { decodeCommittedBatch, replayJournal } from '../../src/surveillance/source.js';
import { encodeEventBatch } from '../../src/wire/index.js';
import { scenario } from '../sim/support.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const VOLATILE_HALF_HOUR = scenario({
  seed: 11,
  symbol: 'BTCUSDT',
  data: { synthetic: { start: '2024-01-01T00:00:00Z', durationHours: 0.5, intervalSec: 60, startPrice: 60000, annualVol: 3 } },
  path: { stepMs: 1000 },
  audit: { every: 5000 },
  report: { sampleEveryMs: 10000, equityEveryMs: 60000 },
  agents: [
    { type: 'marketMaker', name: 'mm', count: 1, capitalUsdt: 2_000_000, params: { levels: 3, levelQty: 0.2 } },
    { type: 'noise', count: 4, capitalUsdt: [1000, 20000] },
    { type: 'retail', count: 25, capitalUsdt: [100, 5000], params: { leverage: { values: [50, 100, 125], weights: [1, 1, 1] } } },
  ],
});

describe('surveillance determinism', () => {
  it('replays a journal twice to byte-identical alerts, equal to the live ones', async () => {
    const commands: Command[] = [];
    const live: Alert[] = [];
    let instruments: ReturnType<typeof compileInstrument>[] = [];
    runScenario(VOLATILE_HALF_HOUR, {
      hook: (world) => {
        instruments = world.engine.instruments.map((instrument) => compileInstrument(instrument.spec));
        const surveillance = new Surveillance({ instruments });
        world.onCommand((command, events) => {
          commands.push(command);
          live.push(...surveillance.ingest({ fromSeq: command.seq, toSeq: command.seq, atMs: command.atMs, events }));
        });
      },
    });
    // The same commands through a real durable venue (its clock set to each command's time).
    const dataDir = mkdtempSync(join(tmpdir(), 'perpx-surveil-'));
    dirs.push(dataDir);
    let nowMs = 0;
    const venue = await openDurableVenue({
      dataDir, fsync: false, tickIntervalMs: 0, clock: () => nowMs, logger: silentLogger, instruments: instruments.map((instrument) => instrument.spec),
    });
    // Submitted without waiting for each, so group commit batches them (each is sequenced at submit).
    const outcomes = commands.map((command) => {
      nowMs = command.atMs;
      const { seq: _seq, atMs: _atMs, ...unsequenced } = command;
      return venue.submit(unsequenced);
    });
    expect((await Promise.all(outcomes)).map((outcome) => outcome.seq)).toEqual(commands.map((command) => command.seq));
    await venue.close();
    const replay = async (asBytes: boolean): Promise<string[]> => {
      const surveillance = new Surveillance({ instruments });
      const alerts: string[] = [];
      await replayJournal({
        dataDir,
        onBatch: (batch) => {
          const received = asBytes ? decodeCommittedBatch(encodeEventBatch({ ...batch, events: batch.events as EngineEvent[] })) : batch;
          alerts.push(...surveillance.ingest(received).map(alertJson));
        },
      });
      return alerts;
    };
    const first = await replay(false);
    const second = await replay(true);
    expect(first.length).toBeGreaterThan(10);
    expect(new Set(live.map((alert) => alert.code)).size).toBeGreaterThanOrEqual(4);
    expect(second).toEqual(first);
    expect(first).toEqual(live.map(alertJson));
    for (const alert of live) {
      expect(alert.fromSeq).toBeLessThanOrEqual(alert.toSeq);
      expect(alert.toSeq).toBeLessThanOrEqual(commands.length);
    }
  });
});
