/**
 * The simulator report with surveillance on (`perpx sim --surveil`): report.html holds the alerts
 * over the mark, the alert table and the exact liquidation heatmap, and stays byte-identical for the
 * same scenario and seed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alertReport } from '../../src/cli/commands/surveil.js';
import { runScenario } from '../../src/sim/run/batch.js';
import { writeRunDirectory } from '../../src/sim/run/output.js';
import { ALERT_SECTION_CSS, alertSectionHtml } from '../../src/surveillance/report/html.js';
import { WorldWatch } from '../../src/surveillance/replay.js';
import { scenario } from '../sim/support.js';

const tmp = mkdtempSync(join(tmpdir(), 'perpx-sim-surveil-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const VOLATILE = scenario({
  seed: 5,
  symbol: 'BTCUSDT',
  data: { synthetic: { start: '2024-01-01T00:00:00Z', durationHours: 0.5, intervalSec: 60, startPrice: 60000, annualVol: 3 } },
  path: { stepMs: 1000 },
  audit: { every: 5000 },
  report: { sampleEveryMs: 10000, equityEveryMs: 60000 },
  agents: [
    { type: 'marketMaker', name: 'mm', count: 1, capitalUsdt: 2_000_000, params: { levels: 3, levelQty: 0.2 } },
    { type: 'retail', count: 25, capitalUsdt: [100, 5000], params: { leverage: { values: [50, 100, 125], weights: [1, 1, 1] } } },
  ],
});

function reportWithSurveillance(dir: string): { html: string; alerts: number } {
  const watch = new WorldWatch();
  const result = runScenario(VOLATILE, { hook: watch.hook });
  const run = watch.run(result.instrument.symbol);
  run.host.close();
  const report = { ...alertReport(run, 'Surveillance alerts over the mark', undefined, []), notes: [] };
  writeRunDirectory(result, dir, {}, [{ title: 'Surveillance alerts', html: alertSectionHtml(report), css: ALERT_SECTION_CSS }]);
  return { html: readFileSync(join(dir, 'report.html'), 'utf8'), alerts: run.alerts.length };
}

describe('simulator report with surveillance', () => {
  it('draws the alerts over the mark and their table, the same bytes on every run', () => {
    const a = reportWithSurveillance(join(tmp, 'a'));
    const b = reportWithSurveillance(join(tmp, 'b'));
    expect(a.alerts).toBeGreaterThan(0);
    const section = a.html.slice(a.html.indexOf('<h2>Surveillance alerts</h2>'));
    expect(section).toContain('<svg');
    expect(section).toContain('Surveillance alerts over the mark');
    expect(section).toContain('<table class="alerts">');
    expect(section).toContain('MARGIN_CALL');
    expect(section).toContain('BTCUSDT: exact liquidation heatmap');
    expect(a.html).toContain('table.alerts td.n');
    expect(b.html).toBe(a.html);
  });
});
