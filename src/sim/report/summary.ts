/**
 * @module sim/report/summary
 * summary.json: what a run came to, in plain numbers (USDT and base units as decimal strings where
 * exactness matters, floats for ratios). Holds nothing about the machine or the wall clock, so
 * the same scenario and seed give a byte-identical file; run metadata goes to run.json. Every
 * insurance-fund figure comes from the fund's own InsuranceFundChanged events. Liquidation figures
 * cover the replay window; liquidations during a warm-up are counted apart.
 */
import { copyFates } from './copy-fate.js';
import { compileInstrument, formatScaled, formatUnits } from '../../core/index.js';
import type { SimResult } from '../run/batch.js';
import { adlSummary } from './adl.js';
import { compareWithReality } from '../measure/compare.js';

export interface KindSurvival {
  agents: number;
  liquidated: number;
  survived: number;
  survivalRate: number;
  startCapitalUsdt: number;
  endEquityUsdt: number;
}

export interface LeverageBucket {
  leverage: number;
  survived: number;
  liquidated: number;
}

export interface LeverageBand {
  readonly band: string;
  readonly minLeverage: number;
  readonly maxLeverage: number;
  /** Agents whose leverage falls in the band (market makers and arbitrageurs excluded). */
  readonly agents: number;
  /** Of them, liquidated at least once. */
  readonly liquidatedAgents: number;
  /** liquidatedAgents / agents (0 for an empty band). */
  readonly liquidationRate: number;
  /** Liquidation events of positions in the band (re-entries count again) and their notional at mark. */
  readonly liquidations: number;
  readonly notionalUsdt: number;
}

const BANDS: readonly (readonly [number, number])[] = [[1, 5], [6, 10], [11, 20], [21, 50], [51, 100], [101, 125]];
const round2 = (x: number): number => Math.round(x * 100) / 100;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const isLiquidityProvider = (kind: string): boolean => kind === 'marketMaker' || kind === 'arbitrageur';

