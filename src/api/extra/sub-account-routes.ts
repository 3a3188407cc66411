/**
 * @module api/extra/sub-account-routes
 * A master's own sub-accounts (docs/api.md "Sub-accounts and sponsored accounts"):
 * - `POST /perpx/v1/subAccount` (TRADE): a new, empty sub-account of the caller (a top-level
 *   account; at most MAX_SUB_ACCOUNTS_PER_MASTER, as Binance's ceiling);
 * - `GET /perpx/v1/subAccounts` (USER_DATA): the caller's sub-accounts with their balances;
 * - `POST /perpx/v1/subAccount/apiKey` (TRADE): a key for one of the caller's sub-accounts (the
 *   secret is shown once), at most MAX_KEYS_PER_ACCOUNT per account; never for a sponsored account,
 *   whose keys belong to its trader (sponsor-routes.ts);
 * - `DELETE /perpx/v1/subAccount/apiKey` (TRADE): revokes a key of one of the caller's sub-accounts.
 * Money moves with the existing `POST /perpx/v1/subAccount/transfer` (policy-routes.ts).
 */
import type { ApiKeyRecord } from '../auth/keys.js';
import { API_KEY_RE, PERMISSIONS, type Permission } from '../auth/keys.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { money } from '../format.js';
import type { Params } from '../params.js';
import { registerRoute, type RouteHost } from '../rest/route.js';
import { submit, throwIfRejected } from '../rest/submit.js';
import { isOwnAccount, ownAccount } from './copy-access.js';
import { MAX_SUB_ACCOUNTS_PER_MASTER, type SubAccountIndex } from './sub-accounts.js';

/** Binance allows 30 API keys per account. */
export const MAX_KEYS_PER_ACCOUNT = 30;
const PERMISSIONS_RE = /^(read|trade)(,(read|trade))?$/;

export const SUB_ACCOUNT_ERRORS = {
  limit: (): ApiError => new ApiError(-9110, `This account already has ${MAX_SUB_ACCOUNTS_PER_MASTER} sub-accounts.`),
  notMaster: (): ApiError => new ApiError(-9111, 'A sub-account cannot have sub-accounts.'),
  keyLimit: (): ApiError => new ApiError(-9112, `This account already has ${MAX_KEYS_PER_ACCOUNT} API keys.`),
  sponsored: (): ApiError => new ApiError(-9113, "A sponsored account's keys belong to its trader."),
} as const;

/** The key as shown once, at creation. */
export function newKeyJson(key: ApiKeyRecord): Record<string, unknown> {
  return { accountId: key.accountId, apiKey: key.apiKey, apiSecret: key.secret, permissions: key.permissions };
}

/** A key for `accountId`, refused beyond the per-account limit. */
export function createKey(ctx: ApiContext, accountId: number, permissions: readonly Permission[], heldBy?: number): ApiKeyRecord {
  if (ctx.keys.countOfAccount(accountId) >= MAX_KEYS_PER_ACCOUNT) throw SUB_ACCOUNT_ERRORS.keyLimit();
  return ctx.keys.create(accountId, permissions, [], ctx.now(), heldBy);
}

/** `accountId` when it is one of the caller's sub-accounts (not the caller itself); -1002 otherwise. */
function ownSubAccount(ctx: ApiContext, callerId: number, params: Params): number {
  const accountId = ownAccount(ctx, callerId, params);
  if (accountId === callerId) throw E.unauthorized();
  return accountId;
}

function permissionsOf(params: Params): Permission[] {
  const text = params.string('permissions', PERMISSIONS_RE);
  if (text === undefined) return [...PERMISSIONS];
  return text.split(',') as Permission[];
}

function subAccountJson(ctx: ApiContext, accountId: number): Record<string, unknown> {
  const view = ctx.engine.accountView(accountId)!;
  const sponsorship = ctx.engine.sponsorship(accountId);
  return {
    accountId, walletBalance: money(view.walletBalanceE8), marginBalance: money(view.marginBalanceE8),
    availableBalance: money(view.availableE8), positions: view.positions.filter((p) => p.sizeLots !== 0).length,
    copyTrading: ctx.engine.isLeadPortfolio(accountId) ? 'LEAD' : ctx.engine.copyFollower(accountId) !== undefined ? 'FOLLOWER' : 'NONE',
    sponsored: sponsorship?.status ?? 'NONE', apiKeys: ctx.keys.countOfAccount(accountId),
  };
}

export function registerSubAccountRoutes(routes: RouteHost, ctx: ApiContext, index: SubAccountIndex): void {
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/subAccount'], security: 'TRADE', weight: 5,
    handler: async ({ accountId: callerId }) => {
      if (ctx.engine.accountStanding(callerId)?.parentAccountId !== 0) throw SUB_ACCOUNT_ERRORS.notMaster();
      if (!index.reserve(callerId)) throw SUB_ACCOUNT_ERRORS.limit();
      try {
        const outcome = await submit(ctx, { type: 'CreateAccount', parentAccountId: callerId });
        throwIfRejected(outcome);
        const created = outcome.events.find((event) => event.type === 'AccountCreated');
        if (created?.type !== 'AccountCreated') throw E.unknown();
        index.add(callerId, created.accountId);
        return subAccountJson(ctx, created.accountId);
      } finally {
        index.release(callerId);
      }
    },
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/subAccounts'], security: 'USER_DATA', weight: 5,
    handler: ({ accountId: callerId }) => index.of(callerId).map((id) => subAccountJson(ctx, id)),
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/subAccount/apiKey'], security: 'TRADE', weight: 5,
    handler: ({ params, accountId: callerId }) => {
      const accountId = ownSubAccount(ctx, callerId, params);
      const permissions = permissionsOf(params);
      if (ctx.engine.sponsorship(accountId) !== undefined) throw SUB_ACCOUNT_ERRORS.sponsored();
      return newKeyJson(createKey(ctx, accountId, permissions));
    },
  });
  registerRoute(routes, ctx, {
    method: 'DELETE', paths: ['/perpx/v1/subAccount/apiKey'], security: 'TRADE', weight: 1,
    handler: ({ params, accountId: callerId }) => {
      const apiKey = params.string('apiKey', API_KEY_RE, true);
      const record = ctx.keys.get(apiKey);
      // Someone else's key and no key at all get the same answer: keys cannot be probed.
      if (record === undefined || record.heldBy !== undefined || record.accountId === callerId
        || !isOwnAccount(ctx, callerId, record.accountId)) throw E.unauthorized();
      ctx.keys.revoke(apiKey);
      return { accountId: record.accountId, apiKey, revoked: true };
    },
  });
}
