/** What every copy-trading page shares: its sub-navigation, the past-performance warning, and figure formatting. */
import type { ComponentChildren, JSX } from 'preact';
import { dec, format, isZero } from '../../lib/decimal.js';
import { session } from '../../state/session.js';
import { path } from '../router.js';

/** Shown before the API's own text has loaded (the leaderboard has no warning field); the profile shows the API's. */
export const PAST_PERFORMANCE =
  'Past performance is not a reliable indicator of future results. Copy trading carries the risk of the lead\'s trades, '
  + 'at your own leverage: you can lose all of the money you invest.';

export function Warning(props: { text?: string }): JSX.Element {
  return <p class="notice warning" role="note" data-testid="past-performance-warning">{props.text ?? PAST_PERFORMANCE}</p>;
}

export function CopyPage(props: { title: string; testId: string; children: ComponentChildren }): JSX.Element {
  const current = path.value;
  const link = (href: string, label: string): JSX.Element => <a href={href} aria-current={current === href ? 'page' : undefined}>{label}</a>;
  return (
    <main class="page copy" data-testid={props.testId}>
      <nav class="subnav" aria-label="Copy trading">
        {link('/copy', 'Leaderboard')}
        {/* The operator has no account of its own to copy or lead with. */}
        {session.value?.kind === 'account' && <>{link('/copy/following', 'Following')}{link('/copy/portfolio', 'My portfolio')}</>}
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </main>
  );
}

/** USDT with 2 decimals, grouped. */
export function usdt(text: string): string {
  return format(text, 2, true);
}

/** A signed figure coloured by its sign. */
export function Signed(props: { value: string | null; suffix?: string; decimals?: number }): JSX.Element {
  if (props.value === null) return <span class="muted">—</span>;
  const value = dec(props.value);
  const sign = isZero(value) ? '' : props.value.startsWith('-') ? 'down' : 'up';
  return <span class={sign}>{format(value, props.decimals ?? 2, true)}{props.suffix ?? ''}</span>;
}

/** A positive whole-number account id from text, or undefined. */
export function accountIdOf(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || !/^[1-9]\d{0,14}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** A price as the API wrote it, without trailing zeros after the first decimal (exact: nothing is rounded). */
export function price(text: string): string {
  return text.includes('.') ? text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0') : text;
}
