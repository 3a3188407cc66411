/**
 * The lead's own view of a portfolio account (the caller's own account or a sub-account, named in
 * the query string as `?account=`): open a portfolio there (profit share, per-follower cap and
 * minimum, follower slots), or see it with its followers, remove a follower, switch live sharing,
 * and close it. Every step is the API's; refusals are shown with the API's code and text.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure } from '../../feed/http.js';
import { copyApi, type Follower, type Portfolio } from '../../state/copy.js';
import { session } from '../../state/session.js';
import { navigate, search } from '../router.js';
import { Notice, Table } from '../ui.js';
import { accountIdOf, CopyPage, Signed, usdt } from './CopyShell.js';

const REFRESH_MS = 5_000;
/** The engine's answer when the account leads no portfolio. */
const NO_PORTFOLIO = -9024;

const failureText = (failure: unknown): string => `${failure instanceof ApiFailure ? `(${failure.code}) ` : ''}${(failure as Error).message}`;

function OpenForm(props: { accountId: number; onOpened: () => void }): JSX.Element {
  const [profitShare, setProfitShare] = useState('10');
  const [copyCap, setCopyCap] = useState('');
  const [minCopy, setMinCopy] = useState('');
  const [maxFollowers, setMaxFollowers] = useState('');
  const [error, setError] = useState('');
  const open = (): void => {
    setError('');
    copyApi.open({ accountId: props.accountId, profitShare: profitShare.trim(), ...(copyCap.trim() !== '' ? { copyCap: copyCap.trim() } : {}),
      ...(minCopy.trim() !== '' ? { minCopy: minCopy.trim() } : {}), ...(maxFollowers.trim() !== '' ? { maxFollowers: maxFollowers.trim() } : {}) })
      .then(props.onOpened, (failure: unknown) => setError(failureText(failure)));
  };
  return (
    <section class="panel" aria-labelledby="open-title" data-testid="open-portfolio">
      <h2 id="open-title">Open a lead portfolio in account {props.accountId}</h2>
      <p class="muted">The account must be a sub-account, flat, without orders, holding at least 500 USDT. Followers copy every trade it makes.</p>
      <form onSubmit={(event) => event.preventDefault()}>
        <div class="row wrap">
          <label class="field"><span>Profit share (%, 0–30)</span>
            <input inputMode="decimal" value={profitShare} onInput={(event) => setProfitShare(event.currentTarget.value)} /></label>
          <label class="field"><span>Cap per follower (USDT)</span>
            <input inputMode="decimal" placeholder="200,000" value={copyCap} onInput={(event) => setCopyCap(event.currentTarget.value)} /></label>
          <label class="field"><span>Minimum per follower (USDT)</span>
            <input inputMode="decimal" placeholder="10" value={minCopy} onInput={(event) => setMinCopy(event.currentTarget.value)} /></label>
          <label class="field"><span>Follower slots (0–500)</span>
            <input inputMode="numeric" placeholder="by equity" value={maxFollowers} onInput={(event) => setMaxFollowers(event.currentTarget.value)} /></label>
        </div>
        <button type="button" class="primary" data-testid="open-button" onClick={open}>Open portfolio</button>
      </form>
      {error !== '' && <Notice kind="error">{error}</Notice>}
    </section>
  );
}

type Pending = { kind: 'remove'; follower: Follower } | { kind: 'close' };

