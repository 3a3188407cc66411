/** Small accessible building blocks: tabs, tables, status text, time formatting. */
import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

export function Tabs<T extends string>(props: { label: string; tabs: readonly { id: T; title: string }[]; active: T;
  onSelect: (id: T) => void; children: ComponentChildren }): JSX.Element {
  const base = useId();
  const onKey = (event: KeyboardEvent, index: number): void => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    event.preventDefault();
    const next = props.tabs[(index + delta + props.tabs.length) % props.tabs.length]!;
    props.onSelect(next.id);
    document.getElementById(`${base}-${next.id}`)?.focus();
  };
  return (
    <div class="tabs">
      <div role="tablist" aria-label={props.label} class="tablist">
        {props.tabs.map((tab, index) => (
          <button type="button" role="tab" id={`${base}-${tab.id}`} aria-selected={tab.id === props.active}
            aria-controls={`${base}-panel`} tabIndex={tab.id === props.active ? 0 : -1} onClick={() => props.onSelect(tab.id)}
            onKeyDown={(event) => onKey(event, index)}>{tab.title}</button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-${props.active}`} class="tabpanel">{props.children}</div>
    </div>
  );
}

export interface Column<R> {
  readonly title: string;
  readonly cell: (row: R) => ComponentChildren;
  readonly numeric?: boolean;
}

export function Table<R>(props: { caption: string; columns: readonly Column<R>[]; rows: readonly R[]; rowKey: (row: R) => string | number;
  empty: string; testId?: string }): JSX.Element {
  return (
    // Focusable so a table wider than the screen can be scrolled with the keyboard.
    <div class="table-wrap" tabIndex={0} role="region" aria-label={props.caption}>
      <table data-testid={props.testId}>
        <caption class="sr-only">{props.caption}</caption>
        <thead><tr>{props.columns.map((column) => <th scope="col" class={column.numeric === true ? 'num' : ''}>{column.title}</th>)}</tr></thead>
        <tbody>
          {props.rows.length === 0
            ? <tr><td colSpan={props.columns.length} class="empty">{props.empty}</td></tr>
            : props.rows.map((row) => (
              <tr key={props.rowKey(row)}>{props.columns.map((column) => <td class={column.numeric === true ? 'num' : ''}>{column.cell(row)}</td>)}</tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

export function time(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '—';
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function clock(ms: number): string {
  return time(ms).slice(11);
}

/** CSV text of rows (RFC 4180 quoting) and a download of it. */
export function downloadCsv(name: string, header: readonly string[], rows: readonly (readonly (string | number | boolean)[])[]): void {
  const quote = (value: string | number | boolean): string => {
    const text = String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const text = [header, ...rows].map((row) => row.map(quote).join(',')).join('\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Notice(props: { kind: 'error' | 'info'; children: ComponentChildren }): JSX.Element {
  return <p class={`notice ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>{props.children}</p>;
}
