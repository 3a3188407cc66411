/**
 * @module surveillance/risk/ratio-level
 * Where a position's margin ratio (maintenance ÷ margin balance) reaches a/b, and the exact mark
 * tick at which a rule first holds.
 *
 * With the position's own size s and cost C, the other cross positions held at their marks, and
 * Bab = a·(wallet + UPnL_others) − b·MM_others (isolated: a·isolated wallet), the account's ratio
 * is ≥ a/b exactly when  b·MM(m) ≥ Bab + a·UPnL(m).  Inside one bracket MM(m) = MMR·|s|·m·k − cum,
 * so the boundary is
 *     m = (a·C − b·cum − Bab) · R / (k · (a·s·R − b·|s|·MMR))
 * which for a = b = 1 is the engine's liquidation formula (core/engine/margin.ts liquidationPrice).
 * As there, the root must lie in its own bracket; brackets are scanned from the lowest. The side of
 * the root where the rule holds is below it for a long, above it for a short, as long as b·MMR < a
 * in every bracket (true for ratios ≥ 60 % with MMRs ≤ 50 %).
 *
 * This generalises a core function over plain figures; it belongs in core/engine/margin.ts beside
 * liquidationPrice (docs/surveillance.md). The heatmap's liquidation levels use the engine's own
 * liquidationPrice; this solver places the margin-call levels of E1.
 */
import {
  fractionToTicks, maintenanceMarginE8, RATE_ONE, unrealizedPnlE8, type Instrument, type PriceFraction,
} from '../../core/index.js';

/** Where a rule holds along the mark axis for one position. */
export type RuleRegion =
  | { readonly kind: 'never' }
  | { readonly kind: 'always' }
  | { readonly kind: 'root'; readonly root: PriceFraction };

export const NEVER: RuleRegion = { kind: 'never' };
export const ALWAYS: RuleRegion = { kind: 'always' };

/** The region where b·MM(m) ≥ Bab + a·UPnL(m) (the ratio reaches a/b). */
export function ratioRegion(instrument: Instrument, sizeLots: number, costE8: bigint, a: bigint, b: bigint, babE8: bigint): RuleRegion {
  if (sizeLots === 0) return NEVER;
  const s = BigInt(sizeLots);
  const absS = s < 0n ? -s : s;
  const k = instrument.quotePerTickLotE8;
  const brackets = instrument.brackets;
  for (let index = 0; index < brackets.length; index++) {
    const bracket = brackets[index]!;
    let num = (a * costE8 - b * bracket.cumE8 - babE8) * RATE_ONE;
    let den = k * (a * s * RATE_ONE - b * absS * bracket.mmrE8);
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (den === 0n || num <= 0n) continue;
    const scaledNotional = absS * k * num;
    if (scaledNotional < bracket.floorE8 * den) continue;
    if (index < brackets.length - 1 && scaledNotional > bracket.capE8 * den) continue;
    return { kind: 'root', root: { num, den } };
  }
  // No positive root: the rule holds at every price or at none. Near price 0 (no notional, no
  // maintenance) it holds iff a·C − Bab ≥ 0, and the rule's side is monotonic, so that decides (a long
  // that holds there always has a root above; reaching here would be a bracket table the scan cannot
  // solve, and "always" makes the caller check it exactly).
  const atZero = a * costE8 - babE8;
  if (sizeLots > 0) return atZero > 0n ? ALWAYS : NEVER;
  return atZero >= 0n ? ALWAYS : NEVER;
}

/** Whether the rule b·MM(m) ≥ Bab + a·UPnL(m) holds at one mark (MM rounded up, as the engine does). */
export function ruleHolds(instrument: Instrument, sizeLots: number, costE8: bigint, a: bigint, b: bigint, babE8: bigint,
  markTicks: number): boolean {
  const position = { sizeLots, costE8 };
  return b * maintenanceMarginE8(instrument, position, markTicks) >= babE8 + a * unrealizedPnlE8(instrument, position, markTicks);
}

/** Steps a boundary tick at most this far to agree with the integer rule (the root is exact to < 1 tick). */
const MAX_ADJUST_STEPS = 4;

/**
 * The trigger tick of a region: the highest mark at which the rule holds for a long, the lowest for a
 * short, checked against the integer rule (the rounded-up maintenance can move it by a tick).
 * -1 when the rule never holds at a positive tick; 0 (long) / Infinity (short) when it always holds.
 */
export function triggerTick(instrument: Instrument, sizeLots: number, costE8: bigint, a: bigint, b: bigint, babE8: bigint,
  region: RuleRegion): number {
  if (region.kind === 'never') return -1;
  const long = sizeLots > 0;
  if (region.kind === 'always') return long ? Number.MAX_SAFE_INTEGER : 1;
  let tick = fractionToTicks(region.root, long ? 'down' : 'up');
  const holds = (ticks: number): boolean => ticks >= 1 && ruleHolds(instrument, sizeLots, costE8, a, b, babE8, ticks);
  const outward = long ? 1 : -1;
  for (let i = 0; i < MAX_ADJUST_STEPS && holds(tick + outward); i++) tick += outward;
  for (let i = 0; i < MAX_ADJUST_STEPS && !holds(tick) && tick - outward >= 1; i++) tick -= outward;
  return holds(tick) ? tick : -1;
}
