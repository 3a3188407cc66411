/**
 * @module num/typed-arrays
 * Growing the typed arrays that hot structures keep instead of objects (liquidation index, replay
 * guard, idempotency window): a larger array of the same kind with the old contents at its start.
 */
type Growable = Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

export function grownTo<T extends Growable>(old: T, capacity: number): T {
  const next = new (old.constructor as new (length: number) => T)(capacity);
  next.set(old);
  return next;
}
