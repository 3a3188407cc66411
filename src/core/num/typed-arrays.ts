/**
 * @module num/typed-arrays
 * Growing the typed arrays that hot structures keep instead of objects (order book, liquidation
 * index, replay guard): a larger array of the same kind with the old contents at its start.
 */
type Growable = Int32Array | Uint32Array | Float64Array | Uint8Array;

export function grownTo<T extends Growable>(old: T, capacity: number): T {
  const next = new (old.constructor as new (length: number) => T)(capacity);
  next.set(old);
  return next;
}
