/**
 * Deep comparison of plain values with bigints, reporting the first difference as a path
 * (`events[3].order.priceTicks: engine 5, reference 6`). Exact prices given as fractions
 * ({ num, den }) compare by value, so two ways of writing the same price are equal.
 */

export type Json = unknown;

function isFraction(value: unknown): value is { num: bigint; den: bigint } {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 2 &&
    typeof (value as { num?: unknown }).num === 'bigint' && typeof (value as { den?: unknown }).den === 'bigint';
}

export function show(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
}

/** The first difference between `engine` and `reference` below `path`, or undefined when equal. */
export function firstDifference(engine: unknown, reference: unknown, path: string): string | undefined {
  if (isFraction(engine) && isFraction(reference)) {
    return engine.num * reference.den === reference.num * engine.den ? undefined
      : `${path}: engine ${show(engine)}, reference ${show(reference)}`;
  }
  if (typeof engine !== 'object' || typeof reference !== 'object' || engine === null || reference === null) {
    return Object.is(engine, reference) ? undefined : `${path}: engine ${show(engine)}, reference ${show(reference)}`;
  }
  if (Array.isArray(engine) !== Array.isArray(reference)) return `${path}: engine ${show(engine)}, reference ${show(reference)}`;
  if (Array.isArray(engine) && Array.isArray(reference)) {
    const length = Math.min(engine.length, reference.length);
    for (let i = 0; i < length; i++) {
      const difference = firstDifference(engine[i], reference[i], `${path}[${i}]`);
      if (difference !== undefined) return difference;
    }
    if (engine.length !== reference.length) {
      const extra = engine.length > reference.length ? `engine has more: ${show(engine[length])}`
        : `reference has more: ${show(reference[length])}`;
      return `${path}: length engine ${engine.length}, reference ${reference.length} (${extra})`;
    }
    return undefined;
  }
  const a = engine as Record<string, unknown>;
  const b = reference as Record<string, unknown>;
  // `type` first: events of different kinds differ in their type, not in some field one lacks.
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) =>
    x === 'type' ? -1 : y === 'type' ? 1 : x < y ? -1 : x > y ? 1 : 0);
  // Name the event or view first, so a report reads "events[4] (BalanceChanged).deltaE8".
  const label = typeof a['type'] === 'string' ? ` (${a['type']})` : '';
  for (const key of keys) {
    if (!(key in a) || !(key in b)) return `${path}${label}.${key}: only in ${key in a ? 'engine' : 'reference'}`;
    const difference = firstDifference(a[key], b[key], `${path}${label}.${key}`);
    if (difference !== undefined) return difference;
  }
  return undefined;
}
