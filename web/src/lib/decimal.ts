/**
 * Exact decimals for the UI: the API sends prices, sizes and money as decimal strings, and every
 * sum, product or comparison the UI makes on them (depth totals, notional, distance to liquidation)
 * is done on scaled bigints, never floats. Floats appear only where a chart library needs a number
 * to place a pixel.
 */
export interface Dec {
  /** value = units / 10^scale */
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?$/;
export const ZERO: Dec = { units: 0n, scale: 0 };

export function dec(text: string): Dec {
  const match = DECIMAL_RE.exec(text.trim());
  if (match === null) return ZERO;
  const fraction = match[3] ?? '';
  const units = BigInt(`${match[2]!}${fraction}`);
  return { units: match[1] === '-' ? -units : units, scale: fraction.length };
}

export function isDecimal(text: string): boolean {
  return DECIMAL_RE.test(text.trim());
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Units at a larger (or equal) scale. */
function at(value: Dec, scale: number): bigint {
  return value.units * pow10(scale - value.scale);
}

export function add(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale);
  return { units: at(a, scale) + at(b, scale), scale };
}

export function sub(a: Dec, b: Dec): Dec {
  return add(a, { units: -b.units, scale: b.scale });
}

export function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function cmp(a: Dec, b: Dec): number {
  const scale = Math.max(a.scale, b.scale);
  const x = at(a, scale);
  const y = at(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isZero(value: Dec): boolean {
  return value.units === 0n;
}

export function abs(value: Dec): Dec {
  return value.units < 0n ? { units: -value.units, scale: value.scale } : value;
}

/** Rounds half away from zero to `decimals` places. */
export function round(value: Dec, decimals: number): Dec {
  if (value.scale <= decimals) return { units: at(value, decimals), scale: decimals };
  const divisor = pow10(value.scale - decimals);
  const negative = value.units < 0n;
  const magnitude = negative ? -value.units : value.units;
  let units = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) units += 1n;
  return { units: negative ? -units : units, scale: decimals };
}

/** Decimal text with exactly `decimals` places (rounded half away from zero), with thousands separators if asked. */
export function format(value: Dec | string, decimals: number, grouped = false): string {
  const rounded = round(typeof value === 'string' ? dec(value) : value, decimals);
  const negative = rounded.units < 0n;
  const digits = (negative ? -rounded.units : rounded.units).toString().padStart(decimals + 1, '0');
  let whole = digits.slice(0, digits.length - decimals);
  if (grouped) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  return `${negative && rounded.units !== 0n ? '-' : ''}${whole}${fraction}`;
}

/** a / b × 100 as text with `decimals` places (truncated toward zero); '' when b is 0. */
export function percent(a: Dec, b: Dec, decimals = 2): string {
  if (b.units === 0n) return '';
  const scale = Math.max(a.scale, b.scale);
  const units = (at(a, scale) * 100n * pow10(decimals)) / at(b, scale);
  return format({ units, scale: decimals }, decimals);
}

/** Number of decimals in a unit such as "0.10" (→ 2) or "1" (→ 0). */
export function decimalsOf(unit: string): number {
  const dot = unit.indexOf('.');
  return dot < 0 ? 0 : unit.replace(/0+$/, '').length - dot - 1;
}

/** A float for drawing only (chart coordinates). */
export function toNumber(value: Dec | string): number {
  return Number(typeof value === 'string' ? value : format(value, value.scale));
}
