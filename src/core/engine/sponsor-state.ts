/**
 * @module engine/sponsor-state
 * Sponsored accounts' state and arithmetic: each sponsorship (settings, the day's starting equity,
 * the high-water mark, its status) and the engine's watch list of sponsored account ids, the only
 * accounts the loss limits are checked for. Thresholds are exact: a limit of `bps` on a base B is
 * breached when the loss reaches B × bps / 10,000, i.e. equity ≤ B − ceil(B × bps / 10,000).
 */
import { divCeil, divFloor } from '../num/int.js';
import type { SponsorEndReasonName, SponsorLimitName, SponsorStatusName } from '../schema/enums.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import type { Account } from './state.js';

export const BPS_ONE = 10_000;
const DAY_MS = 86_400_000;

/** Default of EngineLimits.maxSponsoredAccounts: every mark move walks the list, so it is bounded. */
export const DEFAULT_MAX_SPONSORED_ACCOUNTS = 10_000;

/** The first UTC midnight strictly after `atMs` (the epoch started at a midnight). */
export function nextDayStartMs(atMs: number): number {
  return Number((divFloor(BigInt(atMs), BigInt(DAY_MS)) + 1n) * BigInt(DAY_MS));
}

/** The equity at or below which a loss of `bps` of `baseE8` is reached. */
export function lossThresholdE8(baseE8: bigint, bps: number): bigint {
  return baseE8 - divCeil(baseE8 * BigInt(bps), BigInt(BPS_ONE));
}

/** The trader's share of a profit, rounded down (the sponsor keeps the fraction of a unit). */
export function traderShareE8(profitE8: bigint, traderShareBps: number): bigint {
  return profitE8 <= 0n ? 0n : divFloor(profitE8 * BigInt(traderShareBps), BigInt(BPS_ONE));
}

export class Sponsorship {
  /** Equity when the current UTC day started (or the sponsorship did). */
  dayStartE8: bigint;
  /** Highest equity seen at a check (starts at the initial balance). */
  highWaterE8: bigint;
  status: SponsorStatusName = 'ACTIVE';
  reason: SponsorEndReasonName = 'NONE';

  constructor(
    readonly accountId: number,
    readonly sponsorAccountId: number,
    readonly traderAccountId: number,
    readonly initialE8: bigint,
    readonly traderShareBps: number,
    readonly dailyLossBps: number,
    readonly staticLossBps: number,
    readonly trailingLossBps: number,
  ) {
    this.dayStartE8 = initialE8;
    this.highWaterE8 = initialE8;
  }
}

/** One limit's figures now: its base and threshold (undefined when the limit is off). */
export interface LimitFigures {
  readonly limit: SponsorLimitName;
  readonly baseE8: bigint;
  readonly thresholdE8: bigint;
}

/** The sponsorship's active limits, in the order they are checked (DAILY, STATIC, TRAILING). */
export function limitFigures(sponsorship: Sponsorship): LimitFigures[] {
  const out: LimitFigures[] = [];
  const add = (limit: SponsorLimitName, baseE8: bigint, bps: number): void => {
    if (bps > 0) out.push({ limit, baseE8, thresholdE8: lossThresholdE8(baseE8, bps) });
  };
  add('DAILY', sponsorship.dayStartE8, sponsorship.dailyLossBps);
  add('STATIC', sponsorship.initialE8, sponsorship.staticLossBps);
  add('TRAILING', sponsorship.highWaterE8, sponsorship.trailingLossBps);
  return out;
}

export class SponsorBook {
  readonly sponsorships = new Map<number, Sponsorship>();
  /** Sponsored account ids, ascending: the watch list every mark move walks. */
  readonly accountIds: number[] = [];
  /** When the UTC day-start timer is due (0: none set). */
  dayStartAtMs = 0;
  /** Sponsorships in CLOSING (derived: recounted on restore): they retry at every mark sample. */
  closingCount = 0;
}

/** Adds a sponsorship to the book and links its account (the command and snapshot restore). */
export function linkSponsorship(book: SponsorBook, account: Account, sponsorship: Sponsorship): void {
  book.sponsorships.set(sponsorship.accountId, sponsorship);
  if (sponsorship.status === 'CLOSING') book.closingCount++;
  const ids = book.accountIds;
  let index = ids.length;
  while (index > 0 && ids[index - 1]! > sponsorship.accountId) index--;
  ids.splice(index, 0, sponsorship.accountId);
  account.sponsorship = sponsorship;
}

export function unlinkSponsorship(book: SponsorBook, account: Account): void {
  if (account.sponsorship?.status === 'CLOSING') book.closingCount--;
  book.sponsorships.delete(account.accountId);
  book.accountIds.splice(book.accountIds.indexOf(account.accountId), 1);
  account.sponsorship = undefined;
}

/**
 * Money moves into or out of a sponsored account only through its sponsorship: the funding, the
 * settlement. Deposits, withdrawals and transfers of either side are refused (-9030), so the loss
 * limits measure trading alone and the trader cannot take the sponsor's money out.
 */
export function lockedBySponsorship(...accounts: readonly Account[]): RejectReason | undefined {
  for (const account of accounts) if (account.sponsorship !== undefined) return REJECT.SPONSORED_ACCOUNT_LOCKED;
  return undefined;
}
