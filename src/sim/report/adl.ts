/**
 * @module sim/report/adl
 * Auto-deleveraging on a replay, as figures an ADL-policy comparison lines up (`perpx sim --adl
 * compare`): how much of the liquidated volume the book could not take, how many fills and
 * accounts it took, how many of those were profitable traders, the deficit the counterparties
 * covered, the profit the policy closed and the overshoot.
 *
 * - The deficit covered is the counterparties' haircut against the mark where positive: closing at
 *   the bankrupt position's bankruptcy price instead of the mark moves exactly the bankrupt
 *   remainder's negative equity at mark onto them. perpx also deleverages a position that still
 *   has equity when the book cannot take it inside the price band; then the bankruptcy price is
 *   better than the mark for the counterparties (a negative haircut), there is no deficit, and all
 *   the profit such an ADL closes is overshoot.
 * - The profit closed is the counterparties' unrealized profit at mark on the lots closed (their
 *   realized PnL on the fill plus the haircut), counted where positive: what the policy takes from
 *   winners' open profit (the "PnL haircut" domain of the autodeleveraging literature).
 * - The overshoot, per liquidation with ADL, is the profit closed beyond the deficit it covered
 *   (0 when less); summed over the run. With a fixed price and a fixed quantity only the choice of
 *   counterparties moves it: closing the lots that carry the least profit closes the least.
 * Sums are exact (E8 integers), shown truncated to the cent.
 */
import { compileInstrument } from '../../core/index.js';
import type { SimResult } from '../run/batch.js';

export interface AdlFigures {
  /** The instrument's ADL policy (docs/MECHANICS.md "ADL policies"). */
  readonly policy: string;
  readonly liquidationsWithAdl: number;
  readonly fills: number;
  readonly accountsHit: number;
  /** Accounts whose ADL fill realized a profit (the traders an ADL hurts most). */
  readonly profitableAccountsHit: number;
  readonly volumeBase: number;
  /** Share of liquidated volume closed by ADL instead of the book. */
  readonly shareOfLiquidatedVolume: number;
  readonly notionalUsdt: number;
  /** Σ over fills of (fill − mark) × qty against the counterparty, USDT (negative: they closed better than the mark). */
  readonly haircutVsMarkUsdt: number;
  /** Σ of counterparties' realized PnL on their ADL fills, USDT. */
  readonly counterpartyRealizedPnlUsdt: number;
  /** Σ over liquidations of the counterparties' haircut vs mark where positive: the negative equity they covered, USDT. */
  readonly deficitCoveredUsdt: number;
  /** Σ of the counterparties' positive unrealized profit at mark on the lots closed, USDT. */
  readonly profitClosedUsdt: number;
  /** Σ over liquidations of max(0, profit closed − deficit covered), USDT. */
  readonly overshootUsdt: number;
}

interface Round {
  /** Σ of the counterparties' haircut against the mark: negative when they closed better than the mark. */
  haircutE8: bigint;
  profitE8: bigint;
}

const usdt = (amountE8: bigint): number => Number(amountE8 / 1_000_000n) / 100;

/** Deficit and profit closed per liquidation (a liquidated account's ADL in one millisecond is one round). */
function rounds(result: SimResult): Round[] {
  const k = compileInstrument(result.instrument).quotePerTickLotE8;
  const byKey = new Map<string, Round>();
  for (const fill of result.recorder.adl) {
    const key = `${fill.atMs}:${fill.liquidatedAccountId}`;
    let round = byKey.get(key);
    if (round === undefined) byKey.set(key, round = { haircutE8: 0n, profitE8: 0n });
    const haircutE8 = BigInt(fill.liquidatedSide * (fill.priceTicks - fill.markTicks)) * BigInt(fill.qtyLots) * k;
    const profitAtMarkE8 = fill.realizedPnlE8 + haircutE8;
    round.haircutE8 += haircutE8;
    if (profitAtMarkE8 > 0n) round.profitE8 += profitAtMarkE8;
  }
  return [...byKey.values()];
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function adlSummary(result: SimResult): AdlFigures {
  const instrument = compileInstrument(result.instrument);
  const lot = Number(instrument.lot.digits) / 10 ** instrument.lot.scale;
  const usdtPerTickLot = Number(instrument.quotePerTickLotE8) / 1e8;
  const { adl, liquidations } = result.recorder;
  const profitable = new Set<number>();
  let lots = 0;
  let notional = 0;
  let pnl = 0;
  for (const fill of adl) {
    lots += fill.qtyLots;
    notional += fill.qtyLots * fill.priceTicks * usdtPerTickLot;
    pnl += Number(fill.realizedPnlE8) / 1e8;
    if (fill.realizedPnlE8 > 0n) profitable.add(fill.accountId);
  }
  const liquidatedLots = liquidations.reduce((s, l) => s + l.qtyLots, 0);
  let haircutE8 = 0n;
  let deficitE8 = 0n;
  let profitE8 = 0n;
  let overshootE8 = 0n;
  for (const round of rounds(result)) {
    // A liquidation that went to ADL with equity left (the book was thin, not the account bankrupt) had no deficit.
    const deficit = round.haircutE8 > 0n ? round.haircutE8 : 0n;
    haircutE8 += round.haircutE8;
    deficitE8 += deficit;
    profitE8 += round.profitE8;
    if (round.profitE8 > deficit) overshootE8 += round.profitE8 - deficit;
  }
  return {
    policy: instrument.adlPolicy,
    liquidationsWithAdl: liquidations.filter((l) => l.adlFills > 0).length,
    fills: adl.length,
    accountsHit: new Set(adl.map((f) => f.accountId)).size,
    profitableAccountsHit: profitable.size,
    volumeBase: Math.round(lots * lot * 1e6) / 1e6,
    shareOfLiquidatedVolume: liquidatedLots === 0 ? 0 : Math.round((lots / liquidatedLots) * 1e6) / 1e6,
    notionalUsdt: round2(notional),
    haircutVsMarkUsdt: usdt(haircutE8),
    counterpartyRealizedPnlUsdt: round2(pnl),
    deficitCoveredUsdt: usdt(deficitE8),
    profitClosedUsdt: usdt(profitE8),
    overshootUsdt: usdt(overshootE8),
  };
}
