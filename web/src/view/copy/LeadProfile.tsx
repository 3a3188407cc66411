/**
 * A lead's public profile: its record (PnL and ROI over 7/30/90 days and all time, maximum
 * drawdown, Sharpe, win rate, AUM, followers and slots, profit share), the performance curve, the
 * past-performance warning (the API's own text), its open positions while it shares them live
 * (refreshed when its `<id>@leadTrades` stream reports a fill or a position), and the follow form.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { StreamSocket } from '../../feed/socket.js';
import { copyApi, type Portfolio, type Profile, type Windows } from '../../state/copy.js';
import { Notice, Table, time } from '../ui.js';
import { CopyPage, price, Signed, usdt, Warning } from './CopyShell.js';
import { FollowForm } from './FollowForm.js';
import { PerformanceChart } from './PerformanceChart.js';

const REFRESH_MS = 15_000;
const WINDOWS: readonly (keyof Windows)[] = ['7d', '30d', '90d', 'all'];

export function LeadProfilePage(props: { accountId: number }): JSX.Element {
  const [profile, setProfile] = useState<Profile | undefined>(undefined);
  const [portfolio, setPortfolio] = useState<Portfolio | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const load = (): void => {
      Promise.all([copyApi.profile(props.accountId), copyApi.portfolio(props.accountId)]).then(([answer, row]) => {
        if (!live) return;
        setProfile(answer);
        setPortfolio(row);
        setError('');
      }, (failure: unknown) => { if (live) setError((failure as Error).message); });
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    // The lead's fills and positions arrive here only while it shares live; each one refreshes the figures.
    const socket = new StreamSocket('/stream', { state: () => undefined, message: () => load() });
    socket.subscribe([`${props.accountId}@leadTrades`]);
    return () => { live = false; window.clearInterval(timer); socket.close(); };
  }, [props.accountId]);

  return (
    <CopyPage title={`Lead ${props.accountId}`} testId="lead-profile">
      <Warning text={profile?.warning} />
      {error !== '' && <Notice kind="error">{error}</Notice>}
      {profile !== undefined && (
        <>
          <div class="profile-grid">
            <section class="panel" aria-labelledby="record-title">
              <h2 id="record-title">Record</h2>
              <Table caption="PnL and ROI by window" testId="profile-windows" columns={[
                { title: 'Window', cell: (w: keyof Windows) => (w === 'all' ? 'All time' : w) },
                { title: 'PnL (USDT)', numeric: true, cell: (w: keyof Windows) => <Signed value={profile.pnl[w]} /> },
                { title: 'ROI', numeric: true, cell: (w: keyof Windows) => <Signed value={profile.roi[w]} suffix="%" /> }]}
              rows={WINDOWS} rowKey={(w) => w} empty="" />
              <dl class="kv">
                <dt>Max drawdown</dt><dd data-testid="profile-drawdown">{profile.maxDrawdown}%</dd>
                <dt>Sharpe</dt><dd>{profile.sharpe ?? '—'}</dd>
                <dt>Win rate</dt><dd>{profile.winRate === null ? '—' : `${profile.winRate}% of ${profile.closingTrades}`}</dd>
                <dt>Equity</dt><dd>{usdt(profile.equity)} USDT</dd>
                <dt>AUM</dt><dd>{usdt(profile.aum)} USDT</dd>
                <dt>Followers</dt><dd data-testid="profile-followers">{profile.followers} / {profile.slots}{profile.full ? ' (full)' : ''}</dd>
                <dt>Followers' PnL</dt><dd><Signed value={profile.followersPnl} /> USDT</dd>
                <dt>Profit share</dt><dd>{profile.profitShare}%</dd>
                <dt>As of</dt><dd class="time">{time(profile.asOf)}</dd>
              </dl>
            </section>
            <section class="panel chart-box" aria-labelledby="performance-title">
              <h2 id="performance-title">Performance (cumulative return, UTC days)</h2>
              <PerformanceChart points={profile.performance} />
            </section>
          </div>
          <section class="panel" aria-labelledby="positions-title">
            <h2 id="positions-title">Open positions {profile.liveSharing ? <span class="badge live">live</span> : null}</h2>
            {profile.positions === null
              ? <p class="muted" data-testid="positions-hidden">This lead does not share its positions live.</p>
              : <Table caption="The lead's open positions" testId="lead-positions" columns={[
                { title: 'Symbol', cell: (p: NonNullable<Profile['positions']>[number]) => `${p.symbol} ${p.marginType === 'ISOLATED' ? 'iso' : 'cross'} ${p.leverage}x` },
                { title: 'Size', numeric: true, cell: (p: NonNullable<Profile['positions']>[number]) => p.positionAmt },
                { title: 'Entry', numeric: true, cell: (p: NonNullable<Profile['positions']>[number]) => price(p.entryPrice) },
                { title: 'Mark', numeric: true, cell: (p: NonNullable<Profile['positions']>[number]) => price(p.markPrice) },
                { title: 'Liq. price', numeric: true, cell: (p: NonNullable<Profile['positions']>[number]) => (p.liquidationPrice === '0' ? 'none' : price(p.liquidationPrice)) }]}
              rows={profile.positions} rowKey={(p) => p.symbol} empty="No open positions." />}
          </section>
          {portfolio !== undefined && <FollowForm lead={portfolio} onFollowed={() => undefined} />}
        </>
      )}
    </CopyPage>
  );
}
