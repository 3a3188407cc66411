/**
 * The replay proof on a real crash and a calm day (issue 16): surveillance watches the shipped
 * scenarios on the engine. On 2021-05-19 (10:00–14:30 of the real 1-minute candles) the first 5 %
 * 15-minute drop came at 11:31, 99 minutes before the 13:10 low: E8 must fire then (and not before), E4 must call the
 * cascade before the low, and E1 must warn accounts before it. On the calm synthetic day the market-
 * level crash alerts (E4 cascade, E7 divergence, E8 velocity, E9 fund drawdown) must stay silent.
 * docs/surveillance.md has the full-day figures (perpx surveil --scenario … --reference … --quiet …).
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, type LoadedScenario } from '../../src/sim/scenario/load.js';
import type { Alert, AlertCode } from '../../src/surveillance/alert.js';
import { surveilScenario } from '../../src/surveillance/replay.js';
import { hasData } from '../sim/support.js';

const LOW_MS = Date.parse('2021-05-19T13:10:00Z');

function firstOf(alerts: readonly Alert[], code: AlertCode): Alert | undefined {
  return alerts.find((alert) => alert.code === code);
}

function window(loaded: LoadedScenario, start: string, end: string): LoadedScenario {
  const data = loaded.spec.data as { file: string; window: { start: string; end: string } };
  return { ...loaded, spec: { ...loaded.spec, data: { ...data, window: { start, end } } } };
}

describe.runIf(hasData('btcusdt-perp-1m-2021-05-19.csv'))('2021-05-19 with surveillance on', () => {
  it('fires E8 at the first 5 % 15-minute drop (11:31), and E4 and E1 before the 13:10 low', () => {
    const loaded = window(loadScenarioFile('scenarios/2021-05-19-btc.yaml'), '2021-05-19T10:00:00Z', '2021-05-19T14:30:00Z');
    const run = surveilScenario(loaded);
    run.host.close();
    // The reference's first crossings on the real candles: 5 and 15 minutes at 11:31, 60 minutes at 12:52.
    const firstCrossing = (minutes: number): string | undefined => {
      const alert = run.alerts.find((item) => item.code === 'E8' && item.inputs['windowMinutes'] === minutes && (item.inputs['return'] as number) < 0);
      return alert === undefined ? undefined : new Date(alert.atMs).toISOString().slice(11, 16);
    };
    expect(firstCrossing(5)).toMatch(/^11:3[01]$/);
    expect(firstCrossing(15)).toMatch(/^11:3[01]$/);
    expect(firstCrossing(60)).toMatch(/^12:5[12]$/);
    // The scenario's warm-up (the days before, building open interest) has its own drops; on the day
    // itself nothing fires before 11:30.
    const onTheDay = run.alerts.filter((alert) => alert.atMs >= Date.parse('2021-05-19T10:00:00Z'));
    expect(firstOf(onTheDay, 'E8')!.atMs).toBeGreaterThanOrEqual(Date.parse('2021-05-19T11:30:00Z'));
    expect(firstOf(run.alerts, 'E4')!.atMs).toBeLessThan(LOW_MS);
    expect(run.alerts.filter((alert) => alert.code === 'E1' && alert.atMs < LOW_MS).length).toBeGreaterThan(10);
  });
});

describe('the calm synthetic day with surveillance on', () => {
  it('raises no cascade, divergence, velocity or fund-drawdown alert', () => {
    const run = surveilScenario(loadScenarioFile('scenarios/calm-synthetic.yaml'));
    run.host.close();
    expect(run.events).toBeGreaterThan(1_000_000);
    expect(run.alerts.filter((alert) => ['E4', 'E7', 'E8', 'E9'].includes(alert.code))).toEqual([]);
  });
});
