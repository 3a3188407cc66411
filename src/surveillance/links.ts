/**
 * @module surveillance/links
 * The account-link registry: which accounts count as one owner for the wash, collusion,
 * concentration and manipulation rules. Sub-accounts and sponsored accounts are linked to their
 * parent from AccountCreated events; further links (a shared API key, device or IP hash, a funding
 * source) come from adapters or the operator with a reason. Groups are the connected components
 * (union-find), so a link is transitive.
 *
 * Links added at run time (not from events) are kept in order with the seq at which they were
 * added, so a replay given the same link file links the same accounts at the same points.
 */

export interface AccountLink {
  readonly a: number;
  readonly b: number;
  readonly reason: string;
  /** Applies from this seq on (0: from the start). */
  readonly fromSeq: number;
}

export class LinkRegistry {
  private readonly parent = new Map<number, number>();
  private readonly groupMembers = new Map<number, number[]>();
  private readonly pending: AccountLink[];
  readonly applied: AccountLink[] = [];

  constructor(links: readonly AccountLink[] = []) {
    this.pending = [...links].sort((x, y) => x.fromSeq - y.fromSeq);
  }

  /** Applies configured links whose seq has come (called by the service before each batch). */
  advanceTo(seq: number): void {
    while (this.pending.length > 0 && this.pending[0]!.fromSeq <= seq) {
      const link = this.pending.shift()!;
      this.link(link.a, link.b);
      this.applied.push(link);
    }
  }

  /** Adds a link from now on (operator or adapter); it is recorded for export. */
  add(link: AccountLink): void {
    this.pending.push(link);
    this.pending.sort((x, y) => x.fromSeq - y.fromSeq);
  }

  link(a: number, b: number): void {
    const rootA = this.root(a);
    const rootB = this.root(b);
    if (rootA === rootB) return;
    // The smaller id stays root, so a group's id does not depend on the order of links.
    const [keep, merge] = rootA < rootB ? [rootA, rootB] : [rootB, rootA];
    this.parent.set(merge, keep);
    const members = this.groupMembers.get(keep) ?? [keep];
    members.push(...(this.groupMembers.get(merge) ?? [merge]));
    members.sort((x, y) => x - y);
    this.groupMembers.set(keep, members);
    this.groupMembers.delete(merge);
  }

  /** The group id of an account (its smallest member's id; the account itself when unlinked). */
  root(accountId: number): number {
    let current = accountId;
    let next = this.parent.get(current);
    while (next !== undefined) {
      current = next;
      next = this.parent.get(current);
    }
    // Path compression keeps lookups flat.
    let walk = accountId;
    while (walk !== current) {
      const up = this.parent.get(walk)!;
      this.parent.set(walk, current);
      walk = up;
    }
    return current;
  }

  linked(a: number, b: number): boolean {
    return a === b || this.root(a) === this.root(b);
  }

  /** Members of the account's group, ascending (just the account when unlinked). */
  members(accountId: number): readonly number[] {
    return this.groupMembers.get(this.root(accountId)) ?? [accountId];
  }

  /** Groups with two or more members. */
  *groups(): IterableIterator<readonly number[]> {
    yield* this.groupMembers.values();
  }
}
