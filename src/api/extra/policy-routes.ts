/**
 * @module api/extra/policy-routes
 * The account's side of the policy gate (docs/MECHANICS.md "The policy gate"):
 * - `GET /perpx/v1/standing` (USER_DATA): the standing the engine applies now (status, leverage
 *   cap, jurisdiction, cool-off, and the rules behind them), so a refused order can be explained;
 * - `POST /perpx/v1/coolOff` (TRADE, `hours` 1–2160): a self-imposed trading lock, only while flat
 *   and without orders, irreversible until it ends (Binance's "cool-off period");
 * - `GET /perpx/v1/quiz`, `POST /perpx/v1/quiz` (`answers`: `id:choice,…`): the appropriateness
 *   test (P8); a pass is journaled as the APPROPRIATENESS acknowledgement;
 * - `POST /perpx/v1/highLeverage/acknowledge` (TRADE): the account acknowledges high-leverage risk
 *   (P12); the order form shows the liquidation-price preview (`/perpx/v1/order/preview`) first;
 * - `POST /perpx/v1/subAccount/transfer` (TRADE, `fromAccountId`, `toAccountId`, `amount`): money
 *   within the caller's own hierarchy (a master between itself and its sub-accounts; a
 *   sub-account to its master). The engine enforces who may move what, so a replay does too.
 */
import { QUOTE_DECIMALS, type StandingView } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { money } from '../format.js';
import { registerRoute, type RouteHost } from '../rest/route.js';
import { gradeQuiz, quizForClients } from './quiz.js';
import { submit, throwIfRejected } from '../rest/submit.js';

const HOUR_MS = 3_600_000;
/** `id:choice` pairs, at most one per question. */
const ANSWERS_RE = /^[a-z-]{1,16}:\d(,[a-z-]{1,16}:\d){0,9}$/;
/** Binance offers cool-offs of up to 90 days. */
export const MAX_COOL_OFF_HOURS = 90 * 24;

export function standingJson(view: StandingView): Record<string, unknown> {
  return {
    accountId: view.accountId, parentAccountId: view.parentAccountId, status: view.status, ownStatus: view.ownStatus,
    leverageCap: view.leverageCap, jurisdiction: view.jurisdiction, coolOffUntil: view.coolOffUntilMs,
    source: view.source, jurisdictionSource: view.jurisdictionSource, appropriatenessAt: view.appropriatenessAt,
    highLeverageAcknowledgedAt: view.highLeverageAcknowledgedAt,
  };
}

export function registerPolicyRoutes(routes: RouteHost, ctx: ApiContext): void {
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/standing'], security: 'USER_DATA', weight: 1,
    handler: ({ accountId }) => {
      const view = ctx.engine.accountStanding(accountId);
      if (view === undefined) throw E.unknown();
      return standingJson(view);
    },
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/coolOff'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const hours = params.uint('hours', { required: true, min: 1, max: MAX_COOL_OFF_HOURS });
      const outcome = await submit(ctx, { type: 'StartCoolOff', accountId, untilMs: ctx.now() + hours * HOUR_MS });
      throwIfRejected(outcome);
      const event = outcome.events.find((candidate) => candidate.type === 'AccountPolicyChanged');
      return { accountId, coolOffUntil: event?.type === 'AccountPolicyChanged' ? event.coolOffUntilMs : 0 };
    },
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/quiz'], security: 'USER_DATA', weight: 1,
    handler: ({ accountId }) => ({ questions: quizForClients(), passed: ctx.engine.accountStanding(accountId)?.appropriatenessAt !== 0 }),
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/quiz'], security: 'TRADE', weight: 5,
    handler: async ({ params, accountId }) => {
      const answers = new Map<string, number>();
      const text = params.string('answers', ANSWERS_RE, true);
      for (const pair of text.split(',')) {
        const [id, choice] = pair.split(':') as [string, string];
        answers.set(id, Number(choice));
      }
      const wrong = gradeQuiz(answers);
      if (wrong.length > 0) return { passed: false, wrong };
      throwIfRejected(await submit(ctx, { type: 'RecordAcknowledgement', accountId, kind: 'APPROPRIATENESS' }));
      return { passed: true, wrong };
    },
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/highLeverage/acknowledge'], security: 'TRADE', weight: 1,
    handler: async ({ accountId }) => {
      throwIfRejected(await submit(ctx, { type: 'RecordAcknowledgement', accountId, kind: 'HIGH_LEVERAGE' }));
      return { acknowledged: true };
    },
  });
  registerRoute(routes, ctx, {
    method: 'POST', paths: ['/perpx/v1/subAccount/transfer'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const fromAccountId = params.uint('fromAccountId', { required: true, min: 1 });
      const toAccountId = params.uint('toAccountId', { required: true, min: 1 });
      const amountE8 = params.scaled('amount', QUOTE_DECIMALS, { required: true })!;
      if (amountE8 <= 0n) throw E.illegalValue('amount', 'must be positive');
      const outcome = await submit(ctx, { type: 'SubAccountTransfer', byAccountId: accountId, fromAccountId, toAccountId, amountE8 });
      throwIfRejected(outcome);
      return { fromAccountId, toAccountId, asset: 'USDT', amount: money(amountE8), ok: true };
    },
  });
}
