/**
 * The simulator on the engine: a 100x long opened at the open of 19 May 2021 is liquidated in the
 * minute the index crosses its liquidation price; the auditor finds nothing after every command;
 * the same scenario and seed give byte-identical events and reports; reports contain the charts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileInstrument, BTCUSDT } from '../../src/core/index.js';
import { Holder } from '../../src/sim/agents/holder.js';
import { loadCandleFile } from '../../src/sim/data/load.js';
import { sliceCandles } from '../../src/sim/data/csv.js';
import { toTickCandle } from '../../src/sim/data/ticks.js';
import { REPORT_CHARTS } from '../../src/sim/report/html.js';
import { runScenario, type SimResult } from '../../src/sim/run/batch.js';
import { openEventFile, writeRunDirectory } from '../../src/sim/run/output.js';
import { hasData, scenario } from './support.js';

const MAY19 = 'btcusdt-perp-1m-2021-05-19.csv';
const tmp = mkdtempSync(join(tmpdir(), 'perpx-sim-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const makers = [
  { type: 'marketMaker', name: 'mm', count: 2, capitalUsdt: 5_000_000, params: { levels: 4, levelQty: 0.5 } },
  { type: 'arbitrageur', name: 'arb', count: 1, capitalUsdt: 1_000_000 },
];

function runToDir(value: Record<string, unknown>, dir: string, seed?: number): { result: SimResult; summary: Record<string, unknown> } {
  const events = openEventFile(dir);
  try {
    const result = runScenario(scenario(value), { eventFile: 'all', writeEvents: events.write, ...(seed === undefined ? {} : { seed }) });
    return { result, summary: writeRunDirectory(result, dir) };
  } finally {
    events.close();
  }
}

describe('copy followers in the simulator', () => {
  it('fans copy a 50x leader through the engine and the report says who was liquidated before, with or after it', () => {
    const dir = join(tmp, 'fans');
    const { result, summary } = runToDir({
      seed: 5, data: { synthetic: { durationHours: 0.5, annualVol: 6 } }, audit: { every: 1 }, agents: [
        { type: 'marketMaker', name: 'mm', count: 2, capitalUsdt: 5_000_000, params: { levels: 4, levelQty: 3 } }, makers[1],
        { type: 'copyFollower', name: 'fan', count: 12, capitalUsdt: [100, 1_000], params: { leader: 'lead' } },
        { type: 'copyFollower', name: 'careful-fan', count: 3, capitalUsdt: 1_000,
          params: { leader: 'lead', mode: 'FIXED_AMOUNT', amount: 100, leverage: 2 } }],
      accounts: [{ name: 'lead', capitalUsdt: 1_000,
        agent: { type: 'holder', params: { side: 'LONG', leverage: 50, exposure: 0.5, marginType: 'ISOLATED' } } }],
    }, dir);
    expect(result.world.audit.violations).toEqual([]);
    const fans = result.world.agents.filter((agent) => agent.kind === 'copyFollower');
    expect(fans).toHaveLength(15);
    // Every fan followed (its Follow was accepted) and holds or held a copy of the leader's long.
    expect(fans.every((fan) => fan.rejects === 0)).toBe(true);
    const fates = summary['copyFollowers'] as { leader: string; followers: number; liquidatedBefore: number; liquidatedWith: number;
      liquidatedAfter: number; neverLiquidated: number }[];
    expect(fates).toHaveLength(1);
    const [fate] = fates;
    expect(fate!.leader).toBe('lead');
    expect(fate!.followers).toBe(15);
    expect(fate!.liquidatedBefore + fate!.liquidatedWith + fate!.liquidatedAfter + fate!.neverLiquidated).toBe(15);
    const copyFills = result.recorder.eventCounts.get('CopyFill') ?? 0;
    expect(copyFills).toBeGreaterThanOrEqual(15);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('liquidated before');
  });
});

describe.runIf(hasData(MAY19))('19 May 2021 on the engine', () => {
  it('liquidates a 100x long opened at the open, in the minute the index crosses its liquidation price', () => {
    const loaded = scenario({
      seed: 3, data: { file: MAY19, window: { start: '2021-05-19T00:00:00Z', end: '2021-05-19T00:20:00Z' } },
      audit: { every: 1 }, agents: makers,
      accounts: [{ name: 'long100', capitalUsdt: 1000, agent: { type: 'holder', params: { side: 'LONG', leverage: 100, marginType: 'ISOLATED' } } }],
    });
    // Capture the engine's own liquidation price right after the position opens.
    let liquidationTicks = 0;
    let openedAtMs = 0;
    const result = runScenario(loaded, {
      auditEvery: 1,
      onProgress: () => undefined,
    });
    const holder = result.world.agents.find((a) => a.name === 'long100')!;
    expect(holder).toBeInstanceOf(Holder);
    // Re-run with a listener that reads the liquidation price when the position first appears.
    const again = runScenarioWithProbe(loaded, holder.name, (ticks, atMs) => {
      if (liquidationTicks === 0) {
        liquidationTicks = ticks;
        openedAtMs = atMs;
      }
    });
    expect(again.eventStreamSha256).toBe(result.eventStreamSha256);
    expect(liquidationTicks).toBeGreaterThan(0);
    const liqs = result.recorder.liquidations.filter((l) => l.agent === 'long100');
    expect(liqs).toHaveLength(1);
    const liquidation = liqs[0]!;
    expect(liquidation.side).toBe('SELL');
    expect(liquidation.markTicks).toBeLessThanOrEqual(liquidationTicks + 1);
    // The minute in which the real candles first reach the liquidation price (low ≤ liq).
    const tick = compileInstrument(BTCUSDT).tick;
    const series = sliceCandles(loadCandleFile(MAY19), openedAtMs, undefined);
    const crossing = series.candles.map((c) => toTickCandle(c, 60_000, tick)).find((c) => c.lowTicks <= liquidationTicks);
    expect(crossing).toBeDefined();
    expect(liquidation.atMs).toBeGreaterThanOrEqual(crossing!.openTimeMs);
    expect(liquidation.atMs).toBeLessThanOrEqual(crossing!.openTimeMs + 60_000);
    // Liquidation comes at the first mark sample at or below the liquidation price (the mark is a
    // median with index × funding basis and the book's basis, so it can trail the index by a tick
    // or two), a few seconds at most after the index path crossed it.
    const indexCross = firstIndexCrossing(again.probeIndex, liquidationTicks);
    const markCross = firstIndexCrossing(again.probeMark, liquidationTicks);
    expect(indexCross).toBeDefined();
    expect(markCross).toBe(liquidation.atMs);
    expect(liquidation.atMs - indexCross!).toBeGreaterThanOrEqual(0);
    expect(liquidation.atMs - indexCross!).toBeLessThanOrEqual(5_000);
    // The auditor ran after every command and found nothing.
    expect(result.world.audit.checks).toBeGreaterThanOrEqual(result.world.commands);
    expect(result.world.audit.violations).toEqual([]);
  });

  it('keeps every invariant through the 13:00–13:15 crash with a crowd, auditing every command', () => {
    const result = runScenario(scenario({
      seed: 11, data: { file: MAY19, window: { start: '2021-05-19T12:55:00Z', end: '2021-05-19T13:15:00Z' } },
      audit: { every: 1 },
      agents: [...makers,
        { type: 'noise', count: 10, capitalUsdt: [1_000, 20_000] },
        { type: 'momentum', count: 10, capitalUsdt: [1_000, 20_000] },
        { type: 'meanReversion', count: 10, capitalUsdt: [1_000, 20_000] },
        { type: 'retail', count: 60, capitalUsdt: [100, 10_000], params: { meanEntryIntervalSec: [30, 300] } }],
      accounts: [{ name: 'scalper', capitalUsdt: 500, agent: { type: 'scalper' } }],
    }), { auditEvery: 1 });
    expect(result.recorder.liquidations.length).toBeGreaterThan(5);
    expect(result.world.audit.checks).toBeGreaterThanOrEqual(result.world.commands);
    expect(result.world.audit.violations).toEqual([]);
  });

  it('gives a byte-identical event stream and report for the same seed, and a different one for another seed', () => {
    const value = {
      seed: 5, data: { file: MAY19, window: { start: '2021-05-19T13:00:00Z', end: '2021-05-19T13:06:00Z' } },
      agents: [...makers, { type: 'retail', count: 30, capitalUsdt: [100, 5_000], params: { meanEntryIntervalSec: [10, 60] } }],
      accounts: [{ name: 'scalper', capitalUsdt: 500, agent: { type: 'scalper' } }],
    };
    const a = runToDir(value, join(tmp, 'a'));
    const b = runToDir(value, join(tmp, 'b'));
    const c = runToDir(value, join(tmp, 'c'), 6);
    expect(a.result.recorder.events).toBeGreaterThan(1000);
    for (const file of ['events.ndjson', 'summary.json', 'report.html', 'equity.csv', 'liquidations.csv', 'prices.csv']) {
      expect(readFileSync(join(tmp, 'b', file)).equals(readFileSync(join(tmp, 'a', file)))).toBe(true);
    }
    expect(b.result.eventStreamSha256).toBe(a.result.eventStreamSha256);
    expect(b.result.finalStateHash).toBe(a.result.finalStateHash);
    expect(c.result.eventStreamSha256).not.toBe(a.result.eventStreamSha256);
    // events.ndjson in `all` mode holds every event of the hashed stream, one line each.
    expect(readFileSync(join(tmp, 'a', 'events.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(a.result.recorder.events);
  });
});

describe('reports', () => {
  it('writes a run directory whose report contains every chart (synthetic market, no data file)', () => {
    const dir = join(tmp, 'calm');
    const { result, summary } = runToDir({
      seed: 9, data: { synthetic: { durationHours: 0.5, annualVol: 3 } },
      agents: [...makers, { type: 'retail', count: 40, capitalUsdt: [100, 2_000], params: {
        leverage: { values: [50, 100, 125], weights: [1, 1, 1] }, meanEntryIntervalSec: [10, 60], stopProbability: 0 } }],
    }, dir);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const id of REPORT_CHARTS) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!) as {
      price: { x: number[]; longLiq: (number | null)[]; shortLiq: (number | null)[] };
      liqVolume: { longs: number[]; shorts: number[] };
    };
    const markers = [...data.price.longLiq, ...data.price.shortLiq].filter((v) => v !== null).length;
    const liquidations = (summary as { liquidations: { count: number } }).liquidations.count;
    expect(liquidations).toBeGreaterThan(0);
    // One marker per minute and side (several in one minute share a marker).
    const distinct = new Set(result.recorder.liquidations.map((l) => `${Math.floor((l.atMs - result.startMs) / 60_000)}${l.side}`)).size;
    expect(markers).toBe(distinct);
    expect([...data.liqVolume.longs, ...data.liqVolume.shorts].reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
    expect(html).toContain('Traders by leverage: survived vs liquidated');
    expect(html).toContain('Liquidation rate by leverage band');
    const s = summary as { audit: { ok: boolean }; survivalByAgentType: Record<string, { agents: number }> };
    expect(s.audit.ok).toBe(true);
    expect(s.survivalByAgentType['retail']!.agents).toBe(40);
    for (const file of ['summary.json', 'equity.csv', 'liquidations.csv', 'funding.csv', 'insurance.csv', 'open_interest.csv', 'agents.csv', 'run.json']) {
      expect(readFileSync(join(dir, file), 'utf8').length).toBeGreaterThan(0);
    }
    expect(readFileSync(join(dir, 'liquidations.csv'), 'utf8').trim().split('\n')).toHaveLength(liquidations + 1);
  });
});

// ---- helpers --------------------------------------------------------------------------------

interface ProbeResult {
  eventStreamSha256: string;
  probeIndex: { atMs: number; ticks: number }[];
  probeMark: { atMs: number; ticks: number }[];
}

/** Runs the scenario again, calling `probe` with the agent's liquidation price after each command. */
function runScenarioWithProbe(loaded: ReturnType<typeof scenario>, agentName: string,
  probe: (liquidationTicks: number, atMs: number) => void): ProbeResult {
  const probeIndex: { atMs: number; ticks: number }[] = [];
  const probeMark: { atMs: number; ticks: number }[] = [];
  const result = runScenario(loaded, {
    onProgress: () => undefined,
    hook: (world) => {
      world.onCommand((command, events) => {
        for (const e of events) {
          if (e.type === 'IndexPriceUpdated') probeIndex.push({ atMs: command.atMs, ticks: e.indexTicks });
          if (e.type === 'MarkPriceUpdated') probeMark.push({ atMs: e.atMs, ticks: e.markTicks });
        }
        const agent = world.agents.find((a) => a.name === agentName);
        if (agent === undefined) return;
        const position = world.engine.accountView(agent.accountId)?.positions[0];
        if (position !== undefined && position.sizeLots !== 0) probe(position.liquidationPriceTicks, command.atMs);
      });
    },
  });
  return { eventStreamSha256: result.eventStreamSha256, probeIndex, probeMark };
}

function firstIndexCrossing(points: readonly { atMs: number; ticks: number }[], liquidationTicks: number): number | undefined {
  return points.find((p) => p.ticks <= liquidationTicks)?.atMs;
}
