/**
 * The copy-trading leaderboard: every open lead portfolio ranked by the API (30-day ROI, 30-day PnL,
 * maximum drawdown, AUM or followers' PnL: the column headers are sort buttons), with followers and
 * slots, profit share and the past-performance warning, always visible above the table.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { copyApi, type LeaderboardRow, type LeaderboardSort } from '../../state/copy.js';
import { Notice } from '../ui.js';
import { CopyPage, Signed, usdt, Warning } from './CopyShell.js';

const REFRESH_MS = 10_000;

interface SortColumn { readonly sort: LeaderboardSort; readonly title: string; readonly order: string }

const SORTABLE: Readonly<Record<string, SortColumn>> = {
  roi: { sort: 'roi30', title: 'ROI 30d', order: 'highest first' },
  pnl: { sort: 'pnl30', title: 'PnL 30d (USDT)', order: 'highest first' },
  drawdown: { sort: 'drawdown', title: 'Max drawdown', order: 'lowest first' },
  aum: { sort: 'aum', title: 'AUM (USDT)', order: 'highest first' },
  copierPnl: { sort: 'copierPnl', title: "Followers' PnL (USDT)", order: 'highest first' },
};

export function LeaderboardPage(): JSX.Element {
  const [sort, setSort] = useState<LeaderboardSort>('roi30');
  const [hideFull, setHideFull] = useState(false);
  const [rows, setRows] = useState<LeaderboardRow[] | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const load = (): void => {
      copyApi.leaderboard(sort, hideFull).then((answer) => { if (live) { setRows(answer); setError(''); } },
        (failure: unknown) => { if (live) setError((failure as Error).message); });
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => { live = false; window.clearInterval(timer); };
  }, [sort, hideFull]);

  const header = (key: string): JSX.Element => {
    const column = SORTABLE[key]!;
    const active = column.sort === sort;
    return (
      <th scope="col" class="num" aria-sort={active ? (column.sort === 'drawdown' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" class={`sort${active ? ' on' : ''}`} onClick={() => setSort(column.sort)}
          aria-label={`Sort by ${column.title}, ${column.order}`}>{column.title}{active ? (column.sort === 'drawdown' ? ' ▲' : ' ▼') : ''}</button>
      </th>
    );
  };
  return (
    <CopyPage title="Copy trading: leaderboard" testId="leaderboard-page">
      <Warning />
      <div class="toolbar">
        <label class="check"><input type="checkbox" checked={hideFull} onChange={(event) => setHideFull(event.currentTarget.checked)} />
          Hide portfolios with no free slot</label>
      </div>
      {error !== '' && <Notice kind="error">{error}</Notice>}
      <div class="table-wrap" tabIndex={0} role="region" aria-label="Lead portfolios">
        <table data-testid="leaderboard" data-sort={sort}>
          <caption class="sr-only">Lead portfolios ranked</caption>
          <thead>
            <tr>
              <th scope="col" class="num">#</th><th scope="col">Lead</th>
              {header('roi')}{header('pnl')}{header('drawdown')}
              <th scope="col" class="num">Followers / slots</th>
              {header('aum')}{header('copierPnl')}
              <th scope="col" class="num">Profit share</th>
            </tr>
          </thead>
          <tbody>
            {rows === undefined || rows.length === 0
              ? <tr><td colSpan={9} class="empty">{rows === undefined ? 'Loading…' : 'No open lead portfolios yet.'}</td></tr>
              : rows.map((row) => (
                <tr key={row.accountId} data-lead={row.accountId}>
                  <td class="num">{row.rank}</td>
                  <td><a href={`/copy/lead/${row.accountId}`}>Lead {row.accountId}</a>{row.full && <span class="badge"> full</span>}</td>
                  <td class="num"><Signed value={row.roi30} suffix="%" /></td>
                  <td class="num"><Signed value={row.pnl30} /></td>
                  <td class="num">{row.maxDrawdown}%</td>
                  <td class="num">{row.followers} / {row.slots}</td>
                  <td class="num">{usdt(row.aum)}</td>
                  <td class="num"><Signed value={row.followersPnl} /></td>
                  <td class="num">{row.profitShare}%</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <p class="muted small">ROI and PnL: the last 30 days, deposits and withdrawals left out. Max drawdown: the largest fall of the
        lead's daily equity index. AUM: the followers' equity. Followers' PnL: what the followers made in all.</p>
    </CopyPage>
  );
}
