/**
 * The follower's view: every copy account of the caller (itself and its sub-accounts, from
 * /copy/following) with what it copies and how, its investment, equity and Total PnL; for the one
 * picked, its copied positions, its copy fills and its skipped copies with the reason
 * (/copy/activity); and unfollow, which closes the copy at market and sends the money home.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure } from '../../feed/http.js';
import { copyApi, SKIP_REASONS, type Activity, type CopyFill, type CopySkip, type Follower, type LeadPosition } from '../../state/copy.js';
import { Notice, Table, time } from '../ui.js';
import { CopyPage, price, Signed, usdt } from './CopyShell.js';

const REFRESH_MS = 3_000;

function ActivityPanels(props: { activity: Activity }): JSX.Element {
  const activity = props.activity;
  return (
    <>
      <Table caption={`Copied positions of account ${activity.accountId}`} testId="copy-positions" columns={[
        { title: 'Symbol', cell: (p: LeadPosition) => `${p.symbol} ${p.marginType === 'ISOLATED' ? 'iso' : 'cross'} ${p.leverage}x` },
        { title: 'Size', numeric: true, cell: (p: LeadPosition) => p.positionAmt },
        { title: 'Entry', numeric: true, cell: (p: LeadPosition) => price(p.entryPrice) },
        { title: 'Mark', numeric: true, cell: (p: LeadPosition) => price(p.markPrice) },
        { title: 'Liq. price', numeric: true, cell: (p: LeadPosition) => (p.liquidationPrice === '0' ? 'none' : price(p.liquidationPrice)) }]}
      rows={activity.positions} rowKey={(p) => p.symbol} empty="No copied positions open." />
      <h3>Copy fills</h3>
      <Table caption="Copy fills, newest first" testId="copy-fills" columns={[
        { title: 'Time', cell: (f: CopyFill) => <span class="time">{time(f.time)}</span> },
        { title: 'Symbol', cell: (f: CopyFill) => f.symbol },
        { title: 'Side', cell: (f: CopyFill) => <span class={f.side === 'BUY' ? 'up' : 'down'}>{f.side}</span> },
        { title: 'Qty', numeric: true, cell: (f: CopyFill) => f.qty },
        { title: 'Avg. price', numeric: true, cell: (f: CopyFill) => price(f.price) },
        { title: 'Fee', numeric: true, cell: (f: CopyFill) => f.fee },
        { title: 'Realized PnL', numeric: true, cell: (f: CopyFill) => <Signed value={f.realizedPnl} decimals={4} /> },
        { title: 'Lead trade', numeric: true, cell: (f: CopyFill) => String(f.causeTradeId) }]}
      rows={activity.fills} rowKey={(f) => `${f.seq}-${f.causeTradeId}`} empty="No copy fills since the server started." />
      <h3>Skipped copies</h3>
      <Table caption="Copies not made, newest first" testId="copy-skipped" columns={[
        { title: 'Time', cell: (s: CopySkip) => <span class="time">{time(s.time)}</span> },
        { title: 'Symbol', cell: (s: CopySkip) => s.symbol },
        { title: 'Side', cell: (s: CopySkip) => s.side },
        { title: 'Not copied', numeric: true, cell: (s: CopySkip) => s.qty },
        { title: 'Why', cell: (s: CopySkip) => <span title={s.reason}>{SKIP_REASONS[s.reason] ?? s.reason}</span> },
        { title: 'Lead trade', numeric: true, cell: (s: CopySkip) => String(s.causeTradeId) }]}
      rows={activity.skipped} rowKey={(s) => `${s.seq}-${s.causeTradeId}-${s.side}`} empty="Nothing skipped." />
    </>
  );
}

export function FollowingPage(): JSX.Element {
  const [rows, setRows] = useState<Follower[] | undefined>(undefined);
  const [picked, setPicked] = useState<number | undefined>(undefined);
  const [activity, setActivity] = useState<Activity | undefined>(undefined);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const [reload, setReload] = useState(0);
  const shown = picked ?? rows?.[0]?.accountId;
  useEffect(() => {
    let live = true;
    const load = (): void => {
      copyApi.following().then((answer) => { if (live) { setRows(answer); setError(''); } },
        (failure: unknown) => { if (live) setError((failure as Error).message); });
      if (shown !== undefined) copyApi.activity(shown).then((answer) => { if (live) setActivity(answer); }, () => undefined);
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => { live = false; window.clearInterval(timer); };
  }, [shown, reload]);

  const [confirming, setConfirming] = useState<Follower | undefined>(undefined);
  const unfollow = (row: Follower): void => {
    setConfirming(undefined);
    copyApi.unfollow(row.accountId).then((answer) => {
      setMessage(`Account ${answer.accountId} stopped copying: ${usdt(answer.returned)} USDT returned, ${usdt(answer.profitShare)} USDT profit share paid.`);
      setPicked(undefined);
      setActivity(undefined);
      setReload((n) => n + 1);
    }, (failure: unknown) => setError(`${failure instanceof ApiFailure ? `(${failure.code}) ` : ''}${(failure as Error).message}`));
  };

  return (
    <CopyPage title="Copy trading: following" testId="following-page">
      {error !== '' && <Notice kind="error">{error}</Notice>}
      {message !== '' && <Notice kind="info">{message}</Notice>}
      <Table caption="Your copy accounts" testId="following" columns={[
        { title: 'Copy account', cell: (r: Follower) => (
          <button type="button" class="link" aria-pressed={r.accountId === shown} onClick={() => setPicked(r.accountId)}>Account {r.accountId}</button>) },
        { title: 'Lead', cell: (r: Follower) => <a href={`/copy/lead/${r.leadAccountId}`}>Lead {r.leadAccountId}</a> },
        { title: 'Mode', cell: (r: Follower) => (r.mode === 'FIXED_RATIO' ? 'Fixed ratio' : 'Fixed amount') },
        { title: 'Amount', numeric: true, cell: (r: Follower) => usdt(r.amount) },
        { title: 'Leverage', cell: (r: Follower) => (r.leverage === 0 ? "lead's" : `${r.leverage}x`) },
        { title: 'Slippage', numeric: true, cell: (r: Follower) => `${r.slippage}%` },
        { title: 'Stop loss', numeric: true, cell: (r: Follower) => (r.stopLoss === '0.00' ? 'none' : `${r.stopLoss}%`) },
        { title: 'Invested', numeric: true, cell: (r: Follower) => usdt(r.invested) },
        { title: 'Equity', numeric: true, cell: (r: Follower) => usdt(r.equity) },
        { title: 'Total PnL', numeric: true, cell: (r: Follower) => <Signed value={r.totalPnl} /> },
        { title: 'Profit shared', numeric: true, cell: (r: Follower) => usdt(r.sharedProfit) },
        { title: '', cell: (r: Follower) => <button type="button" onClick={() => setConfirming(r)} aria-label={`Unfollow with account ${r.accountId}`}>Unfollow</button> }]}
      rows={rows ?? []} rowKey={(r) => r.accountId}
      empty={rows === undefined ? 'Loading…' : 'None of your accounts copies a lead. Pick one on the leaderboard.'} />
      {confirming !== undefined && (
        <div class="confirm" role="group" aria-label="Confirm unfollow">
          <p>Stop copying lead {confirming.leadAccountId} with account {confirming.accountId}? Its orders are cancelled, its positions closed at
            market, the profit share settled and the rest sent to its master.</p>
          <button type="button" class="primary" onClick={() => unfollow(confirming)}>Unfollow now</button>
          <button type="button" onClick={() => setConfirming(undefined)}>Keep copying</button>
        </div>
      )}
      {activity !== undefined && shown !== undefined && activity.accountId === shown && (
        <section class="panel activity" aria-labelledby="activity-title" data-testid="copy-activity">
          <h2 id="activity-title">Account {shown}: what it copies</h2>
          <ActivityPanels activity={activity} />
        </section>
      )}
    </CopyPage>
  );
}
