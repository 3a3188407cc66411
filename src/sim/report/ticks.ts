/**
 * @module sim/report/ticks
 * Axis ticks a person reads at a glance: steps of 1, 2 or 5 × 10^k, integers for counts, and
 * labels with thousands separators and no more decimals than the step needs (45,000 not 5,000
 * clipped; 0.25 not 0.2500000001). Used by the SVG charts; the uPlot charts get the same label
 * rule in the page's script (client.ts).
 */

/** Ticks from 0 to at least `max` (about `count` of them), on a 1-2-5 step. */
export function niceTicks(max: number, count = 5, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  let step = niceStep(max / count);
  if (integer) step = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  const last = Math.ceil(max / step - 1e-9) * step;
  for (let v = 0; v <= last + step * 1e-9; v += step) ticks.push(roundTo(v, step));
  return ticks;
}

export function niceStep(raw: number): number {
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** Decimals a value on a grid of `step` needs. */
export function decimalsFor(step: number): number {
  return step >= 1 ? 0 : Math.min(8, Math.ceil(-Math.log10(step) - 1e-9));
}

function roundTo(value: number, step: number): number {
  const d = decimalsFor(step);
  return Number(value.toFixed(d));
}

/** A label with thousands separators (en-US) and `decimals` fraction digits. */
export function label(value: number, decimals = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
