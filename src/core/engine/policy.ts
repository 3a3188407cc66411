/**
 * @module engine/policy
 * The policy gate: one admission step before every state-changing action of an account, reading
 * only account state that journaled commands set, so replay enforces it exactly as the live venue
 * did. An account's effective standing combines its own policy (SetAccountPolicy, StartCoolOff)
 * with its jurisdiction's dated policy (SetJurisdictionPolicy, in force from effectiveFromMs):
 * the stricter status and the lower leverage cap win.
 *
 * | action | ACTIVE | REDUCE_ONLY | CLOSED | cooling off |
 * |---|---|---|---|---|
 * | open (an order that may add exposure, incl. triggered and copied ones) | yes | no | no | no |
 * | reduce (reduce-only / close-position orders) | yes | yes | yes | no |
 * | amend (as the order: reduce-only ones reduce, others open) | | | | |
 * | margin type, add isolated margin | yes | yes | no | no |
 * | leverage | up to the cap | down only | no | no |
 * | transfer or withdraw out | yes | yes | yes | yes |
 * | receive a transfer | yes | yes | no | yes |
 *
 * Liquidation orders are never gated (a position at risk must always be closable). A new
 * position takes the lower of the instrument's default leverage and the effective cap; an
 * existing position above the cap may be reduced but not increased.
 *
 * The account hierarchy lives here too: a master moves money between itself and its
 * sub-accounts; a sub-account moves money only to its master (SubAccountTransfer). Sub-accounts
 * are one level deep.
 */
import { ACCOUNT_STATUSES, type AccountStatusName } from '../schema/enums.js';
import type {
  RecordAcknowledgementCommand, SetVenuePolicyCommand, SetAccountPolicyCommand, SetJurisdictionPolicyCommand, StartCoolOffCommand, SubAccountTransferCommand,
} from './commands.js';
import type { EngineContext } from './context.js';
import { settleBeforeOutflow } from './copy.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import { endLiveOrder } from './order-lifecycle.js';
import type { Account, JurisdictionRule, OrderRecord, Position } from './state.js';
import { lockedBySponsorship } from './sponsor-state.js';
import { addTimer } from './timers.js';

export type PolicyAction = 'OPEN' | 'REDUCE' | 'AMEND' | 'MARGIN_TYPE' | 'ISOLATED_MARGIN_IN' | 'TRANSFER_OUT' | 'TRANSFER_IN';

const STRICTNESS: Readonly<Record<AccountStatusName, number>> = { ACTIVE: 0, REDUCE_ONLY: 1, CLOSED: 2 };

/** Bounds of the policy text fields (they are shown to users and kept in every snapshot). */
export const MAX_POLICY_TEXT = 256;
export const MAX_JURISDICTION_TEXT = 16;
/** The highest leverage a cap or threshold may name (the brackets' highest leverage). */
export const MAX_LEVERAGE_CAP = 125;
/** The longest new-account period the venue may set (P3 uses 60 days). */
export const MAX_NEW_ACCOUNT_DAYS = 3_650;
/** A jurisdiction keeps at most this many dated rules (older ones that are superseded are dropped). */
export const MAX_RULES_PER_JURISDICTION = 16;

/** The jurisdiction rule in force at `atMs` (the latest one whose effectiveFromMs has passed). */
export function jurisdictionRuleAt(ctx: EngineContext, jurisdiction: string, atMs: number): JurisdictionRule | undefined {
  if (jurisdiction === '') return undefined;
  const rules = ctx.jurisdictions.get(jurisdiction);
  if (rules === undefined) return undefined;
  let found: JurisdictionRule | undefined;
  for (const rule of rules) {
    if (rule.effectiveFromMs > atMs) break;
    found = rule;
  }
  return found;
}

/** The account's standing now: its own policy and its jurisdiction's, whichever is stricter. */
export function effectiveStatus(ctx: EngineContext, account: Account): AccountStatusName {
  const own = account.policy.status;
  const rule = jurisdictionRuleAt(ctx, account.policy.jurisdiction, ctx.clockMs);
  if (rule === undefined) return own;
  return STRICTNESS[rule.status] > STRICTNESS[own] ? rule.status : own;
}

const DAY_MS = 86_400_000;

/** The lower of two caps where 0 means none. */
function lowerCap(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  return a < b ? a : b;
}

/**
 * The leverage cap now (0: none): the lowest of the account's, its jurisdiction's, and the venue's
 * new-account cap while the account is younger than the venue's newAccountDays (P3).
 */
