/**
 * @module sim/run/adl-compare
 * The ADL policy lab (`perpx sim … --adl compare`, docs/simulator.md "ADL policies"): the same
 * scenario and seed replayed once per ADL policy. Every run is identical up to the first ADL; from
 * there the counterparties differ, and so may everything after. The figures per policy are
 * report/adl.ts's.
 */
import { ADL_POLICIES, type AdlPolicyName } from '../../core/index.js';
import { adlSummary, type AdlFigures } from '../report/adl.js';
import { adlTable, esc } from '../report/tables.js';
import { withAdlPolicy, type LoadedScenario } from '../scenario/load.js';
import { runScenario, type RunOptions } from './batch.js';

/** Runs `loaded` under each policy except those in `done` (already run, e.g. the main run), in ADL_POLICIES order. */
export function runAdlPolicies(
  loaded: LoadedScenario, options: Pick<RunOptions, 'seed' | 'auditEvery'>, done: ReadonlyMap<AdlPolicyName, AdlFigures>,
  onRun?: (policy: AdlPolicyName) => RunOptions['onProgress'] | undefined,
): AdlFigures[] {
  return ADL_POLICIES.map((policy) => {
    const known = done.get(policy);
    if (known !== undefined) return known;
    const onProgress = onRun?.(policy);
    return adlSummary(runScenario(withAdlPolicy(loaded, policy), {
      ...options, eventFile: 'none', ...(onProgress === undefined ? {} : { onProgress }),
    }));
  });
}

/** The comparison as a report section's HTML: the table and how to read it. */
export function adlComparisonHtml(rows: readonly AdlFigures[]): string {
  const least = rows.reduce((best, row) => (row.overshootUsdt < best.overshootUsdt ? row : best), rows[0]!);
  return '<p>The same replay and seed under each ADL policy. The runs are identical until the first auto-deleveraging; ' +
    'from there each policy closes against different counterparties, so later liquidations may differ too. ' +
    '<em>Deficit covered</em> is what closing at the bankruptcy price instead of the mark moved onto the counterparties; ' +
    '<em>profit closed</em> is their unrealized profit at mark on the lots closed; <em>overshoot</em> is, per liquidation, ' +
    `the profit closed beyond the deficit. Least overshoot here: <strong>${esc(least.policy)}</strong>.</p>${adlTable(rows)}`;
}
