/**
 * @module api/signed-client
 * A small client of the signed account API (`/fapi`, `/perpx/v1`), for the CLI: Binance's request
 * signing (HMAC-SHA256 of the query string with the key's secret, `timestamp` and `signature` last),
 * JSON answers, and SignedApiError with the server's {code,msg} on any non-2xx answer.
 */
import { createHmac } from 'node:crypto';

export interface SignedClientOptions {
  /** Server root, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** Both absent: public requests only. */
  readonly apiKey?: string;
  readonly apiSecret?: string;
}

export class SignedApiError extends Error {
  constructor(readonly status: number, readonly code: number, msg: string) {
    super(`${msg} (code ${code}, HTTP ${status})`);
  }
}

export type ParamValue = string | number | boolean;

export class SignedClient {
  constructor(private readonly options: SignedClientOptions) {}

  /** A signed request: every parameter in the query string, as the binance SDK sends them. */
  signed<T>(method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, ParamValue | undefined> = {}): Promise<T> {
    const { apiKey, apiSecret } = this.options;
    if (apiKey === undefined || apiSecret === undefined) throw new Error('an API key and secret are needed (--key/--secret or $PERPX_API_KEY/$PERPX_API_SECRET)');
    const query = queryOf(params);
    query.set('timestamp', String(Date.now()));
    const payload = query.toString();
    const signature = createHmac('sha256', apiSecret).update(payload).digest('hex');
    return this.send(method, `${path}?${payload}&signature=${signature}`, { 'X-MBX-APIKEY': apiKey });
  }

  public<T>(path: string, params: Record<string, ParamValue | undefined> = {}): Promise<T> {
    const query = queryOf(params).toString();
    return this.send('GET', query === '' ? path : `${path}?${query}`, {});
  }

  private async send<T>(method: string, pathAndQuery: string, headers: Record<string, string>): Promise<T> {
    const response = await fetch(`${this.options.url.replace(/\/$/, '')}${pathAndQuery}`, { method, headers });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SignedApiError(response.status, -1000, `non-JSON answer: ${text.slice(0, 200)}`);
    }
    if (!response.ok) {
      const error = json as { code?: number; msg?: string };
      throw new SignedApiError(response.status, error.code ?? -1000, error.msg ?? 'request failed');
    }
    return json as T;
  }
}

function queryOf(params: Record<string, ParamValue | undefined>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  return query;
}
