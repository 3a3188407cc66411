/**
 * @module engine/sponsor-snapshot
 * Sponsored accounts' snapshot section: the day-start timer's time and every sponsorship by account
 * id (settings, day base, high-water mark, status). Written only when the venue has used them, so
 * snapshots and state hashes of venues without sponsorships are unchanged. Restore links each
 * account back to its sponsorship and rebuilds the watch list in id order.
 */
import { SPONSOR_END_REASONS, SPONSOR_STATUSES } from '../schema/enums.js';
import { enumAt, type StateSection } from './serialize.js';
import { Sponsorship, linkSponsorship } from './sponsor-state.js';

export const sponsorSection: StateSection = {
  name: 'sponsor',
  version: 1,
  isEmpty: (ctx) => ctx.sponsor.sponsorships.size === 0 && ctx.sponsor.dayStartAtMs === 0,
  write(ctx, w) {
    const book = ctx.sponsor;
    w.uint(book.dayStartAtMs);
    w.uint(book.accountIds.length);
    for (const id of book.accountIds) {
      const s = book.sponsorships.get(id)!;
      w.uint(id);
      w.uint(s.sponsorAccountId);
      w.uint(s.traderAccountId);
      w.big(s.initialE8);
      w.uint(s.traderShareBps);
      w.uint(s.dailyLossBps);
      w.uint(s.staticLossBps);
      w.uint(s.trailingLossBps);
      w.big(s.dayStartE8);
      w.big(s.highWaterE8);
      w.u8(SPONSOR_STATUSES.indexOf(s.status));
      w.u8(SPONSOR_END_REASONS.indexOf(s.reason));
    }
  },
  read(ctx, r) {
    const book = ctx.sponsor;
    book.dayStartAtMs = r.uint();
    const count = r.uint();
    for (let i = 0; i < count; i++) {
      const s = new Sponsorship(r.uint(), r.uint(), r.uint(), r.big(), r.uint(), r.uint(), r.uint(), r.uint());
      s.dayStartE8 = r.big();
      s.highWaterE8 = r.big();
      s.status = enumAt(SPONSOR_STATUSES, r.u8(), 'sponsorship status');
      s.reason = enumAt(SPONSOR_END_REASONS, r.u8(), 'sponsorship reason');
      linkSponsorship(book, ctx.account(s.accountId), s);
    }
  },
};
