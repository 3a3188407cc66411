/**
 * Scenario files: the shipped ones validate and resolve; mistakes are reported by field.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgents } from '../../src/sim/agents/factory.js';
import { loadScenarioFile, parseScenario, resolveData, scenarioInstrument, ScenarioError } from '../../src/sim/scenario/load.js';
import { DATA_DIR, hasData } from './support.js';

const SCENARIOS = join(import.meta.dirname, '../../scenarios');

function problems(value: unknown): string[] {
  try {
    parseScenario(value, 's.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return [...(error as ScenarioError).problems];
  }
  return [];
}

describe('scenario files', () => {
  const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml') || f.endsWith('.json'));

  it('ships the six scenarios', () => {
    expect(files.sort()).toEqual(['2020-03-12-btc.yaml', '2021-05-19-btc.yaml', '2021-05-19-eth.yaml',
      '2025-04-drawdown-btc.yaml', '2025-10-10-btc.yaml', 'calm-synthetic.yaml']);
  });

  it('names the field of a bad fault, warm-up or comparison', () => {
    const base = { name: 'x', data: { file: 'a.csv' } };
    expect(problems({ ...base, faults: [{ type: 'outage', start: 'soon', end: '2021-05-19T13:00:00Z' }] }))
      .toContain('faults[0].start: not an ISO-8601 date-time');
    expect(problems({ ...base, faults: [{ type: 'drain', start: 0, end: 1, side: 'UP' }] }).join()).toMatch(/^faults\[0\]\.side:/);
    expect(problems({ ...base, warmup: { from: '2021-05-17T00:00:00Z', stepMs: 10 } }).join()).toMatch(/^warmup\.stepMs:/);
    expect(problems({ ...base, compare: { perp: 'p.csv' } })).toContain('compare.crashWindow: Invalid input: expected object, received undefined');
    expect(problems({ ...base, agents: [{ type: 'builder', capitalUsdt: 100, from: 'later' }] }).join()).toMatch(/^agents\[0\]\.from:/);
  });

  it.each(files)('%s validates and builds its agents', (file) => {
    const loaded = loadScenarioFile(join(SCENARIOS, file));
    const instrument = scenarioInstrument(loaded.spec);
    const agents = createAgents(loaded.spec, instrument);
    expect(agents.length).toBeGreaterThan(3);
    expect(new Set(agents.map((a) => a.name)).size).toBe(agents.length);
    const dataFiles = loaded.spec.data.file === undefined ? [] : [loaded.spec.data.file].flat();
    if (dataFiles.every((dataFile) => hasData(dataFile))) {
      const data = resolveData(loaded, instrument);
      expect(data.candles.length).toBeGreaterThan(100);
    }
  });

  it('names the field of every mistake', () => {
    expect(problems({ name: 'x' })).toContain('data: Invalid input: expected object, received undefined');
    const p = problems({
      name: 'x', seed: -1, data: { file: 'a.csv', synthetic: {} }, path: { stepMs: 10 },
      agents: [{ type: 'retail', capitalUsdt: 100, params: { leverage: { values: [200], weights: [1] } } },
        { type: 'wizard', capitalUsdt: 1 }, { type: 'noise', capitalUsdt: [10, 1], extra: 1 }],
    });
    const text = p.join('\n');
    expect(text).toMatch(/^seed: /m);
    expect(text).toMatch(/^data: give exactly one of data\.file or data\.synthetic/m);
    expect(text).toMatch(/^path\.stepMs: /m);
    expect(text).toMatch(/^agents\[0\]\.params\.leverage\.values\[0\]: /m);
    expect(text).toMatch(/^agents\[1\]\.type: /m);
    expect(text).toMatch(/^agents\[2\]: Unrecognized key: "extra"/m);
    expect(text).toMatch(/^agents\[2\]\.capitalUsdt/m);
  });

  it('rejects instrument overrides the engine would not accept, naming engine.instrument', () => {
    const spec = parseScenario({ name: 'x', data: { synthetic: {} }, engine: { instrument: { makerFeeRate: '0.000000001' } } });
    expect(() => scenarioInstrument(spec)).toThrow(/engine\.instrument: .*makerFeeRate/);
  });

  it('refuses a follower whose leader is not an agent, or follows someone itself', () => {
    const spec = parseScenario({ name: 'x', data: { synthetic: {} }, agents: [
      { type: 'copyFollower', name: 'fan', capitalUsdt: 100, params: { leader: 'nobody' } }] });
    expect(() => createAgents(spec, scenarioInstrument(spec))).toThrow(/leader "nobody" is not an agent/);
  });

  it('finds data files in the data directory', () => {
    expect(DATA_DIR).toMatch(/data$/);
  });
});