export function survivalByKind(result: SimResult): Record<string, KindSurvival> {
  const out: Record<string, KindSurvival> = {};
  const { recorder } = result;
  result.world.agents.forEach((agent, i) => {
    const k = (out[agent.kind] ??= { agents: 0, liquidated: 0, survived: 0, survivalRate: 0, startCapitalUsdt: 0, endEquityUsdt: 0 });
    k.agents++;
    if (agent.liquidations > 0) k.liquidated++;
    else k.survived++;
    k.startCapitalUsdt += agent.capitalUsdt;
    const series = recorder.equityOf(i);
    k.endEquityUsdt += series.length > 0 ? series[series.length - 1]! : 0;
  });
  for (const k of Object.values(out)) {
    k.survivalRate = round6(k.survived / k.agents);
    k.startCapitalUsdt = round2(k.startCapitalUsdt);
    k.endEquityUsdt = round2(k.endEquityUsdt);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Survivors vs liquidated by leverage, for agents that pick a leverage (makers and arbitrageurs excluded). */
export function leverageDistribution(result: SimResult): LeverageBucket[] {
  const buckets = new Map<number, LeverageBucket>();
  for (const agent of result.world.agents) {
    if (isLiquidityProvider(agent.kind)) continue;
    const b = buckets.get(agent.leverage) ?? { leverage: agent.leverage, survived: 0, liquidated: 0 };
    if (agent.liquidations > 0) b.liquidated++;
    else b.survived++;
    buckets.set(agent.leverage, b);
  }
  return [...buckets.values()].sort((a, b) => a.leverage - b.leverage);
}

/** Liquidation rate by leverage band: the share of agents in the band liquidated, and the events. */
export function leverageBands(result: SimResult): LeverageBand[] {
  const instrument = compileInstrument(result.instrument);
  const usdtPerTickLot = Number(instrument.quotePerTickLotE8) / 1e8;
  return BANDS.map(([min, max]) => {
    const members = result.world.agents.filter((a) => !isLiquidityProvider(a.kind) && a.leverage >= min && a.leverage <= max);
    const events = result.recorder.liquidations.filter((l) => !isLiquidityProvider(l.kind) && l.leverage >= min && l.leverage <= max);
    const liquidatedAgents = members.filter((a) => a.liquidations > 0).length;
    return {
      band: `${min}–${max}x`, minLeverage: min, maxLeverage: max, agents: members.length, liquidatedAgents,
      liquidationRate: members.length === 0 ? 0 : round6(liquidatedAgents / members.length),
      liquidations: events.length,
      notionalUsdt: round2(events.reduce((s, l) => s + l.qtyLots * l.markTicks * usdtPerTickLot, 0)),
    };
  });
}

export function buildSummary(result: SimResult): Record<string, unknown> {
  const { recorder, world, spec } = result;
  const instrument = compileInstrument(result.instrument);
  const usdt = (e8: bigint): string => formatScaled(e8, 8, 2);
  const base = (lots: number): string => formatUnits(lots, instrument.lot);
  const price = (ticks: number): string => formatUnits(ticks, instrument.tick);
  let liqLots = 0;
  let liqNotionalE8 = 0n;
  let adlLots = 0;
  let bookLots = 0;
  let longs = 0;
  let liqFeesE8 = 0n;
  let fundE8 = 0n;
  for (const l of recorder.liquidations) {
    liqLots += l.qtyLots;
    liqNotionalE8 += BigInt(l.qtyLots) * BigInt(l.markTicks) * instrument.quotePerTickLotE8;
    adlLots += l.adlLots;
    bookLots += l.bookFilledLots;
    if (l.side === 'SELL') longs++;
    liqFeesE8 += l.feeE8;
    fundE8 += l.fundDeltaE8;
  }
  const liquidatedAccounts = new Set(recorder.liquidations.map((l) => l.accountId)).size;
  const named = spec.accounts.map((a) => {
    const i = world.agents.findIndex((agent) => agent.name === a.name);
    const agent = world.agents[i]!;
    const series = recorder.equityOf(i);
    const first = recorder.liquidations.find((l) => l.accountId === agent.accountId);
    return {
      name: a.name, kind: agent.kind, leverage: agent.leverage, capitalUsdt: agent.capitalUsdt,
      endEquityUsdt: round2(series[series.length - 1] ?? 0), liquidations: agent.liquidations,
      firstLiquidationMs: first?.atMs ?? null,
    };
  });
  const counts = Object.fromEntries([...recorder.eventCounts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  const rejects = Object.fromEntries([...recorder.rejectCounts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  const fund = recorder.insurance;
  return {
    scenario: spec.name,
    seed: spec.seed,
    symbol: spec.symbol,
    data: { source: result.data.source.split(' + ').map((s) => s.replace(/^.*[\\/]/, '')).join(' + '),
      candles: result.data.candles.length, intervalMs: result.data.intervalMs, gaps: result.data.gaps },
    window: { startMs: result.startMs, endMs: result.endMs, start: new Date(result.startMs).toISOString(),
      end: new Date(result.endMs).toISOString(),
      warmupFrom: spec.warmup === undefined ? null : new Date(result.data.candles[0]!.openTimeMs).toISOString() },
    stepMs: result.stepMs,
    steps: result.steps,
    agents: world.agents.length,
    commands: world.commands,
    events: recorder.events,
    eventsByType: counts,
    eventStreamSha256: result.eventStreamSha256,
    finalStateHash: result.finalStateHash,
    liquidations: {
      count: recorder.liquidations.length,
      accounts: liquidatedAccounts,
      longs, shorts: recorder.liquidations.length - longs,
      volumeBase: base(liqLots),
      volumeUsdt: usdt(liqNotionalE8),
      bookFilledBase: base(bookLots),
      adlVolumeBase: base(adlLots),
      adlShare: liqLots === 0 ? 0 : round6(adlLots / liqLots),
      feesUsdt: usdt(liqFeesE8),
      fundNetUsdt: usdt(fundE8),
      duringWarmup: recorder.warmupLiquidations,
      firstAtMs: recorder.liquidations[0]?.atMs ?? null,
    },
    adl: adlSummary(result),
    survivalByAgentType: survivalByKind(result),
    leverageBands: leverageBands(result),
    leverageDistribution: leverageDistribution(result),
    namedAccounts: named,
    copyFollowers: copyFates(result),
    insuranceFund: {
      startUsdt: usdt(fund.startE8 ?? 0n),
      endUsdt: usdt(fund.balanceE8),
      minUsdt: usdt(fund.minE8 ?? fund.balanceE8),
      netUsdt: usdt(fund.netE8),
      liquidationFeesUsdt: usdt(fund.byReasonE8.LIQUIDATION_FEE),
      deficitsPaidUsdt: usdt(-fund.byReasonE8.DEFICIT),
      fundingResidueUsdt: usdt(fund.byReasonE8.FUNDING_RESIDUE),
      deficitsOutsideLiquidationUsdt: usdt(-fund.outsideLiquidationE8),
      deficitsOutsideLiquidation: fund.outsideLiquidationCount,
    },
    openInterest: { startBase: base(recorder.startOpenInterestLots), endBase: base(recorder.openInterestLots),
      maxBase: base(recorder.maxOpenInterestLots) },
    volume: { tradedBase: base(recorder.tradeVolumeLots), liquidationTradesBase: base(recorder.liquidationTradeLots) },
    funding: recorder.funding.map((f) => ({ timeMs: f.fundingTimeMs, rate: formatScaled(f.rateE8, 8), mark: price(f.markTicks),
      positions: f.positions, paidUsdt: usdt(f.paidE8) })),
    comparison: compareWithReality(result),
    rejects,
    audit: {
      every: world.auditOptions.every,
      afterEachLiquidation: world.auditOptions.onLiquidation,
      checks: world.audit.checks,
      ok: world.audit.violations.length === 0,
      violations: world.audit.violations,
    },
  };
}
