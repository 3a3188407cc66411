/**
 * Copy-trading contagion (operator): for every open lead portfolio, what its followers hold in it
 * (their number, equity and PnL) beside how close the lead's own positions are to liquidation (the
 * risk overview's nearest positions) and the C2/C3 alerts naming it. A lead's liquidation is
 * mirrored into each follower's copy, so the portfolios at the top are where one liquidation
 * would hit the most followers' money soonest. Which follower accounts they are is not shown:
 * the API gives a portfolio's follower list to its lead only.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../feed/http.js';
import { cmp, dec, format, mul } from '../../lib/decimal.js';
import type { Portfolio } from '../../state/copy.js';
import { Notice, Table } from '../ui.js';
import type { StoredAlert } from './Alerts.js';

interface AtRisk { accountId: number; symbol: string; positionAmt: string; leverage: number; liquidationPrice: string; distance: string; marginRatio: string }
interface Row { portfolio: Portfolio; nearest: AtRisk | undefined; alerts: number }

const REFRESH_MS = 5_000;
const RISK_ROWS = 200;
const ALERT_ROWS = 500;

export function ContagionPanel(): JSX.Element {
  const [rows, setRows] = useState<Row[] | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const load = (): void => {
      Promise.all([
        get<Portfolio[]>('/perpx/v1/copy/portfolios'),
        get<{ atRisk: AtRisk[] }>('/perpx/v1/admin/risk', { limit: RISK_ROWS }),
        get<{ alerts: StoredAlert[] }>('/admin/v1/surveillance/alerts', { code: 'C2,C3', limit: ALERT_ROWS }),
      ]).then(([portfolios, risk, alerts]) => {
        if (!live) return;
        const joined = portfolios.map((portfolio) => ({
          portfolio,
          nearest: risk.atRisk.filter((r) => r.accountId === portfolio.accountId).sort((a, b) => cmp(dec(a.distance), dec(b.distance)))[0],
          alerts: alerts.alerts.filter((a) => a.alert.accountIds.includes(portfolio.accountId)).length,
        }));
        // Leads nearest their liquidation first; then the most followers' money.
        joined.sort((a, b) => (a.nearest === undefined) !== (b.nearest === undefined) ? (a.nearest === undefined ? 1 : -1)
          : a.nearest !== undefined && b.nearest !== undefined && cmp(dec(a.nearest.distance), dec(b.nearest.distance)) !== 0
            ? cmp(dec(a.nearest.distance), dec(b.nearest.distance)) : cmp(dec(b.portfolio.aum), dec(a.portfolio.aum)));
        setRows(joined);
        setError('');
      }, (failure: unknown) => { if (live) setError((failure as Error).message); });
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => { live = false; window.clearInterval(timer); };
  }, []);
  const pct = (ratio: string): string => `${format(mul(dec(ratio), dec('100')), 2)}%`;
  return (
    <section aria-labelledby="contagion-title" data-testid="contagion">
      <h2 id="contagion-title">Copy-trading contagion</h2>
      <p class="muted small">A lead's liquidation is mirrored into its followers' copies. Leads nearest their liquidation come first; the
        lead's position is listed when it is among the {RISK_ROWS} positions nearest liquidation on the venue.</p>
      {error !== '' && <Notice kind="error">{error}</Notice>}
      <Table caption="Lead portfolios by exposure of their followers" testId="contagion-table" columns={[
        { title: 'Lead', cell: (r: Row) => <a href={`/copy/lead/${r.portfolio.accountId}`}>Lead {r.portfolio.accountId}</a> },
        { title: 'Followers', numeric: true, cell: (r: Row) => `${r.portfolio.followers} / ${r.portfolio.slots}` },
        { title: "Followers' equity (USDT)", numeric: true, cell: (r: Row) => format(r.portfolio.aum, 2, true) },
        { title: "Followers' PnL (USDT)", numeric: true, cell: (r: Row) => format(r.portfolio.followersPnl, 2, true) },
        { title: "Lead's nearest position", cell: (r: Row) => (r.nearest === undefined ? '—'
          : `${r.nearest.symbol} ${r.nearest.positionAmt} at ${r.nearest.leverage}x, liq. ${r.nearest.liquidationPrice}`) },
        { title: 'Distance to liq.', numeric: true, cell: (r: Row) => (r.nearest === undefined ? '—' : pct(r.nearest.distance)) },
        { title: 'Margin ratio', numeric: true, cell: (r: Row) => (r.nearest === undefined ? '—' : pct(r.nearest.marginRatio)) },
        { title: 'C2/C3 alerts', numeric: true, cell: (r: Row) => String(r.alerts) }]}
      rows={rows ?? []} rowKey={(r) => r.portfolio.accountId} empty={rows === undefined ? 'Loading…' : 'No open lead portfolios.'} />
    </section>
  );
}
