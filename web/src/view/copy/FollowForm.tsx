/**
 * The follow flow: which copy account, FIXED_RATIO or FIXED_AMOUNT, the amount, leverage (the lead's
 * or a fixed 1–10x), the slippage guard, the stop loss and whether to copy open positions. The
 * lead's per-follower range (minimum and cap) is shown; the API decides (-9026 outside it) and its
 * answer is shown as is. Nothing is sent before the follower ticks that it read the warning, and
 * Enter in a field does not follow.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiFailure } from '../../feed/http.js';
import { copyApi, type Follower, type Portfolio } from '../../state/copy.js';
import { session } from '../../state/session.js';
import { Notice } from '../ui.js';
import { accountIdOf, usdt } from './CopyShell.js';

const MAX_COPY_LEVERAGE = 10;

export function FollowForm(props: { lead: Portfolio; onFollowed: (row: Follower) => void }): JSX.Element {
  const own = session.value?.accountId;
  const [account, setAccount] = useState(own === undefined ? '' : String(own));
  const [mode, setMode] = useState<'FIXED_RATIO' | 'FIXED_AMOUNT'>('FIXED_RATIO');
  const [amount, setAmount] = useState('');
  const [leverage, setLeverage] = useState('0');
  const [slippage, setSlippage] = useState('');
  const [stopLoss, setStopLoss] = useState('');
  const [copyExisting, setCopyExisting] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'error' | 'info'; text: string } | undefined>(undefined);
  const accountId = accountIdOf(account);
  const lead = props.lead;

  const follow = (): void => {
    if (accountId === undefined) return;
    setBusy(true);
    setResult(undefined);
    copyApi.follow({
      accountId, leadAccountId: lead.accountId, mode, amount: amount.trim(), leverage: Number(leverage),
      ...(slippage.trim() !== '' ? { slippage: slippage.trim() } : {}), ...(stopLoss.trim() !== '' ? { stopLoss: stopLoss.trim() } : {}),
      copyExisting,
    }).then((row) => {
      setResult({ kind: 'info', text: `Account ${row.accountId} now copies lead ${row.leadAccountId} with ${usdt(row.invested)} USDT invested.` });
      props.onFollowed(row);
    }, (failure: unknown) => {
      const code = failure instanceof ApiFailure ? ` (${failure.code})` : '';
      setResult({ kind: 'error', text: `Not followed${code}: ${(failure as Error).message}` });
    }).finally(() => setBusy(false));
  };

  return (
    <section class="panel follow" aria-labelledby="follow-title" data-testid="follow-form">
      <h2 id="follow-title">Follow lead {lead.accountId}</h2>
      <p class="muted" data-testid="copy-range">The lead accepts copy accounts holding {usdt(lead.minCopy)} to {usdt(lead.copyCap)} USDT
        (its per-follower cap); {lead.slots - lead.followers} of {lead.slots} slots are free; profit share {lead.profitShare}%.</p>
      <form onSubmit={(event) => event.preventDefault()}>
        <label class="field"><span>Copy account (a flat sub-account of yours, or this account)</span>
          <input inputMode="numeric" value={account} onInput={(event) => setAccount(event.currentTarget.value)} aria-describedby="copy-account-help" />
        </label>
        <p id="copy-account-help" class="muted small">Copying needs an account of its own: the whole account follows the lead.</p>
        <fieldset class="field">
          <legend>Mode</legend>
          <label class="check"><input type="radio" name="mode" checked={mode === 'FIXED_RATIO'} onChange={() => setMode('FIXED_RATIO')} />
            Fixed ratio: the amount is your investment, copied in proportion to the lead's equity</label>
          <label class="check"><input type="radio" name="mode" checked={mode === 'FIXED_AMOUNT'} onChange={() => setMode('FIXED_AMOUNT')} />
            Fixed amount: the amount is the margin of each copied opening</label>
        </fieldset>
        <label class="field"><span>{mode === 'FIXED_RATIO' ? 'Investment (USDT)' : 'Margin per opening (USDT)'}</span>
          <input inputMode="decimal" value={amount} onInput={(event) => setAmount(event.currentTarget.value)} />
        </label>
        <div class="row">
          <label class="field"><span>Leverage</span>
            <select value={leverage} onChange={(event) => setLeverage(event.currentTarget.value)}>
              <option value="0">The lead's leverage</option>
              {Array.from({ length: MAX_COPY_LEVERAGE }, (_, i) => <option value={String(i + 1)}>{i + 1}x fixed</option>)}
            </select>
          </label>
          <label class="field"><span>Slippage guard (%)</span>
            <input inputMode="decimal" placeholder="0.5 BTC/ETH, 1.5 others" value={slippage} onInput={(event) => setSlippage(event.currentTarget.value)} />
          </label>
          <label class="field"><span>Stop loss (% of investment)</span>
            <input inputMode="decimal" placeholder="none" value={stopLoss} onInput={(event) => setStopLoss(event.currentTarget.value)} />
          </label>
        </div>
        <label class="check"><input type="checkbox" checked={copyExisting} onChange={(event) => setCopyExisting(event.currentTarget.checked)} />
          Also copy the lead's open positions now</label>
        <label class="check warn"><input type="checkbox" checked={understood} onChange={(event) => setUnderstood(event.currentTarget.checked)} />
          I have read the warning: I can lose all of the money in the copy account.</label>
        <button type="button" class="primary" data-testid="follow-button" disabled={busy || !understood || accountId === undefined || amount.trim() === ''}
          onClick={follow}>Follow</button>
      </form>
      {result !== undefined && <Notice kind={result.kind}>{result.text}{result.kind === 'info' && <> <a href="/copy/following">See what it copies</a></>}</Notice>}
    </section>
  );
}
