/** Login: an account's API key and secret (sent once, never stored by the page) or the operator's admin token. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiFailure } from '../feed/http.js';
import { login } from '../state/session.js';
import { navigate } from './router.js';
import { Notice, Tabs } from './ui.js';

export function LoginPage(): JSX.Element {
  const [mode, setMode] = useState<'account' | 'operator'>('account');
  const [apiKey, setApiKey] = useState('');
  const [apiSecret, setApiSecret] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const info = await login(mode === 'account' ? { apiKey: apiKey.trim(), apiSecret: apiSecret.trim() } : { adminToken: token.trim() });
      setApiSecret('');
      setToken('');
      navigate(info.kind === 'operator' ? '/risk' : '/trade/BTCUSDT');
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.message : 'Login failed.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" data-testid="login-page">
      <h1>Log in to perpx</h1>
      <Tabs label="Who logs in" tabs={[{ id: 'account', title: 'Account' }, { id: 'operator', title: 'Operator' }] as const} active={mode} onSelect={setMode}>
        <form onSubmit={(e) => void submit(e)}>
          {mode === 'account' ? (
            <>
              <p class="muted">Use your account's API key and secret. The secret is checked once; the browser then holds only a session cookie it cannot read.</p>
              <label class="field"><span>API key</span><input name="apiKey" autoComplete="username" value={apiKey} onInput={(e) => setApiKey(e.currentTarget.value)} required /></label>
              <label class="field"><span>API secret</span><input name="apiSecret" type="password" autoComplete="current-password" value={apiSecret}
                onInput={(e) => setApiSecret(e.currentTarget.value)} required /></label>
            </>
          ) : (
            <>
              <p class="muted">The operator's admin token (printed by <code>perpx serve</code>, or in <code>&lt;data-dir&gt;/admin-token</code>).</p>
              <label class="field"><span>Admin token</span><input name="adminToken" type="password" autoComplete="current-password" value={token}
                onInput={(e) => setToken(e.currentTarget.value)} required /></label>
            </>
          )}
          <button type="submit" class="primary" disabled={busy}>Log in</button>
          {error !== '' && <Notice kind="error">{error}</Notice>}
        </form>
      </Tabs>
    </main>
  );
}