export function effectiveLeverageCap(ctx: EngineContext, account: Account): number {
  const rule = jurisdictionRuleAt(ctx, account.policy.jurisdiction, ctx.clockMs);
  const cap = lowerCap(account.policy.leverageCap, rule === undefined ? 0 : rule.leverageCap);
  const venue = ctx.venuePolicy;
  const young = account.policy.createdAtMs > 0 && ctx.clockMs - account.policy.createdAtMs < venue.newAccountDays * DAY_MS;
  return young ? lowerCap(cap, venue.newAccountLeverageCap) : cap;
}

/** Whether any rule may apply to the account (the gate's fast path: none usually does). */
function governed(ctx: EngineContext, account: Account): boolean {
  const policy = account.policy;
  return policy.status !== 'ACTIVE' || policy.coolOffUntilMs !== 0 || policy.jurisdiction !== '' || policy.leverageCap !== 0 ||
    ctx.venuePolicy.any;
}

export function coolingOff(ctx: EngineContext, account: Account): boolean {
  return account.policy.coolOffUntilMs > ctx.clockMs;
}

/** An account's standing as the gate sees it now (the API and the UI show it). */
export interface StandingView {
  readonly accountId: number;
  readonly parentAccountId: number;
  /** The stricter of the account's own status and its jurisdiction's rule in force. */
  readonly status: AccountStatusName;
  readonly ownStatus: AccountStatusName;
  /** The leverage cap in force (0: none). */
  readonly leverageCap: number;
  readonly jurisdiction: string;
  readonly coolOffUntilMs: number;
  readonly source: string;
  /** The source of the jurisdiction rule in force ('' when none). */
  readonly jurisdictionSource: string;
  /** When the appropriateness test was passed (0: not yet). */
  readonly appropriatenessAt: number;
  readonly highLeverageAcknowledgedAt: number;
}

export function standingView(ctx: EngineContext, account: Account): StandingView {
  const policy = account.policy;
  const rule = jurisdictionRuleAt(ctx, policy.jurisdiction, ctx.clockMs);
  return {
    accountId: account.accountId, parentAccountId: account.parentAccountId, status: effectiveStatus(ctx, account),
    ownStatus: policy.status, leverageCap: effectiveLeverageCap(ctx, account), jurisdiction: policy.jurisdiction,
    coolOffUntilMs: coolingOff(ctx, account) ? policy.coolOffUntilMs : 0, source: policy.source,
    jurisdictionSource: rule?.source ?? '', appropriatenessAt: policy.appropriatenessAtMs,
    highLeverageAcknowledgedAt: policy.highLeverageAckAtMs,
  };
}

/** The gate: undefined when the account may do `action`, else why not. */
export function admit(ctx: EngineContext, account: Account, action: PolicyAction): RejectReason | undefined {
  // The common case (no policy set anywhere) answers at once: orders pass through here.
  if (!governed(ctx, account)) return undefined;
  if (action === 'TRANSFER_OUT') return undefined;
  const status = effectiveStatus(ctx, account);
  if (action === 'TRANSFER_IN') return status === 'CLOSED' ? REJECT.ACCOUNT_CLOSED : undefined;
  if (coolingOff(ctx, account)) return REJECT.COOLING_OFF;
  if (action === 'REDUCE') return undefined;
  if (status !== 'ACTIVE') {
    if (action === 'OPEN') return status === 'CLOSED' ? REJECT.ACCOUNT_CLOSED : REJECT.ACCOUNT_REDUCE_ONLY;
    if (status === 'CLOSED') return REJECT.ACCOUNT_CLOSED;
  }
  if (action === 'OPEN' && ctx.venuePolicy.requireAppropriateness && account.policy.appropriatenessAtMs === 0) {
    return REJECT.APPROPRIATENESS_REQUIRED;
  }
  return undefined;
}

/** Leverage changes: the gate's status rules plus the cap (REDUCE_ONLY may only lower it). */
export function admitLeverage(ctx: EngineContext, account: Account, current: number, wanted: number): RejectReason | undefined {
  if (!governed(ctx, account)) return undefined;
  const cap = effectiveLeverageCap(ctx, account);
  if (cap > 0 && wanted > cap) return REJECT.LEVERAGE_ABOVE_CAP;
  const ackAbove = ctx.venuePolicy.highLeverageAckAbove;
  if (ackAbove > 0 && wanted > ackAbove && wanted > current && account.policy.highLeverageAckAtMs === 0) {
    return REJECT.HIGH_LEVERAGE_NOT_ACKNOWLEDGED;
  }
  if (coolingOff(ctx, account)) return REJECT.COOLING_OFF;
  const status = effectiveStatus(ctx, account);
  if (status === 'CLOSED') return REJECT.ACCOUNT_CLOSED;
  if (status === 'REDUCE_ONLY' && wanted > current) return REJECT.ACCOUNT_REDUCE_ONLY;
  return undefined;
}

