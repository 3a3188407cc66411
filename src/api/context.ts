/**
 * @module api/context
 * Everything a route needs, built once by startServer: the venue (the only way to change state),
 * the engine (read-only queries), read models, key store, guards and the WebSocket hub.
 */
import type { Engine, Instrument } from '../core/index.js';
import type { Venue } from '../venue/venue.js';
import type { VenueClock } from '../venue/venue-clock.js';
import type { ClientBans } from './auth/client-bans.js';
import type { CopySharing } from './extra/copy-sharing.js';
import type { KeyStore } from './auth/keys.js';
import type { RateLimiter } from './auth/rate-limit.js';
import type { ReplayGuard } from './auth/replay.js';
import { E } from './errors.js';
import type { KlineModel } from './read-models/klines.js';
import type { MarketModel } from './read-models/market.js';
import type { AdlRanking } from './read-models/position-figures.js';
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
  /** ADL quantiles of open positions (re-ranked lazily). */
  readonly adl: AdlRanking;
  readonly keys: KeyStore;
  readonly replay: ReplayGuard;
  readonly limiter: RateLimiter;
  readonly bans: ClientBans;
  readonly listenKeys: ListenKeys;
  /** Lead portfolios that opted in to live sharing (presentation, not engine state). */
  readonly copySharing: CopySharing;
  /** Browser sessions (web UI login), an alternative to HMAC keys for the same routes. */
  readonly sessions: SessionStore;
  readonly adminToken: string;
  readonly priceSource: PriceSource;
  /** Wall clock: request timestamps, recvWindow, rate limits, serverTime. */
  readonly now: () => number;
  /** The venue clock when the server runs one (operator clock routes). */
  readonly clock: VenueClock | undefined;
  /** Venue time (the clock commands are stamped with; ahead of the wall after `perpx clock --advance`): candles and statistics. */
  readonly venueNow: () => number;
}

export function instrumentOf(ctx: ApiContext, symbol: string): Instrument {
  const instrument = ctx.instruments.get(symbol);
  if (instrument === undefined) throw E.badSymbol();
  return instrument;
}
