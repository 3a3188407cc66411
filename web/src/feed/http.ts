/**
 * REST client for the UI: same-origin requests to the Binance-compatible API and the perpx extras.
 * The browser's session cookie authenticates (HttpOnly: this code never sees it); every request
 * that changes state carries the session's CSRF token. Parameters go as a form body, exactly what
 * a Binance client sends, so the server runs the same pipeline for the UI as for ccxt.
 */
export class ApiFailure extends Error {
  constructor(readonly code: number, message: string, readonly status: number) {
    super(message);
  }
}

let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export type Query = Record<string, string | number | boolean | undefined>;

function encode(params: Query): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  return search.toString();
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiFailure(-1000, `Unexpected answer (${response.status})`, response.status);
  }
  if (!response.ok) {
    const error = body as { code?: number; msg?: string };
    throw new ApiFailure(error.code ?? -1000, error.msg ?? `HTTP ${response.status}`, response.status);
  }
  return body as T;
}

export async function get<T>(path: string, params: Query = {}): Promise<T> {
  const query = encode(params);
  return parse<T>(await fetch(query === '' ? path : `${path}?${query}`, { credentials: 'same-origin' }));
}

/** POST/PUT/DELETE with a form body (Binance style) and the CSRF header. */
export async function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, params: Query = {}): Promise<T> {
  const body = encode(params);
  return parse<T>(await fetch(method === 'DELETE' && body !== '' ? `${path}?${body}` : path, {
    method, credentials: 'same-origin',
    headers: { 'x-csrf-token': csrfToken, ...(method !== 'DELETE' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(method !== 'DELETE' ? { body } : {}),
  }));
}

/** POST JSON (login and operator routes). */
export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return parse<T>(await fetch(path, {
    method, credentials: 'same-origin',
    headers: { 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  }));
}