/** An order that may add exposure needs its position's leverage within the cap. */
export function admitOpening(ctx: EngineContext, account: Account, leverage: number): RejectReason | undefined {
  if (!governed(ctx, account)) return undefined;
  const gate = admit(ctx, account, 'OPEN');
  if (gate !== undefined) return gate;
  const cap = effectiveLeverageCap(ctx, account);
  return cap > 0 && leverage > cap ? REJECT.LEVERAGE_ABOVE_CAP : undefined;
}

/** The gate for an order: reducing ones (reduce-only, close-position) or ones that may open. */
export function admitOrder(ctx: EngineContext, account: Account, position: Position, reducing: boolean): RejectReason | undefined {
  return reducing ? admit(ctx, account, 'REDUCE') : admitOpening(ctx, account, position.leverage);
}

/** The leverage a position record starts with: the instrument's default, within the account's cap. */
export function startingLeverage(ctx: EngineContext, account: Account, instrumentDefault: number): number {
  if (!governed(ctx, account)) return instrumentDefault;
  const cap = effectiveLeverageCap(ctx, account);
  return cap > 0 && cap < instrumentDefault ? cap : instrumentDefault;
}

function validText(text: string, max: number): boolean {
  return typeof text === 'string' && text.length <= max;
}

export function emitPolicy(ctx: EngineContext, account: Account): void {
  const policy = account.policy;
  ctx.log.accountPolicyChanged(account.accountId, policy.status, policy.leverageCap, policy.jurisdiction,
    policy.coolOffUntilMs, policy.source);
}

function isStatus(value: string): value is AccountStatusName {
  return (ACCOUNT_STATUSES as readonly string[]).includes(value);
}

/** A status and a leverage cap as SetAccountPolicy and SetJurisdictionPolicy take them. */
function validStanding(status: string, leverageCap: number): boolean {
  return isStatus(status) && Number.isSafeInteger(leverageCap) && leverageCap >= 0 && leverageCap <= MAX_LEVERAGE_CAP;
}

/** Rules a later rule already in force supersedes leave the list (it stays bounded). */
function dropSuperseded(rules: JurisdictionRule[], atMs: number): void {
  while (rules.length > 1 && rules[1]!.effectiveFromMs <= atMs) rules.shift();
}

export function setAccountPolicy(ctx: EngineContext, cmd: SetAccountPolicyCommand): void {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return ctx.reject(cmd.type, REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, '');
  if (!validStanding(cmd.status, cmd.leverageCap) ||
    !validText(cmd.jurisdiction, MAX_JURISDICTION_TEXT) || !validText(cmd.source, MAX_POLICY_TEXT)) {
    return ctx.reject(cmd.type, REJECT.INVALID_PARAMETER, cmd.accountId, '');
  }
  const policy = account.policy;
  policy.status = cmd.status;
  policy.leverageCap = cmd.leverageCap;
  policy.jurisdiction = cmd.jurisdiction;
  policy.source = cmd.source;
  emitPolicy(ctx, account);
  cancelOrdersBeyondStanding(ctx, account, cmd.atMs);
}

/**
 * An account keeps no order the gate would now refuse: when it may no longer open, its live orders
 * other than reduce-only and close-position ones end (reason POLICY); under a lowered leverage cap,
 * so do those of positions whose leverage is above it. A resting bid (or a stop) admitted earlier
 * must not add exposure the gate refuses today.
 */
function cancelOrdersBeyondStanding(ctx: EngineContext, account: Account, atMs: number): void {
  if (account.orders.size === 0) return;
  const mayOpen = admit(ctx, account, 'OPEN') === undefined;
  const cap = effectiveLeverageCap(ctx, account);
  if (mayOpen && cap === 0) return;
  const victims: OrderRecord[] = [];
  for (const order of account.orders.values()) {
    if (order.reduceOnly || order.closePosition || order.origin !== 'USER') continue;
    const leverage = account.positions.get(order.market)?.leverage ?? 0;
    if (!mayOpen || leverage > cap) victims.push(order);
  }
  for (const order of victims) endLiveOrder(ctx, order, 'CANCELED', 'CANCELED', 'POLICY', atMs);
}

