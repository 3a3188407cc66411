/**
 * @module api/rest/admin-routes
 * The operator API under /admin/v1: JSON in and out, `Authorization: Bearer <token>` (or an operator
 * browser session, web/operator-auth.ts), decimal
 * strings for amounts and prices. Accounts (with a first API key), API keys, deposits,
 * withdrawals, transfers, insurance funding, manual index prices, account views and the ledger
 * with the auditor's verdict. Bodies are validated by zod schemas (unknown fields rejected) before
 * anything is submitted; engine rejects come back with their codes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ACCOUNT_STATUSES, decimalToScaled, decimalToUnits, QUOTE_DECIMALS, type UnsequencedCommand } from '../../core/index.js';
import { PERMISSIONS, type Permission } from '../auth/keys.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { fractionPrice, money, price, qty } from '../format.js';
import { standingJson } from '../extra/policy-routes.js';
import { requireOperator } from '../web/operator-auth.js';
import { submit, throwIfRejected } from './submit.js';

const DECIMAL_RE = /^\d{1,20}(\.\d{1,30})?$/;
const amount = z.string().regex(DECIMAL_RE, 'a positive decimal string such as "100.5"');
const accountId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const permissions = z.array(z.enum(PERMISSIONS as unknown as [Permission, ...Permission[]])).min(1).max(2);
/** ISO 3166 alpha-2 (or a region code of up to 16 letters and digits) and the rule's source text. */
const jurisdictionCode = z.string().max(16).regex(/^[A-Z0-9-]*$/, 'upper-case letters, digits and -');
const policySource = z.string().min(1).max(256);
const ipList = z.array(z.string().min(2).max(64).regex(/^[0-9a-fA-F:.]+$/)).max(64);

const schemas = {
  account: z.strictObject({
    deposit: amount.optional(), parentAccountId: accountId.optional(), permissions: permissions.optional(),
    ipAllowList: ipList.optional(),
  }),
  apiKey: z.strictObject({ accountId, permissions: permissions.optional(), ipAllowList: ipList.optional() }),
  money: z.strictObject({ accountId, asset: z.literal('USDT').optional(), amount }),
  transfer: z.strictObject({ fromAccountId: accountId, toAccountId: accountId, asset: z.literal('USDT').optional(), amount }),
  insurance: z.strictObject({ amount, asset: z.literal('USDT').optional() }),
  indexPrice: z.strictObject({ symbol: z.string().regex(/^[A-Z0-9]{1,32}$/), price: amount }),
  accountPolicy: z.strictObject({
    accountId, status: z.enum(ACCOUNT_STATUSES), leverageCap: z.number().int().min(0).max(125).optional(),
    jurisdiction: jurisdictionCode.optional(), source: policySource,
  }),
  venuePolicy: z.strictObject({
    newAccountLeverageCap: z.number().int().min(0).max(125).optional(), newAccountDays: z.number().int().min(0).max(3650).optional(),
    requireAppropriateness: z.boolean().optional(), highLeverageAckAbove: z.number().int().min(0).max(125).optional(),
    source: policySource,
  }),
  jurisdictionPolicy: z.strictObject({
    jurisdiction: jurisdictionCode.min(1), status: z.enum(ACCOUNT_STATUSES), leverageCap: z.number().int().min(0).max(125).optional(),
    effectiveFrom: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(), source: policySource,
  }),
};

function toE8(text: string, name: string): bigint {
  const value = decimalToScaled(text, QUOTE_DECIMALS);
  if (value === undefined) throw E.badPrecision(name);
  if (value <= 0n) throw E.illegalValue(name, 'must be positive');
  return value;
}

function parseBody<T>(schema: z.ZodType<T>, request: FastifyRequest): T {
  const raw = typeof request.body === 'string' ? request.body : '';
  let json: unknown;
  try {
    json = raw === '' ? {} : JSON.parse(raw);
  } catch {
    throw new ApiError(-1130, 'Request body is not valid JSON.');
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
    throw new ApiError(-1130, `Invalid ${where}: ${issue?.message ?? 'malformed'}.`);
  }
  return result.data;
}

