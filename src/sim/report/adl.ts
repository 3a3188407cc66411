/**
 * @module sim/report/adl
 * Auto-deleveraging on a replay, as figures an ADL-policy comparison can line up: how much of the
 * liquidated volume the book could not take, how many fills and accounts it took, how many of
 * those were profitable traders, and the haircut they took against the mark (what closing at the
 * bankruptcy price instead of the mark cost them). Keyed by the ranking policy that produced it,
 * so runs of the same replay under other policies (issue 17 §3: Hyperliquid's, pro-rata, minimum
 * overshoot) become more rows of the same table.
 */
import { compileInstrument } from '../../core/index.js';
import type { SimResult } from '../run/batch.js';

export interface AdlFigures {
  /** The engine's ranking policy (today the only one: Binance's PnL% × margin-ratio score). */
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
  /** Σ over fills of (fill − mark) × qty against the counterparty, USDT. */
  readonly haircutVsMarkUsdt: number;
  /** Σ of counterparties' realized PnL on their ADL fills, USDT. */
  readonly counterpartyRealizedPnlUsdt: number;
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
  let haircut = 0;
  let pnl = 0;
  for (const fill of adl) {
    lots += fill.qtyLots;
    notional += fill.qtyLots * fill.priceTicks * usdtPerTickLot;
    // The counterparty of a liquidated long is a short bought back at the fill price: it loses (fill − mark).
    haircut += fill.liquidatedSide * (fill.priceTicks - fill.markTicks) * fill.qtyLots * usdtPerTickLot;
    pnl += Number(fill.realizedPnlE8) / 1e8;
    if (fill.realizedPnlE8 > 0n) profitable.add(fill.accountId);
  }
  const liquidatedLots = liquidations.reduce((s, l) => s + l.qtyLots, 0);
  return {
    policy: 'binance-pnl-margin-score',
    liquidationsWithAdl: liquidations.filter((l) => l.adlFills > 0).length,
    fills: adl.length,
    accountsHit: new Set(adl.map((f) => f.accountId)).size,
    profitableAccountsHit: profitable.size,
    volumeBase: Math.round(lots * lot * 1e6) / 1e6,
    shareOfLiquidatedVolume: liquidatedLots === 0 ? 0 : Math.round((lots / liquidatedLots) * 1e6) / 1e6,
    notionalUsdt: round2(notional),
    haircutVsMarkUsdt: round2(haircut),
    counterpartyRealizedPnlUsdt: round2(pnl),
  };
}