export function LeadDeskPage(): JSX.Element {
  const fromQuery = accountIdOf(new URLSearchParams(search.value).get('account'));
  const accountId = fromQuery ?? session.value?.accountId;
  const [field, setField] = useState(accountId === undefined ? '' : String(accountId));
  const [portfolio, setPortfolio] = useState<Portfolio | null | undefined>(undefined);
  const [followers, setFollowers] = useState<Follower[]>([]);
  const [sharing, setSharing] = useState<boolean | undefined>(undefined);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const [pending, setPending] = useState<Pending | undefined>(undefined);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    if (accountId === undefined) return undefined;
    let live = true;
    const load = (): void => {
      copyApi.portfolio(accountId).then(async (row) => {
        const [rows, profile] = await Promise.all([copyApi.followers(accountId), copyApi.profile(accountId)]);
        if (!live) return;
        setPortfolio(row);
        setFollowers(rows);
        setSharing(profile.liveSharing);
        setError('');
      }, (failure: unknown) => {
        if (!live) return;
        if (failure instanceof ApiFailure && failure.code === NO_PORTFOLIO) setPortfolio(null);
        else setError(failureText(failure));
      });
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => { live = false; window.clearInterval(timer); };
  }, [accountId, reload]);

  const act = (promise: Promise<string>): void => {
    setPending(undefined);
    setError('');
    promise.then((text) => { setMessage(text); setReload((n) => n + 1); }, (failure: unknown) => setError(failureText(failure)));
  };
  const pick = (): void => {
    const id = accountIdOf(field);
    if (id !== undefined) navigate(`/copy/portfolio?account=${id}`);
  };

  return (
    <CopyPage title="Copy trading: my portfolio" testId="lead-desk">
      <form class="toolbar" onSubmit={(event) => { event.preventDefault(); pick(); }}>
        <label class="inline-field"><span>Portfolio account (yours or a sub-account)</span>
          <input inputMode="numeric" value={field} onInput={(event) => setField(event.currentTarget.value)} /></label>
        <button type="submit">Show</button>
      </form>
      {error !== '' && <Notice kind="error">{error}</Notice>}
      {message !== '' && <Notice kind="info">{message}</Notice>}
      {accountId !== undefined && portfolio === null && (
        <OpenForm accountId={accountId} onOpened={() => { setMessage(`Portfolio opened in account ${accountId}.`); setReload((n) => n + 1); }} />
      )}
      {accountId !== undefined && portfolio !== null && portfolio !== undefined && (
        <>
          <section class="panel" aria-labelledby="portfolio-title" data-testid="portfolio">
            <h2 id="portfolio-title">Portfolio of account {accountId} <a href={`/copy/lead/${accountId}`}>public profile</a></h2>
            <dl class="kv wide">
              <dt>Equity</dt><dd>{usdt(portfolio.equity)} USDT</dd>
              <dt>Followers</dt><dd data-testid="portfolio-followers">{portfolio.followers} / {portfolio.slots}</dd>
              <dt>AUM</dt><dd>{usdt(portfolio.aum)} USDT</dd>
              <dt>Followers' PnL</dt><dd><Signed value={portfolio.followersPnl} /> USDT</dd>
              <dt>Profit share</dt><dd>{portfolio.profitShare}%</dd>
              <dt>Per follower</dt><dd>{usdt(portfolio.minCopy)} – {usdt(portfolio.copyCap)} USDT</dd>
            </dl>
            <div class="toolbar">
              <label class="check"><input type="checkbox" checked={sharing === true} disabled={sharing === undefined}
                onChange={(event) => {
                  // Shown at once; the next load shows the API's state if the switch was refused.
                  const live = event.currentTarget.checked;
                  setSharing(live);
                  act(copyApi.share(accountId, live).then((answer) => (answer.liveSharing ? 'Positions and fills are now shared live.' : 'Live sharing is off.')));
                }} />
                Share my positions and fills live on my profile</label>
              <button type="button" onClick={() => setPending({ kind: 'close' })}>Close portfolio</button>
            </div>
          </section>
          <Table caption="Followers" testId="followers" columns={[
            { title: 'Copy account', cell: (r: Follower) => String(r.accountId) },
            { title: 'Mode', cell: (r: Follower) => (r.mode === 'FIXED_RATIO' ? 'Fixed ratio' : 'Fixed amount') },
            { title: 'Invested', numeric: true, cell: (r: Follower) => usdt(r.invested) },
            { title: 'Equity', numeric: true, cell: (r: Follower) => usdt(r.equity) },
            { title: 'Total PnL', numeric: true, cell: (r: Follower) => <Signed value={r.totalPnl} /> },
            { title: 'Profit shared', numeric: true, cell: (r: Follower) => usdt(r.sharedProfit) },
            { title: '', cell: (r: Follower) => <button type="button" aria-label={`Remove follower ${r.accountId}`}
              onClick={() => setPending({ kind: 'remove', follower: r })}>Remove</button> }]}
          rows={followers} rowKey={(r) => r.accountId} empty="No followers yet." />
        </>
      )}
      {pending !== undefined && accountId !== undefined && (
        <div class="confirm" role="group" aria-label="Confirm">
          <p>{pending.kind === 'close'
            ? 'Close the portfolio? Every follower\'s copy is closed at market, its profit share settled and its money sent to its master.'
            : `Remove follower ${pending.follower.accountId}? Its copy is closed at market, as if it had unfollowed.`}</p>
          <button type="button" class="primary" onClick={() => act(pending.kind === 'close'
            ? copyApi.close(accountId).then((answer) => `Portfolio closed; ${answer.removedFollowers.length} follower(s) removed.`)
            : copyApi.removeFollower(accountId, pending.follower.accountId)
              .then((answer) => `Follower ${answer.accountId} removed: ${usdt(answer.returned)} USDT returned to its master.`))}>
            {pending.kind === 'close' ? 'Close now' : 'Remove now'}</button>
          <button type="button" onClick={() => setPending(undefined)}>Cancel</button>
        </div>
      )}
    </CopyPage>
  );
}
