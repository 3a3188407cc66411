/**
 * Surveillance alerts with their disposition (operator): the audit log's alerts filtered by status
 * and minimum severity (GET /admin/v1/surveillance/alerts), and for the one under review its
 * message, inputs, threshold and disposition history, with acknowledge / escalate / dismiss and a
 * note (POST …/alerts/:id/disposition: who and why are required, and kept in the audit log).
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, get, sendJson } from '../../feed/http.js';
import { Notice, Table, time } from '../ui.js';

interface Alert {
  id: string; code: string; name: string; severity: string; atMs: number; symbol: string | null; accountIds: number[]; message: string;
  inputs: Record<string, unknown>; threshold: Record<string, unknown>;
}
interface DispositionRecord { status: string; by: string; why: string; atMs: number }
export interface StoredAlert { alert: Alert; status: string; dispositions: DispositionRecord[] }

const REFRESH_MS = 3_000;
const STATUSES = ['open', 'acknowledged', 'escalated', 'dismissed', 'all'] as const;
const SEVERITIES = ['info', 'warn', 'high', 'critical'] as const;
const ACTIONS = [['acknowledged', 'Acknowledge'], ['escalated', 'Escalate'], ['dismissed', 'Dismiss']] as const;
const LIST_LIMIT = 200;

function Review(props: { stored: StoredAlert; onDone: (text: string) => void }): JSX.Element {
  const alert = props.stored.alert;
  const [by, setBy] = useState('operator');
  const [why, setWhy] = useState('');
  const [error, setError] = useState('');
  const dispose = (status: string): void => {
    setError('');
    sendJson<StoredAlert>('POST', `/admin/v1/surveillance/alerts/${encodeURIComponent(alert.id)}/disposition`, { status, by: by.trim(), why: why.trim() })
      .then((stored) => props.onDone(`${alert.id} ${stored.status}.`),
        (failure: unknown) => setError(`${failure instanceof ApiFailure ? `(${failure.code}) ` : ''}${(failure as Error).message}`));
  };
  const ready = by.trim() !== '' && why.trim() !== '';
  return (
    <section class="panel review" aria-labelledby="review-title" data-testid="alert-review">
      <h3 id="review-title">{alert.code} {alert.name} <span class={`badge sev-${alert.severity}`}>{alert.severity}</span> <code>{alert.id}</code></h3>
      <p>{alert.message}</p>
      <dl class="kv">
        <dt>Time</dt><dd class="time">{time(alert.atMs)}</dd>
        <dt>Symbol</dt><dd>{alert.symbol ?? '—'}</dd>
        <dt>Accounts</dt><dd>{alert.accountIds.join(', ') || '—'}</dd>
        <dt>Status</dt><dd data-testid="review-status">{props.stored.status}</dd>
      </dl>
      <details><summary>Inputs and threshold</summary>
        <pre class="json">{JSON.stringify({ inputs: alert.inputs, threshold: alert.threshold }, null, 2)}</pre></details>
      {props.stored.dispositions.length > 0 && (
        <ul class="history">{props.stored.dispositions.map((d) => <li><span class="time">{time(d.atMs)}</span> {d.status} by {d.by}: {d.why}</li>)}</ul>
      )}
      <form onSubmit={(event) => event.preventDefault()}>
        <div class="row wrap">
          <label class="field"><span>Your name</span><input value={by} maxLength={100} onInput={(event) => setBy(event.currentTarget.value)} /></label>
          <label class="field grow"><span>Note (required)</span>
            <input value={why} maxLength={500} onInput={(event) => setWhy(event.currentTarget.value)} placeholder="What you did or found" /></label>
        </div>
        <div class="actions">
          {ACTIONS.map(([status, label]) => <button type="button" disabled={!ready} onClick={() => dispose(status)}>{label}</button>)}
        </div>
      </form>
      {error !== '' && <Notice kind="error">{error}</Notice>}
    </section>
  );
}

export function AlertsPanel(): JSX.Element {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('open');
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>('info');
  const [rows, setRows] = useState<StoredAlert[] | undefined>(undefined);
  const [reviewing, setReviewing] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    const load = (): void => {
      get<{ alerts: StoredAlert[] }>('/admin/v1/surveillance/alerts', { limit: LIST_LIMIT, severity, ...(status === 'all' ? {} : { status }) })
        .then((answer) => { if (live) { setRows(answer.alerts); setError(''); } }, (failure: unknown) => { if (live) setError((failure as Error).message); });
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => { live = false; window.clearInterval(timer); };
  }, [status, severity, reload]);
  const under = rows?.find((row) => row.alert.id === reviewing);
  return (
    <section aria-labelledby="alerts-title" data-testid="alerts">
      <div class="panel-head">
        <h2 id="alerts-title">Alerts</h2>
        <div class="toolbar">
          <label class="inline-field">Status <select value={status} onChange={(event) => setStatus(event.currentTarget.value as typeof status)}>
            {STATUSES.map((name) => <option value={name}>{name}</option>)}</select></label>
          <label class="inline-field">At least <select value={severity} onChange={(event) => setSeverity(event.currentTarget.value as typeof severity)}>
            {SEVERITIES.map((name) => <option value={name}>{name}</option>)}</select></label>
          <a href="/admin/v1/surveillance/alerts/export?format=csv" download>Export CSV</a>
        </div>
      </div>
      {error !== '' && <Notice kind="error">{error}</Notice>}
      {message !== '' && <Notice kind="info">{message}</Notice>}
      <Table caption="Surveillance alerts, newest first" testId="alert-list" columns={[
        { title: 'Time', cell: (r: StoredAlert) => <span class="time">{time(r.alert.atMs)}</span> },
        { title: 'Alert', cell: (r: StoredAlert) => `${r.alert.code} ${r.alert.name}` },
        { title: 'Severity', cell: (r: StoredAlert) => <span class={`badge sev-${r.alert.severity}`}>{r.alert.severity}</span> },
        { title: 'Symbol', cell: (r: StoredAlert) => r.alert.symbol ?? '—' },
        { title: 'Accounts', cell: (r: StoredAlert) => r.alert.accountIds.join(', ') || '—' },
        { title: 'Message', cell: (r: StoredAlert) => <span class="clip" title={r.alert.message}>{r.alert.message}</span> },
        { title: 'Status', cell: (r: StoredAlert) => r.status },
        { title: '', cell: (r: StoredAlert) => <button type="button" aria-pressed={r.alert.id === reviewing}
          aria-label={`Review ${r.alert.code} ${r.alert.id}`} onClick={() => setReviewing(r.alert.id)}>Review</button> }]}
      rows={rows ?? []} rowKey={(r) => r.alert.id} empty={rows === undefined ? 'Loading…' : `No ${status === 'all' ? '' : `${status} `}alerts.`} />
      {under !== undefined && <Review key={under.alert.id} stored={under}
        onDone={(text) => { setMessage(text); setReviewing(undefined); setReload((n) => n + 1); }} />}
    </section>
  );
}
