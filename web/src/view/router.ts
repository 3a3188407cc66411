/** A small client-side router on the History API; the server answers index.html for every UI route. */
import { signal } from '@preact/signals';

export const path = signal(location.pathname);
/** The query string ('?…' or ''), for pages that take one. */
export const search = signal(location.search);

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  path.value = location.pathname;
  search.value = location.search;
}

export function installRouter(): () => void {
  const onPop = (): void => { path.value = location.pathname; search.value = location.search; };
  window.addEventListener('popstate', onPop);
  return () => window.removeEventListener('popstate', onPop);
}

/** Intercepts same-origin link clicks so they route without a reload. */
export function linkClick(event: MouseEvent): void {
  const anchor = (event.target as HTMLElement).closest('a');
  if (anchor === null || anchor.target !== '' || anchor.hasAttribute('download') || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  const url = new URL(anchor.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/perpx/') || url.pathname.startsWith('/admin/')) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}
