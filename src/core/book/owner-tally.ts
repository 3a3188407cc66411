/**
 * @module book/owner-tally
 * Lots filled per maker owner during one sweep, needed for reduce-only caps ("capacity minus what
 * this owner's makers already filled in this sweep").
 *
 * Open addressing keyed by int32 owner, with a generation stamp per bucket so `begin()` clears the
 * table in O(1) instead of O(buckets) on every sweep.
 *
 * Invariants: a bucket belongs to the current sweep iff its stamp equals `generation`; the number
 * of current entries stays <= half the buckets.
 */

const GOLDEN_32 = -1640531535;

export class OwnerTally {
  private owners: Int32Array;
  private lots: Float64Array;
  private stamps: Int32Array;
  private mask: number;
  private shift: number;
  private generation = 1;
  private used = 0;

  constructor() {
    this.owners = new Int32Array(16);
    this.lots = new Float64Array(16);
    this.stamps = new Int32Array(16);
    this.mask = 15;
    this.shift = 28;
  }

  begin(): void {
    this.used = 0;
    if (this.generation === 0x7fffffff) {
      this.stamps.fill(0);
      this.generation = 0;
    }
    this.generation++;
  }

  get(owner: number): number {
    const gen = this.generation;
    let b = Math.imul(owner, GOLDEN_32) >>> this.shift;
    while (this.stamps[b] === gen) {
      if (this.owners[b] === owner) return this.lots[b]!;
      b = (b + 1) & this.mask;
    }
    return 0;
  }

  add(owner: number, qtyLots: number): void {
    const gen = this.generation;
    let b = Math.imul(owner, GOLDEN_32) >>> this.shift;
    while (this.stamps[b] === gen) {
      if (this.owners[b] === owner) {
        this.lots[b] = this.lots[b]! + qtyLots;
        return;
      }
      b = (b + 1) & this.mask;
    }
    if ((this.used + 1) * 2 > this.owners.length) {
      this.grow();
      this.add(owner, qtyLots);
      return;
    }
    this.stamps[b] = gen;
    this.owners[b] = owner;
    this.lots[b] = qtyLots;
    this.used++;
  }

  private grow(): void {
    const oldOwners = this.owners;
    const oldLots = this.lots;
    const oldStamps = this.stamps;
    const gen = this.generation;
    const length = oldOwners.length * 2;
    this.owners = new Int32Array(length);
    this.lots = new Float64Array(length);
    this.stamps = new Int32Array(length);
    this.mask = length - 1;
    this.shift--;
    this.used = 0;
    for (let i = 0; i < oldOwners.length; i++) {
      if (oldStamps[i] === gen) this.add(oldOwners[i]!, oldLots[i]!);
    }
  }
}