async function run(ctx: ApiContext, command: UnsequencedCommand): Promise<void> {
  throwIfRejected(await submit(ctx, command));
}

export function ledgerJson(ctx: ApiContext): Record<string, unknown> {
  const ledger = ctx.engine.ledger();
  const violations = ctx.engine.checkInvariants();
  return {
    seq: ctx.engine.lastSeq,
    deposits: money(ledger.depositsE8),
    withdrawals: money(ledger.withdrawalsE8),
    balances: money(ledger.walletsE8),
    unrealizedPnl: money(ledger.unrealizedPnlE8),
    insuranceFund: money(ledger.insuranceFundE8),
    feePool: money(ledger.feePoolE8),
    accounts: ledger.accounts,
    openPositions: ledger.openPositions,
    ok: violations.length === 0,
    violations,
  };
}

export function registerAdminRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const route = (method: 'GET' | 'POST', url: string, handler: (request: FastifyRequest) => unknown): void => {
    app.route({
      method, url,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          requireOperator(ctx, request);
          const result = await handler(request);
          return reply.code(200).type('application/json').send(JSON.stringify(result));
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          return reply.code(error.status).type('application/json').send(JSON.stringify(error.toJSON()));
        }
      },
    });
  };

  route('POST', '/admin/v1/accounts', async (request) => {
    const body = parseBody(schemas.account, request);
    // "0" (the CLI default) means no initial deposit.
    const deposit = body.deposit === undefined || /^0+(\.0+)?$/.test(body.deposit) ? 0n : toE8(body.deposit, 'deposit');
    const outcome = await submit(ctx, { type: 'CreateAccount', parentAccountId: body.parentAccountId ?? 0 });
    throwIfRejected(outcome);
    const created = outcome.events.find((event) => event.type === 'AccountCreated');
    if (created?.type !== 'AccountCreated') throw E.unknown();
    if (deposit > 0n) await run(ctx, { type: 'Deposit', accountId: created.accountId, amountE8: deposit });
    const key = ctx.keys.create(created.accountId, body.permissions ?? ['read', 'trade'], body.ipAllowList ?? [], ctx.now());
    return { accountId: created.accountId, apiKey: key.apiKey, apiSecret: key.secret, permissions: key.permissions };
  });
  route('POST', '/admin/v1/api-keys', (request) => {
    const body = parseBody(schemas.apiKey, request);
    if (ctx.engine.accountView(body.accountId) === undefined) throw new ApiError(-9002, 'Account does not exist.');
    const key = ctx.keys.create(body.accountId, body.permissions ?? ['read', 'trade'], body.ipAllowList ?? [], ctx.now());
    return { accountId: key.accountId, apiKey: key.apiKey, apiSecret: key.secret, permissions: key.permissions,
      ipAllowList: key.ipAllowList };
  });
  route('POST', '/admin/v1/deposit', async (request) => {
    const body = parseBody(schemas.money, request);
    await run(ctx, { type: 'Deposit', accountId: body.accountId, amountE8: toE8(body.amount, 'amount') });
    return { accountId: body.accountId, asset: 'USDT', amount: body.amount, ok: true };
  });
  route('POST', '/admin/v1/withdraw', async (request) => {
    const body = parseBody(schemas.money, request);
    await run(ctx, { type: 'Withdraw', accountId: body.accountId, amountE8: toE8(body.amount, 'amount') });
    return { accountId: body.accountId, asset: 'USDT', amount: body.amount, ok: true };
  });
  route('POST', '/admin/v1/transfer', async (request) => {
    const body = parseBody(schemas.transfer, request);
    await run(ctx, { type: 'Transfer', fromAccountId: body.fromAccountId, toAccountId: body.toAccountId,
      amountE8: toE8(body.amount, 'amount') });
    return { ...body, asset: 'USDT', ok: true };
  });
  route('POST', '/admin/v1/insurance', async (request) => {
    const body = parseBody(schemas.insurance, request);
    await run(ctx, { type: 'FundInsurance', amountE8: toE8(body.amount, 'amount') });
    return { amount: body.amount, insuranceFund: money(ctx.engine.ledger().insuranceFundE8), ok: true };
  });
  route('POST', '/admin/v1/index-price', async (request) => {
    const body = parseBody(schemas.indexPrice, request);
    if (ctx.priceSource !== 'manual') {
      throw new ApiError(-9100, `Index prices come from the '${ctx.priceSource}' price source; start with --price-source manual.`, 409);
    }
    const instrument = ctx.instruments.get(body.symbol);
    if (instrument === undefined) throw E.badSymbol();
    const ticks = decimalToUnits(body.price, instrument.tick);
    if (ticks === undefined) throw E.badPrecision('price');
    if (ticks <= 0n || ticks > BigInt(instrument.maxPriceTicks)) throw E.illegalValue('price', 'outside the price range');
    await run(ctx, { type: 'SetIndexPrice', symbol: body.symbol, priceTicks: Number(ticks) });
    return { symbol: body.symbol, price: price(instrument, Number(ticks)), ok: true };
  });
  route('POST', '/admin/v1/account-policy', async (request) => {
    const body = parseBody(schemas.accountPolicy, request);
    await run(ctx, { type: 'SetAccountPolicy', accountId: body.accountId, status: body.status,
      leverageCap: body.leverageCap ?? 0, jurisdiction: body.jurisdiction ?? '', source: body.source });
    return standingJson(ctx.engine.accountStanding(body.accountId)!);
  });
  route('POST', '/admin/v1/venue-policy', async (request) => {
    const body = parseBody(schemas.venuePolicy, request);
    const rules = { newAccountLeverageCap: body.newAccountLeverageCap ?? 0, newAccountDays: body.newAccountDays ?? 0,
      requireAppropriateness: body.requireAppropriateness ?? false, highLeverageAckAbove: body.highLeverageAckAbove ?? 0 };
    await run(ctx, { type: 'SetVenuePolicy', ...rules, source: body.source });
    return { ...rules, source: body.source, ok: true };
  });
  route('POST', '/admin/v1/jurisdiction-policy', async (request) => {
    const body = parseBody(schemas.jurisdictionPolicy, request);
    const effectiveFromMs = body.effectiveFrom ?? ctx.now();
    await run(ctx, { type: 'SetJurisdictionPolicy', jurisdiction: body.jurisdiction, status: body.status,
      leverageCap: body.leverageCap ?? 0, effectiveFromMs, source: body.source });
    return { ...body, leverageCap: body.leverageCap ?? 0, effectiveFrom: effectiveFromMs, ok: true };
  });
  route('GET', '/admin/v1/ledger', () => ledgerJson(ctx));
  route('GET', '/admin/v1/accounts/:accountId', (request) => {
    const text = (request.params as { accountId?: string }).accountId ?? '';
    if (!/^\d{1,15}$/.test(text)) throw E.illegalValue('accountId');
    const view = ctx.engine.accountView(Number(text));
    if (view === undefined) throw new ApiError(-9002, 'Account does not exist.', 404);
    return {
      accountId: view.accountId, parentAccountId: view.parentAccountId, walletBalance: money(view.walletBalanceE8),
      crossWalletBalance: money(view.crossWalletE8), unrealizedPnl: money(view.unrealizedPnlE8),
      marginBalance: money(view.marginBalanceE8), availableBalance: money(view.availableE8),
      maintenanceMargin: money(view.maintenanceMarginE8), deposited: money(view.depositedE8),
      withdrawn: money(view.withdrawnE8),
      positions: view.positions.filter((position) => position.sizeLots !== 0).map((position) => {
        const instrument = ctx.instruments.get(position.symbol)!;
        return { symbol: position.symbol, positionAmt: qty(instrument, position.sizeLots),
          entryPrice: fractionPrice(instrument, position.entryPrice),
          liquidationPrice: fractionPrice(instrument, position.liquidationPrice), marginType: position.marginType,
          leverage: position.leverage };
      }),
      standing: standingJson(ctx.engine.accountStanding(view.accountId)!),
      apiKeys: ctx.keys.ofAccount(view.accountId).map((key) => ({ apiKey: key.apiKey, permissions: key.permissions,
        ipAllowList: key.ipAllowList })),
    };
  });
}
