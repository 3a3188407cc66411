/**
 * @module engine/copy-snapshot
 * Copy trading's snapshot section: the settlement timer's time, lead portfolios (by account id,
 * each with its followers in id order) and followers (by account id). Restore links each account
 * back to its role. The deferred work list is empty between commands, so it is never written.
 */
import { assert } from '../assert.js';
import { COPY_MODES } from '../schema/enums.js';
import { Follower, LeadPortfolio, linkFollower, linkLead } from './copy-state.js';
import { enumAt, type StateSection } from './serialize.js';

export const copySection: StateSection = {
  name: 'copy',
  version: 1,
  isEmpty: (ctx) => ctx.copy.portfolios.size === 0 && ctx.copy.settlementAtMs === 0,
  write(ctx, w) {
    const copy = ctx.copy;
    assert(copy.pending.length === 0, 'no copy work is left between commands');
    w.uint(copy.settlementAtMs);
    const leads = [...copy.portfolios.keys()].sort((a, b) => a - b);
    w.uint(leads.length);
    for (const id of leads) {
      const portfolio = copy.portfolios.get(id)!;
      w.uint(id);
      w.uint(portfolio.profitShareBps);
      w.big(portfolio.copyCapE8);
      w.big(portfolio.minCopyE8);
      w.uint(portfolio.maxFollowers);
    }
    const followers = [...copy.followers.keys()].sort((a, b) => a - b);
    w.uint(followers.length);
    for (const id of followers) {
      const follower = copy.followers.get(id)!;
      w.uint(id);
      w.uint(follower.leadAccountId);
      w.u8(COPY_MODES.indexOf(follower.mode));
      w.big(follower.amountE8);
      w.big(follower.ratioDenE8);
      w.uint(follower.leverage);
      w.uint(follower.slippageBps);
      w.uint(follower.stopLossBps);
      w.big(follower.investedE8);
      w.big(follower.sharedE8);
    }
  },
  read(ctx, r) {
    const copy = ctx.copy;
    copy.settlementAtMs = r.uint();
    const leads = r.uint();
    for (let i = 0; i < leads; i++) {
      const portfolio = new LeadPortfolio(r.uint(), r.uint(), r.big(), r.big(), r.uint());
      copy.portfolios.set(portfolio.accountId, portfolio);
      linkLead(ctx.account(portfolio.accountId), portfolio);
    }
    const followers = r.uint();
    for (let i = 0; i < followers; i++) {
      const follower = new Follower(r.uint(), r.uint(), enumAt(COPY_MODES, r.u8(), 'copy mode'), r.big(), r.big(), r.uint(), r.uint(),
        r.uint());
      follower.investedE8 = r.big();
      follower.sharedE8 = r.big();
      const portfolio = copy.portfolios.get(follower.leadAccountId);
      assert(portfolio !== undefined, 'snapshot: a follower copies an open portfolio');
      copy.followers.set(follower.accountId, follower);
      // Followers are written in id order, so each portfolio's list comes back sorted.
      portfolio.followerIds.push(follower.accountId);
      linkFollower(ctx.account(follower.accountId), follower);
    }
  },
};
