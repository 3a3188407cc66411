/**
 * @module api/auth/client-bans
 * Binance's automated ban: a client (IPv4 address or IPv6 /64) that keeps sending requests after
 * being answered 429 is banned, and every request it sends meanwhile is answered 418 with
 * Retry-After, at the cost of one map lookup. Bans "scale in duration for repeat offenders, from 2
 * minutes to 3 days" (Binance, General Info / LIMITS): here each ban lasts twice the previous one,
 * from 2 minutes up to 3 days, and a client with no ban for 24 hours starts again at 2 minutes.
 * Binance publishes no threshold; perpx bans a client whose requests were answered 429 more than
 * BAN_AFTER_429S_PER_MINUTE times in one minute.
 */
import { WindowCounter } from './rate-limit.js';

export const BAN_AFTER_429S_PER_MINUTE = 50;
export const FIRST_BAN_MS = 2 * 60_000;
export const LONGEST_BAN_MS = 3 * 24 * 60 * 60_000;
/** A client whose last ban ended this long ago starts again at the first ban's length. */
const OFFENCES_FORGOTTEN_AFTER_MS = 24 * 60 * 60_000;
/** Offender records kept before expired ones are swept out. */
const SWEEP_AT_OFFENDERS = 10_000;

interface Offender {
  bannedUntilMs: number;
  nextBanMs: number;
}

export class ClientBans {
  private readonly rejections = new WindowCounter<string>(60_000);
  private readonly offenders = new Map<string, Offender>();

  /** When the client's ban ends (0: not banned). */
  bannedUntil(clientKey: string, nowMs: number): number {
    const offender = this.offenders.get(clientKey);
    return offender !== undefined && offender.bannedUntilMs > nowMs ? offender.bannedUntilMs : 0;
  }

  /** Records one 429 sent to the client; bans it when it has ignored too many. */
  noteRejection(clientKey: string, nowMs: number): void {
    if (this.rejections.add(clientKey, 1, nowMs) <= BAN_AFTER_429S_PER_MINUTE || this.bannedUntil(clientKey, nowMs) > 0) return;
    let offender = this.offenders.get(clientKey);
    if (offender === undefined || nowMs - offender.bannedUntilMs > OFFENCES_FORGOTTEN_AFTER_MS) {
      if (this.offenders.size >= SWEEP_AT_OFFENDERS) this.sweep(nowMs);
      offender = { bannedUntilMs: 0, nextBanMs: FIRST_BAN_MS };
      this.offenders.set(clientKey, offender);
    }
    offender.bannedUntilMs = nowMs + offender.nextBanMs;
    offender.nextBanMs = Math.min(LONGEST_BAN_MS, offender.nextBanMs * 2);
  }

  private sweep(nowMs: number): void {
    for (const [clientKey, offender] of this.offenders) {
      if (nowMs - offender.bannedUntilMs > OFFENCES_FORGOTTEN_AFTER_MS) this.offenders.delete(clientKey);
    }
  }
}
