/**
 * @module api
 * The Binance-compatible API server (REST under /fapi, WebSocket streams, operator API under
 * /admin/v1) in front of a Venue. See docs/api.md.
 */
export { defaultServerLimits, startServer, type RunningServer, type ServerLimits, type ServerOptions } from './server.js';
export { DEFAULT_RATE_LIMITS, type RateLimits } from './auth/rate-limit.js';
export { sign } from './auth/hmac.js';
export { AdminClient, type AdminClientOptions } from './admin-client.js';
