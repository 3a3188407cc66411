import { render } from 'preact';
import './styles.css';
import { loadSymbols } from './state/market.js';
import { loadSession } from './state/session.js';
import { App } from './view/App.js';
import { installRouter } from './view/router.js';

installRouter();
void loadSession();
// Instruments load beside the session check, not after it.
void loadSymbols().catch(() => undefined);
render(<App />, document.getElementById('app')!);

// Tests mount and unmount the whole app to check that nothing leaks (test/web/leak.spec.ts).
(window as unknown as { perpxRemount?: (mounted: boolean) => void }).perpxRemount = (mounted: boolean) => {
  const root = document.getElementById('app')!;
  render(mounted ? <App /> : null, root);
};
