/**
 * @module api/extra/copy-access
 * What every copy-trading route shares: whose account a request may act on (copy-routes.ts's module
 * comment states the rule; the sub-account routes use the same check), the no-portfolio answer, and percentages as 2-decimal strings.
 */
import { formatScaled, REJECT } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import type { Params } from '../params.js';

/** Percent parameters carry at most 2 decimals: basis points. */
export const PERCENT_DECIMALS = 2;

export function percent(bps: number): string {
  return formatScaled(BigInt(bps), PERCENT_DECIMALS);
}

/** Whether the caller may act on or read `accountId`: itself or one of its sub-accounts. */
export function isOwnAccount(ctx: ApiContext, callerId: number, accountId: number): boolean {
  return accountId === callerId || ctx.engine.accountStanding(accountId)?.parentAccountId === callerId;
}

/** `accountId` when the caller may act on it (itself or its sub-account); -1002 otherwise. */
export function ownAccount(ctx: ApiContext, callerId: number, params: Params, name = 'accountId'): number {
  const accountId = params.uint(name, { required: true, min: 1 });
  if (isOwnAccount(ctx, callerId, accountId)) return accountId;
  throw E.unauthorized();
}

export function noPortfolio(): ApiError {
  return new ApiError(REJECT.COPY_NO_PORTFOLIO.code, REJECT.COPY_NO_PORTFOLIO.msg);
}
