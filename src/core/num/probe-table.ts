/**
 * @module num/probe-table
 * Linear-probing hash tables as bare Int32Arrays: a slot holds an entry number + 1 (0: empty),
 * the caller keeps each entry's 32-bit hash in its own Uint32Array, and deletion shifts later
 * members of the probe run back instead of leaving tombstones, so lookups never slow down as
 * entries come and go. Table sizes are powers of two; callers keep them at most half full.
 * Used where millions of short-lived keys must not become heap objects (the idempotency window,
 * the API's replay guard).
 */

/** Puts `entry` in the first free slot of its probe run. */
export function probeInsert(table: Int32Array, hash: number, entry: number): void {
  const mask = table.length - 1;
  let slot = hash & mask;
  while (table[slot] !== 0) slot = (slot + 1) & mask;
  table[slot] = entry + 1;
}

/** The slot holding `entry` (hash `hash`), or -1 when it is not in the table. */
export function probeSlotOf(table: Int32Array, hash: number, entry: number): number {
  const mask = table.length - 1;
  for (let slot = hash & mask; table[slot] !== 0; slot = (slot + 1) & mask) {
    if (table[slot] === entry + 1) return slot;
  }
  return -1;
}

/** Empties `slot`, moving each later member of its run that may move (its home not cyclically in (hole, slot]) back. */
export function probeDeleteSlot(table: Int32Array, slot: number, hashes: Uint32Array): void {
  const mask = table.length - 1;
  let hole = slot;
  for (let at = (hole + 1) & mask; table[at] !== 0; at = (at + 1) & mask) {
    const home = hashes[table[at]! - 1]! & mask;
    if (((hole - home) & mask) < ((at - home) & mask)) {
      table[hole] = table[at]!;
      hole = at;
    }
  }
  table[hole] = 0;
}