/** Timer COOL_OFF_END: the account may trade again; the event tells it so. */
export function endCoolOff(ctx: EngineContext, accountId: number, atMs: number): void {
  const account = ctx.findAccount(accountId);
  // A cool-off extended later set a later timer; this one is stale.
  if (account === undefined || account.policy.coolOffUntilMs !== atMs) return;
  account.policy.coolOffUntilMs = 0;
  emitPolicy(ctx, account);
}

/** Timer JURISDICTION_IN_FORCE: the rule now binds every account of the jurisdiction. */
export function jurisdictionInForce(ctx: EngineContext, jurisdiction: string, atMs: number): void {
  const rules = ctx.jurisdictions.get(jurisdiction);
  if (rules === undefined) return;
  dropSuperseded(rules, atMs);
  for (const account of ctx.accounts.values()) {
    if (account.policy.jurisdiction === jurisdiction) cancelOrdersBeyondStanding(ctx, account, atMs);
  }
}

export function startCoolOff(ctx: EngineContext, cmd: StartCoolOffCommand): void {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return ctx.reject(cmd.type, REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, '');
  if (!Number.isSafeInteger(cmd.untilMs) || cmd.untilMs <= cmd.atMs) {
    return ctx.reject(cmd.type, REJECT.INVALID_PARAMETER, cmd.accountId, '');
  }
  // Irreversible: it may be extended, never shortened.
  if (cmd.untilMs <= account.policy.coolOffUntilMs) return ctx.reject(cmd.type, REJECT.COOLING_OFF, cmd.accountId, '');
  // Binance: only without positions or orders, so nothing is left unmanaged while locked out.
  if (account.orders.size > 0) return ctx.reject(cmd.type, REJECT.COOL_OFF_NOT_FLAT, cmd.accountId, '');
  for (const position of account.positions.values()) {
    if (position.sizeLots !== 0) return ctx.reject(cmd.type, REJECT.COOL_OFF_NOT_FLAT, cmd.accountId, '');
  }
  if (!addTimer(ctx, { atMs: cmd.untilMs, kind: 'COOL_OFF_END', accountId: account.accountId, key: '' })) {
    return ctx.reject(cmd.type, REJECT.ACCOUNT_LIMIT, cmd.accountId, '');
  }
  account.policy.coolOffUntilMs = cmd.untilMs;
  emitPolicy(ctx, account);
}

export function setJurisdictionPolicy(ctx: EngineContext, cmd: SetJurisdictionPolicyCommand): void {
  if (!validStanding(cmd.status, cmd.leverageCap) ||
    !validText(cmd.jurisdiction, MAX_JURISDICTION_TEXT) || cmd.jurisdiction === '' || !validText(cmd.source, MAX_POLICY_TEXT) ||
    !Number.isSafeInteger(cmd.effectiveFromMs) || cmd.effectiveFromMs < 0) {
    return ctx.reject(cmd.type, REJECT.INVALID_PARAMETER, 0, '');
  }
  const rule: JurisdictionRule = {
    status: cmd.status, leverageCap: cmd.leverageCap, effectiveFromMs: cmd.effectiveFromMs, source: cmd.source,
  };
  const known = ctx.jurisdictions.get(cmd.jurisdiction);
  if (known === undefined && ctx.jurisdictions.size >= ctx.limits.maxJurisdictions) {
    return ctx.reject(cmd.type, REJECT.ACCOUNT_LIMIT, 0, '');
  }
  const rules = (known ?? []).filter((old) => old.effectiveFromMs !== rule.effectiveFromMs);
  rules.push(rule);
  rules.sort((a, b) => a.effectiveFromMs - b.effectiveFromMs);
  dropSuperseded(rules, cmd.atMs);
  if (rules.length > MAX_RULES_PER_JURISDICTION) return ctx.reject(cmd.type, REJECT.INVALID_PARAMETER, 0, '');
  const future = rule.effectiveFromMs > cmd.atMs;
  if (future && !addTimer(ctx, { atMs: rule.effectiveFromMs, kind: 'JURISDICTION_IN_FORCE', accountId: 0, key: cmd.jurisdiction })) {
    return ctx.reject(cmd.type, REJECT.ACCOUNT_LIMIT, 0, '');
  }
  ctx.jurisdictions.set(cmd.jurisdiction, rules);
  ctx.log.jurisdictionPolicyChanged(cmd.jurisdiction, cmd.status, cmd.leverageCap, cmd.effectiveFromMs, cmd.source);
  if (!future) jurisdictionInForce(ctx, cmd.jurisdiction, cmd.atMs);
}

