/** Who is logged in (from GET /perpx/v1/session), as a signal the whole UI reads. */
import { signal } from '@preact/signals';
import { get, sendJson, setCsrfToken } from '../feed/http.js';

export interface SessionInfo {
  readonly kind: 'account' | 'operator';
  readonly accountId?: number;
  readonly permissions?: string[];
  readonly priceSource: string;
  readonly csrfToken: string;
}

export const session = signal<SessionInfo | null | undefined>(undefined);

export async function loadSession(): Promise<void> {
  try {
    const info = await get<SessionInfo>('/perpx/v1/session');
    setCsrfToken(info.csrfToken);
    session.value = info;
  } catch {
    session.value = null;
  }
}

export async function login(body: { apiKey: string; apiSecret: string } | { adminToken: string }): Promise<SessionInfo> {
  const info = await sendJson<SessionInfo>('POST', '/perpx/v1/session', body);
  setCsrfToken(info.csrfToken);
  session.value = info;
  return info;
}

export async function logout(): Promise<void> {
  try {
    await sendJson('DELETE', '/perpx/v1/session');
  } finally {
    setCsrfToken('');
    session.value = null;
  }
}
