/**
 * @module api/context
 * Everything a route needs, built once by startServer: the venue (the only way to change state),
 * the engine (read-only queries), read models, key store, guards and the WebSocket hub.
 */
import type { Engine, Instrument } from '../core/index.js';
import type { Venue } from '../venue/venue.js';
import type { ClientBans } from './auth/client-bans.js';
import type { KeyStore } from './auth/keys.js';
import type { RateLimiter } from './auth/rate-limit.js';
import type { ReplayGuard } from './auth/replay.js';
import { E } from './errors.js';
import type { KlineModel } from './read-models/klines.js';
import type { MarketModel } from './read-models/market.js';
import type { ReadStore } from './read-models/store.js';
import type { SessionStore } from './web/sessions.js';
import type { ListenKeys } from './ws/listen-keys.js';

/** 'manual', 'sim' or 'replay:<csv>'. */
export type PriceSource = string;

export interface ApiContext {
  readonly venue: Venue;
  readonly engine: Engine;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly store: ReadStore;
  readonly klines: KlineModel;
  readonly market: MarketModel;
  readonly keys: KeyStore;
  readonly replay: ReplayGuard;
  readonly limiter: RateLimiter;
  readonly bans: ClientBans;
  readonly listenKeys: ListenKeys;
  /** Browser sessions (web UI login), an alternative to HMAC keys for the same routes. */
  readonly sessions: SessionStore;
  readonly adminToken: string;
  readonly priceSource: PriceSource;
  readonly now: () => number;
}

export function instrumentOf(ctx: ApiContext, symbol: string): Instrument {
  const instrument = ctx.instruments.get(symbol);
  if (instrument === undefined) throw E.badSymbol();
  return instrument;
}
