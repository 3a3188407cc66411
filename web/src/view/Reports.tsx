/** The simulator's reports (report.html of runs in <data-dir>/runs), listed and shown in a sandboxed frame. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from '../feed/http.js';
import { Notice, Table, time } from './ui.js';

interface Run { name: string; modified: number; bytes: number; url: string }

export function ReportsPage(props: { name?: string }): JSX.Element {
  const [runs, setRuns] = useState<Run[] | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => { get<Run[]>('/perpx/v1/reports').then(setRuns, (failure: unknown) => setError((failure as Error).message)); }, []);
  const open = runs?.find((run) => run.name === props.name);
  return (
    <main class="page reports" data-testid="reports-page">
      <h1>Simulator reports</h1>
      <p class="muted">Runs written with <code>perpx sim &lt;scenario&gt; --out &lt;data-dir&gt;/runs/&lt;name&gt;</code>.</p>
      {error !== '' && <Notice kind="error">{error}</Notice>}
      <Table caption="Simulator runs" columns={[
        { title: 'Run', cell: (r: Run) => <a href={`/reports/${r.name}`}>{r.name}</a> }, { title: 'Written', cell: (r: Run) => time(r.modified) },
        { title: 'Size', numeric: true, cell: (r: Run) => `${Math.ceil(r.bytes / 1024)} KB` },
        { title: 'Open', cell: (r: Run) => <a href={r.url} target="_blank" rel="noopener">in a new tab</a> }]}
      rows={runs ?? []} rowKey={(r) => r.name} empty={runs === undefined ? 'Loading…' : 'No runs in the data directory.'} />
      {open !== undefined && <iframe class="report-frame" title={`Simulator report ${open.name}`} src={open.url} sandbox="allow-scripts" />}
    </main>
  );
}