/** Whether `by` may move money from `from` to `to`: a master within its family, a sub to its master. */
export function mayTransfer(by: Account, from: Account, to: Account): boolean {
  if (from === to) return false;
  const isMaster = by.parentAccountId === 0;
  if (isMaster) {
    const inFamily = (account: Account): boolean => account === by || account.parentAccountId === by.accountId;
    return inFamily(from) && inFamily(to);
  }
  return from === by && to.accountId === by.parentAccountId;
}

export function subAccountTransfer(ctx: EngineContext, cmd: SubAccountTransferCommand): void {
  const by = ctx.findAccount(cmd.byAccountId);
  const from = ctx.findAccount(cmd.fromAccountId);
  const to = ctx.findAccount(cmd.toAccountId);
  if (by === undefined || from === undefined || to === undefined) {
    return ctx.reject(cmd.type, REJECT.ACCOUNT_NOT_FOUND, cmd.byAccountId, '');
  }
  if (typeof cmd.amountE8 !== 'bigint' || cmd.amountE8 <= 0n) return ctx.reject(cmd.type, REJECT.AMOUNT_NOT_POSITIVE, cmd.byAccountId, '');
  if (!mayTransfer(by, from, to)) return ctx.reject(cmd.type, REJECT.TRANSFER_NOT_ALLOWED, cmd.byAccountId, '');
  const locked = lockedBySponsorship(from, to);
  if (locked !== undefined) return ctx.reject(cmd.type, locked, cmd.byAccountId, '');
  const gate = admit(ctx, to, 'TRANSFER_IN');
  if (gate !== undefined) return ctx.reject(cmd.type, gate, cmd.byAccountId, '');
  const outflow = settleBeforeOutflow(ctx, from, cmd.amountE8);
  if (outflow !== undefined) return ctx.reject(cmd.type, outflow, cmd.byAccountId, '');
  ctx.changeCrossWallet(from, -cmd.amountE8, 'TRANSFER', '', to.accountId);
  ctx.changeCrossWallet(to, cmd.amountE8, 'TRANSFER', '', from.accountId);
}

export function setVenuePolicy(ctx: EngineContext, cmd: SetVenuePolicyCommand): void {
  const days = cmd.newAccountDays;
  if (!Number.isSafeInteger(cmd.newAccountLeverageCap) || cmd.newAccountLeverageCap < 0 || cmd.newAccountLeverageCap > MAX_LEVERAGE_CAP ||
    !Number.isSafeInteger(days) || days < 0 || days > MAX_NEW_ACCOUNT_DAYS ||
    !Number.isSafeInteger(cmd.highLeverageAckAbove) || cmd.highLeverageAckAbove < 0 || cmd.highLeverageAckAbove > MAX_LEVERAGE_CAP ||
    typeof cmd.requireAppropriateness !== 'boolean' || !validText(cmd.source, MAX_POLICY_TEXT)) {
    return ctx.reject(cmd.type, REJECT.INVALID_PARAMETER, 0, '');
  }
  const venue = ctx.venuePolicy;
  venue.newAccountLeverageCap = cmd.newAccountLeverageCap;
  venue.newAccountDays = days;
  venue.requireAppropriateness = cmd.requireAppropriateness;
  venue.highLeverageAckAbove = cmd.highLeverageAckAbove;
  venue.source = cmd.source;
  ctx.log.venuePolicyChanged(venue.newAccountLeverageCap, venue.newAccountDays, venue.requireAppropriateness,
    venue.highLeverageAckAbove, venue.source);
  // Rare and operator-only, so a walk over every account is affordable: no live order may outlive
  // a rule that now refuses it.
  for (const account of ctx.accounts.values()) cancelOrdersBeyondStanding(ctx, account, cmd.atMs);
}

export function recordAcknowledgement(ctx: EngineContext, cmd: RecordAcknowledgementCommand): void {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return ctx.reject(cmd.type, REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, '');
  if (cmd.kind === 'APPROPRIATENESS') account.policy.appropriatenessAtMs = cmd.atMs;
  else if (cmd.kind === 'HIGH_LEVERAGE') account.policy.highLeverageAckAtMs = cmd.atMs;
  else return ctx.reject(cmd.type, REJECT.INVALID_PARAMETER, cmd.accountId, '');
  ctx.log.acknowledgementRecorded(account.accountId, cmd.kind);
}
