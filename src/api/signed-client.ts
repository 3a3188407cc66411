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
  async signed<T>(method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, ParamValue | undefined> = {}): Promise<T> {
    return parseJson<T>(...await this.sendSigned(method, path, params));
  }

  /** A signed GET whose answer is not JSON (e.g. a CSV export): the body as text; errors as for `signed`. */
  async signedText(path: string, params: Record<string, ParamValue | undefined> = {}): Promise<string> {
    const [status, text] = await this.sendSigned('GET', path, params);
    if (status >= 200 && status < 300) return text;
    return parseJson<never>(status, text);
  }

  async public<T>(path: string, params: Record<string, ParamValue | undefined> = {}): Promise<T> {
    const query = queryOf(params).toString();
    return parseJson<T>(...await this.send('GET', query === '' ? path : `${path}?${query}`, {}));
  }

  private sendSigned(method: string, path: string, params: Record<string, ParamValue | undefined>): Promise<[number, string]> {
    const { apiKey, apiSecret } = this.options;
    if (apiKey === undefined || apiSecret === undefined) throw new Error('an API key and secret are needed (--key/--secret or $PERPX_API_KEY/$PERPX_API_SECRET)');
    const query = queryOf(params);
    query.set('timestamp', String(Date.now()));
    const payload = query.toString();
    const signature = createHmac('sha256', apiSecret).update(payload).digest('hex');
    return this.send(method, `${path}?${payload}&signature=${signature}`, { 'X-MBX-APIKEY': apiKey });
  }

  /** Status and body text. */
  private async send(method: string, pathAndQuery: string, headers: Record<string, string>): Promise<[number, string]> {
    const response = await fetch(`${this.options.url.replace(/\/$/, '')}${pathAndQuery}`, { method, headers });
    return [response.status, await response.text()];
  }
}

/** The JSON answer, or SignedApiError with the server's {code,msg} on a non-2xx status. */
function parseJson<T>(status: number, text: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SignedApiError(status, -1000, `non-JSON answer: ${text.slice(0, 200)}`);
  }
  if (status < 200 || status >= 300) {
    const error = json as { code?: number; msg?: string };
    throw new SignedApiError(status, error.code ?? -1000, error.msg ?? 'request failed');
  }
  return json as T;
}

function queryOf(params: Record<string, ParamValue | undefined>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  return query;
}
