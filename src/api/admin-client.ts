/**
 * @module api/admin-client
 * A small client of the operator API (/admin/v1), used by the CLI subcommands and by tests. It
 * speaks JSON over fetch and throws AdminError with the server's {code,msg} on any non-2xx answer.
 */

export interface AdminClientOptions {
  /** Server root, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly token: string;
}

export class AdminError extends Error {
  constructor(readonly status: number, readonly code: number, msg: string) {
    super(`${msg} (code ${code}, HTTP ${status})`);
  }
}

export interface CreatedAccount {
  readonly accountId: number;
  readonly apiKey: string;
  readonly apiSecret: string;
}

export class AdminClient {
  constructor(private readonly options: AdminClientOptions) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.options.url.replace(/\/$/, '')}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.options.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AdminError(response.status, -1000, `non-JSON answer: ${text.slice(0, 200)}`);
    }
    if (!response.ok) {
      const error = json as { code?: number; msg?: string };
      throw new AdminError(response.status, error.code ?? -1000, error.msg ?? 'request failed');
    }
    return json as T;
  }

  createAccount(deposit: string, options: { parentAccountId?: number; permissions?: string[]; ipAllowList?: string[] } = {}):
    Promise<CreatedAccount> {
    return this.request('POST', '/accounts', { deposit, ...options });
  }

  createApiKey(accountId: number, permissions: string[] = ['read', 'trade'], ipAllowList?: string[]): Promise<CreatedAccount> {
    return this.request('POST', '/api-keys', { accountId, permissions, ...(ipAllowList === undefined ? {} : { ipAllowList }) });
  }

  deposit(accountId: number, amount: string): Promise<unknown> {
    return this.request('POST', '/deposit', { accountId, asset: 'USDT', amount });
  }

  withdraw(accountId: number, amount: string): Promise<unknown> {
    return this.request('POST', '/withdraw', { accountId, asset: 'USDT', amount });
  }

  transfer(fromAccountId: number, toAccountId: number, amount: string): Promise<unknown> {
    return this.request('POST', '/transfer', { fromAccountId, toAccountId, asset: 'USDT', amount });
  }

  fundInsurance(amount: string): Promise<unknown> {
    return this.request('POST', '/insurance', { amount });
  }

  setIndexPrice(symbol: string, price: string): Promise<unknown> {
    return this.request('POST', '/index-price', { symbol, price });
  }

  ledger(): Promise<Record<string, unknown> & { ok: boolean; violations: string[] }> {
    return this.request('GET', '/ledger');
  }

  account(accountId: number): Promise<Record<string, unknown>> {
    return this.request('GET', `/accounts/${accountId}`);
  }

  /** Venue and wall time and the clock speed; with `advanceMs` and/or `speed`, changes them first. */
  async clock(change: { advanceMs?: number; speed?: number } = {}): Promise<{ venueTime: number; wallTime: number; speed: number }> {
    return Object.keys(change).length === 0 ? this.request('GET', '/clock') : this.request('POST', '/clock', change);
  }
}
