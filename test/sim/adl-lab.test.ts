/**
 * The ADL policy lab (issue 17 §3, docs/simulator.md "ADL policies"): one crash-hour scenario with a
 * thin book and an empty fund (test/sim/fixtures/adl-lab.yaml) replayed under every policy, through
 * the engine's own ADL, and compared: each policy deleverages, the figures hold together, pro-rata
 * spreads the lots over the most accounts, and the least-profit-first policy closes less profit
 * beyond the deficit than Binance's queue. `perpx sim --adl compare` writes the same table.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ADL_POLICIES } from '../../src/core/index.js';
import type { AdlFigures } from '../../src/sim/report/adl.js';
import { adlComparisonHtml, runAdlPolicies } from '../../src/sim/run/adl-compare.js';
import { loadScenarioFile } from '../../src/sim/scenario/load.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'adl-lab.yaml');
const CLI = join(import.meta.dirname, '..', 'api', 'support', 'perpx-cli.ts');
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'perpx-adl-lab-'));

describe('ADL policy lab', () => {
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  let rows: AdlFigures[] = [];

  it('replays the same crash under every policy; each deleverages and its figures hold together', () => {
    rows = runAdlPolicies(loadScenarioFile(FIXTURE), {}, new Map());
    expect(rows.map((row) => row.policy)).toEqual([...ADL_POLICIES]);
    for (const row of rows) {
      expect(row.liquidationsWithAdl, row.policy).toBeGreaterThan(0);
      expect(row.deficitCoveredUsdt, row.policy).toBeGreaterThan(0);
      expect(row.deficitCoveredUsdt).toBeGreaterThanOrEqual(row.haircutVsMarkUsdt);
      expect(row.overshootUsdt).toBeLessThanOrEqual(row.profitClosedUsdt);
      expect(row.profitableAccountsHit).toBeLessThanOrEqual(row.accountsHit);
    }
    const by = new Map(rows.map((row) => [row.policy, row]));
    const others = rows.filter((row) => row.policy !== 'PRO_RATA').map((row) => row.accountsHit);
    expect(by.get('PRO_RATA')!.accountsHit).toBeGreaterThan(Math.max(...others));
    expect(by.get('MIN_OVERSHOOT')!.overshootUsdt).toBeLessThan(by.get('BINANCE')!.overshootUsdt);
    expect(adlComparisonHtml(rows).match(/<tr><td>/g)).toHaveLength(ADL_POLICIES.length);
  });

  it('`perpx sim --adl compare` writes the comparison into the report and adl-policies.json, the same figures', async () => {
    await run(process.execPath, ['--import', 'tsx', CLI, 'sim', FIXTURE, '--out', out, '--adl', 'compare', '--no-progress', '--events', 'none']);
    expect(JSON.parse(readFileSync(join(out, 'adl-policies.json'), 'utf8'))).toEqual(rows);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('ADL policies compared on this replay');
    await expect(run(process.execPath, ['--import', 'tsx', CLI, 'sim', FIXTURE, '--out', out, '--adl', 'fifo'])).rejects.toThrow(/--adl is one of/);
  });
});
