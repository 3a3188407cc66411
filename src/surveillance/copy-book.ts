/**
 * @module surveillance/copy-book
 * Who copies whom, from copy-trading events: active follower sets per lead, the leads a follower
 * copies, and each lead portfolio's public flag and assets under management.
 */
import type { CopyTradingEvent } from './copy-events.js';

export interface LeadPortfolio {
  public: boolean;
  aumE8: bigint;
}

export class CopyBook {
  private readonly followersOf = new Map<number, Set<number>>();
  private readonly leadsOf = new Map<number, Set<number>>();
  readonly portfolios = new Map<number, LeadPortfolio>();

  apply(event: CopyTradingEvent): void {
    switch (event.type) {
      case 'CopyRelation': {
        const followers = this.followersOf.get(event.leadAccountId) ?? new Set<number>();
        const leads = this.leadsOf.get(event.followerAccountId) ?? new Set<number>();
        if (event.active) {
          followers.add(event.followerAccountId);
          leads.add(event.leadAccountId);
        } else {
          followers.delete(event.followerAccountId);
          leads.delete(event.leadAccountId);
        }
        this.followersOf.set(event.leadAccountId, followers);
        this.leadsOf.set(event.followerAccountId, leads);
        return;
      }
      case 'LeadPortfolio':
        this.portfolios.set(event.leadAccountId, { public: event.public, aumE8: event.aumE8 });
        return;
      case 'CopyMirrored':
        return;
    }
  }

  /** False until the first copy relation: copy rules cost nothing on a venue without copy trading. */
  get hasRelations(): boolean {
    return this.followersOf.size > 0;
  }

  hasFollowers(leadAccountId: number): boolean {
    return (this.followersOf.get(leadAccountId)?.size ?? 0) > 0;
  }

  followers(leadAccountId: number): readonly number[] {
    return [...(this.followersOf.get(leadAccountId) ?? [])].sort((a, b) => a - b);
  }

  leads(followerAccountId: number): readonly number[] {
    return [...(this.leadsOf.get(followerAccountId) ?? [])].sort((a, b) => a - b);
  }

  follows(followerAccountId: number, leadAccountId: number): boolean {
    return this.followersOf.get(leadAccountId)?.has(followerAccountId) ?? false;
  }

  /** Leads with at least one follower or a portfolio. */
  leadIds(): number[] {
    const ids = new Set<number>(this.portfolios.keys());
    for (const [lead, followers] of this.followersOf) if (followers.size > 0) ids.add(lead);
    return [...ids].sort((a, b) => a - b);
  }
}
