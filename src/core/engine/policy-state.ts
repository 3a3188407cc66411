/**
 * @module engine/policy-state
 * The policy module's snapshot section: the venue-wide rules, account standings that differ from the default (by
 * account id), jurisdiction rules (by code, each list by effective time) and the timers (in due
 * order). Everything in canonical order, so the state hash does not depend on Map insertion.
 */
import type { ByteReader, ByteWriter } from '../num/bytes.js';
import { ACCOUNT_STATUSES, TIMER_KINDS } from '../schema/enums.js';
import type { EngineContext } from './context.js';
import { enumAt, type StateSection } from './serialize.js';
import type { AccountPolicy, JurisdictionRule } from './state.js';

function isDefault(policy: AccountPolicy): boolean {
  return policy.status === 'ACTIVE' && policy.leverageCap === 0 && policy.jurisdiction === '' &&
    policy.coolOffUntilMs === 0 && policy.source === '' && policy.createdAtMs === 0 && policy.appropriatenessAtMs === 0 &&
    policy.highLeverageAckAtMs === 0;
}

function writeStandings(ctx: EngineContext, w: ByteWriter): void {
  const ids: number[] = [];
  for (let id = 1; id < ctx.nextAccountId; id++) {
    const account = ctx.findAccount(id);
    if (account !== undefined && !isDefault(account.policy)) ids.push(id);
  }
  w.uint(ids.length);
  for (const id of ids) {
    const policy = ctx.account(id).policy;
    w.uint(id);
    w.u8(ACCOUNT_STATUSES.indexOf(policy.status));
    w.uint(policy.leverageCap);
    w.string(policy.jurisdiction);
    w.uint(policy.coolOffUntilMs);
    w.string(policy.source);
    w.uint(policy.createdAtMs);
    w.uint(policy.appropriatenessAtMs);
    w.uint(policy.highLeverageAckAtMs);
  }
}

function readStandings(ctx: EngineContext, r: ByteReader): void {
  const count = r.uint();
  for (let i = 0; i < count; i++) {
    const policy = ctx.account(r.uint()).policy;
    policy.status = enumAt(ACCOUNT_STATUSES, r.u8(), 'account status');
    policy.leverageCap = r.uint();
    policy.jurisdiction = r.string();
    policy.coolOffUntilMs = r.uint();
    policy.source = r.string();
    policy.createdAtMs = r.uint();
    policy.appropriatenessAtMs = r.uint();
    policy.highLeverageAckAtMs = r.uint();
  }
}

function writeJurisdictions(ctx: EngineContext, w: ByteWriter): void {
  const codes = [...ctx.jurisdictions.keys()].sort();
  w.uint(codes.length);
  for (const code of codes) {
    const rules = ctx.jurisdictions.get(code)!;
    w.string(code);
    w.uint(rules.length);
    for (const rule of rules) {
      w.u8(ACCOUNT_STATUSES.indexOf(rule.status));
      w.uint(rule.leverageCap);
      w.uint(rule.effectiveFromMs);
      w.string(rule.source);
    }
  }
}

function readJurisdictions(ctx: EngineContext, r: ByteReader): void {
  const count = r.uint();
  for (let i = 0; i < count; i++) {
    const code = r.string();
    const rules: JurisdictionRule[] = [];
    const ruleCount = r.uint();
    for (let j = 0; j < ruleCount; j++) {
      rules.push({
        status: enumAt(ACCOUNT_STATUSES, r.u8(), 'jurisdiction status'), leverageCap: r.uint(), effectiveFromMs: r.uint(),
        source: r.string(),
      });
    }
    ctx.jurisdictions.set(code, rules);
  }
}

export const policySection: StateSection = {
  name: 'policy',
  version: 1,
  write(ctx, w) {
    const venue = ctx.venuePolicy;
    w.uint(venue.newAccountLeverageCap);
    w.uint(venue.newAccountDays);
    w.bool(venue.requireAppropriateness);
    w.uint(venue.highLeverageAckAbove);
    w.string(venue.source);
    writeStandings(ctx, w);
    writeJurisdictions(ctx, w);
    w.uint(ctx.timers.length);
    for (const timer of ctx.timers) {
      w.uint(timer.atMs);
      w.u8(TIMER_KINDS.indexOf(timer.kind));
      w.uint(timer.accountId);
      w.string(timer.key);
    }
  },
  read(ctx, r) {
    const venue = ctx.venuePolicy;
    venue.newAccountLeverageCap = r.uint();
    venue.newAccountDays = r.uint();
    venue.requireAppropriateness = r.bool();
    venue.highLeverageAckAbove = r.uint();
    venue.source = r.string();
    readStandings(ctx, r);
    readJurisdictions(ctx, r);
    const count = r.uint();
    for (let i = 0; i < count; i++) {
      ctx.timers.push({ atMs: r.uint(), kind: enumAt(TIMER_KINDS, r.u8(), 'timer kind'), accountId: r.uint(), key: r.string() });
    }
  },
};
