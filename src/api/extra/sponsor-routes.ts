/**
 * @module api/extra/sponsor-routes
 * Sponsored accounts over the API (docs/api.md "Sub-accounts and sponsored accounts"; the rules are
 * the engine's, docs/MECHANICS.md "Sponsored accounts"):
 * - `POST /perpx/v1/sponsor` (TRADE, the sponsor): funds one of its sub-accounts for a trader;
 * - `POST /perpx/v1/sponsor/end` (TRADE, the sponsor): ends it (close-out, split, the rest back);
 * - `GET /perpx/v1/sponsorships` (USER_DATA): the live sponsorships the caller sponsors or trades;
 * - `POST /perpx/v1/sponsored/apiKey` (TRADE, the trader): a key for the sponsored account, held by
 *   the trader. Keys follow the sponsorship (sponsor-keys.ts): when it starts, every other key of
 *   the account is revoked (the sponsor cannot trade the trader's account); when it settles, the
 *   trader's keys are revoked.
 * The engine refuses what is not allowed (-9030..-9035) the same on replay; these routes only add
 * who may ask.
 */
import type { SponsorshipView } from '../../core/index.js';
import { QUOTE_DECIMALS } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { money } from '../format.js';
import type { Params } from '../params.js';
import { registerRoute, type RouteHost } from '../rest/route.js';
import { submit, throwIfRejected } from '../rest/submit.js';
import { percent, PERCENT_DECIMALS } from './copy-access.js';
import { createKey, newKeyJson } from './sub-account-routes.js';

/** Every live sponsorship is walked for the list (the engine bounds them: maxSponsoredAccounts). */
const LIST_WEIGHT = 10;
const HUNDRED_PERCENT_BPS = 10_000n;

export function sponsorshipJson(view: SponsorshipView): Record<string, unknown> {
  return {
    accountId: view.accountId, sponsorAccountId: view.sponsorAccountId, traderAccountId: view.traderAccountId,
    status: view.status, reason: view.reason, initialBalance: money(view.initialE8), traderShare: percent(view.traderShareBps),
    dailyLoss: percent(view.dailyLossBps), staticLoss: percent(view.staticLossBps), trailingLoss: percent(view.trailingLossBps),
    dayStartEquity: money(view.dayStartE8), highWaterEquity: money(view.highWaterE8), equity: money(view.equityE8),
    limits: view.limits.map((limit) => ({ limit: limit.limit, base: money(limit.baseE8), threshold: money(limit.thresholdE8) })),
  };
}

/** A percent with ≤ 2 decimals in 0–100 as basis points (0 when absent). */
function percentBps(params: Params, name: string): number {
  const bps = params.scaled(name, PERCENT_DECIMALS) ?? 0n;
  if (bps < 0n || bps > HUNDRED_PERCENT_BPS) throw E.illegalValue(name, 'between 0 and 100 percent');
  return Number(bps);
}

function liveView(ctx: ApiContext, accountId: number): Record<string, unknown> | { accountId: number; status: 'SETTLED' } {
  const view = ctx.engine.sponsorship(accountId);
  return view === undefined ? { accountId, status: 'SETTLED' } : sponsorshipJson(view);
}

export function registerSponsorRoutes(routes: RouteHost, ctx: ApiContext): void {
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/sponsor'], security: 'TRADE', weight: 5,
    handler: async ({ params, accountId: sponsorAccountId }) => {
      const accountId = params.uint('accountId', { required: true, min: 1 });
      const traderAccountId = params.uint('traderAccountId', { required: true, min: 1 });
      const amountE8 = params.scaled('amount', QUOTE_DECIMALS, { required: true })!;
      if (amountE8 <= 0n) throw E.illegalValue('amount', 'must be positive');
      const outcome = await submit(ctx, {
        type: 'SponsorAccount', sponsorAccountId, accountId, traderAccountId, amountE8,
        traderShareBps: percentBps(params, 'traderShare'), dailyLossBps: percentBps(params, 'dailyLoss'),
        staticLossBps: percentBps(params, 'staticLoss'), trailingLossBps: percentBps(params, 'trailingLoss'),
      });
      throwIfRejected(outcome);
      return liveView(ctx, accountId);
    },
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/sponsor/end'], security: 'TRADE', weight: 5,
    handler: async ({ params, accountId: sponsorAccountId }) => {
      const accountId = params.uint('accountId', { required: true, min: 1 });
      const outcome = await submit(ctx, { type: 'EndSponsorship', sponsorAccountId, accountId });
      throwIfRejected(outcome);
      return liveView(ctx, accountId);
    },
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/sponsorships'], security: 'USER_DATA', weight: LIST_WEIGHT,
    handler: ({ accountId: callerId }) => ctx.engine.sponsorships()
      .filter((view) => view.sponsorAccountId === callerId || view.traderAccountId === callerId)
      .map(sponsorshipJson),
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/sponsored/apiKey'], security: 'TRADE', weight: 5,
    handler: ({ params, accountId: callerId }) => {
      const accountId = params.uint('accountId', { required: true, min: 1 });
      const view = ctx.engine.sponsorship(accountId);
      // Not sponsored, not yours, or no longer trading: one answer, so accounts cannot be probed.
      if (view === undefined || view.traderAccountId !== callerId || view.status !== 'ACTIVE') throw E.unauthorized();
      return newKeyJson(createKey(ctx, accountId, ['read', 'trade'], callerId));
    },
  });
}
