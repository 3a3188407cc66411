/**
 * @module surveillance/config
 * Every threshold of the alert catalogue (../shared/reference/surveillance-anchors.md §5) as a
 * named default, with where it comes from. Thresholds marked "ours" are design choices (the
 * reference marks them UNSOURCED); docs/surveillance.md lists them. Ratios and percentages are
 * integer basis points (1 bp = 0.01 %) where they compare money; statistical figures (σ, z) are
 * plain numbers. Override any of them with a JSON file (`perpx surveil --config`), so thresholds can
 * be tuned offline against a journal.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_CONFIG = {
  /** E1: margin ratio = maintenance / margin balance (Binance's; hub MARGIN_CALL uses the same 80 %). */
  e1: { warnPercent: 80, highPercent: 90, repeatAfterMs: MINUTE_MS },
  /**
   * E2: p = 2·Φ(−ln(mark/liq) / (σ·√h)), σ = EWMA of 1-minute log returns of the mark (λ ours,
   * RiskMetrics' 0.94); warm-up before it speaks (ours).
   */
  e2: {
    probability: 0.5, warnHorizonMin: 60, highHorizonMin: 5, ewmaLambda: 0.94, minReturns: 30,
    evalEveryMs: 10_000, repeatAfterMs: 10 * MINUTE_MS,
  },
  /** E3: exact notional liquidating within each band of the mark ÷ resting depth in that band (ratios ours). */
  e3: { bandsBps: [200, 500], warnRatio: 1, highRatio: 3, evalEveryMs: 10_000, repeatAfterMs: 15 * MINUTE_MS, minNotionalUsdt: 10_000 },
  /**
   * E4: rolling liquidation notional vs its trailing per-minute median, and vs open interest (factors
   * ours); at least 5 liquidations in the minute (ours: one large liquidation is not a cascade).
   */
  e4: {
    windowMs: MINUTE_MS, minLiquidations: 5, medianMultiple: 10, medianWindowMs: DAY_MS, oiShareBps: 50, oiWindowMs: 5 * MINUTE_MS,
    priceWindowMs: 5 * MINUTE_MS, fallbackWindowMs: 15 * MINUTE_MS, fallbackReturnBps: 500, quietEndsAfterMs: 30 * MINUTE_MS,
  },
  /** E5: decline of open interest (lots) against its value a window ago (cut-offs ours). */
  e5: {
    levels: [
      { severity: 'warn', declineBps: 500, windowMs: HOUR_MS },
      { severity: 'high', declineBps: 1000, windowMs: HOUR_MS },
      { severity: 'critical', declineBps: 1500, windowMs: DAY_MS },
    ],
    repeatAfterMs: HOUR_MS,
  },
  /** E6: per 8 h: |rate| ≥ 0.05 %, or outside the trailing-90-day p1…p99 of settled rates; high at the cap/floor. */
  e6: { absoluteRateE8: 50_000, lowPercentile: 1, highPercentile: 99, trailingMs: 90 * DAY_MS, minSettlements: 30, repeatAfterMs: 8 * HOUR_MS },
  /** E7: |last − mark| / mark and |mark − index| / index (1 % ours; 5 % = Binance's PERCENT_PRICE band). */
  e7: { warnBps: 100, highBps: 500, repeatAfterMs: 5 * MINUTE_MS },
  /** E8: mark return over a window; majors fixed (derived from 2021-05-19), others |r| ≥ 6·σ_h. */
  e8: {
    majors: ['BTCUSDT', 'ETHUSDT'],
    windows: [{ minutes: 5, bps: 300 }, { minutes: 15, bps: 500 }, { minutes: 60, bps: 1000 }],
    sigmaMultiple: 6, repeatAfterMs: 15 * MINUTE_MS,
  },
  /** E9: insurance fund decline from its trailing 8-hour peak (−30 % = OKX's ADL trigger; −10 % ours). */
  e9: { peakWindowMs: 8 * HOUR_MS, warnBps: 1000, criticalBps: 3000, repeatAfterMs: HOUR_MS },
  /** E10: any ADL fill (one alert per command and symbol). */
  e10: {},
  /** E11: share of symbol open interest held by an account or linked group (numbers ours); floor ours. */
  e11: { warnBps: 1000, highBps: 2500, minOpenInterestUsdt: 1_000_000, evalEveryMs: MINUTE_MS, repeatAfterMs: 4 * HOUR_MS },
  /** M1: spoofing/layering episodes per 10-minute cycle (size factors ours; 5 s as Binance's ICR; score 75 as TT). */
  m1: {
    cycleMs: 10 * MINUTE_MS, sizeMultiple: 5, depthShareBps: 2000, depthLevels: 5, cancelWithinMs: 5_000,
    fillWithinMs: 5_000, minPriorOrders: 3, sizeHistory: 100, warnEpisodes: 3, highScore: 75,
  },
  /** M2: Binance Futures Quantitative Rules, per 10-minute cycle per account × symbol. */
  m2: {
    cycleMs: 10 * MINUTE_MS,
    ufr: { min: 10_000, triggerBps: 9900 },
    icr: { min: 5_000, triggerBps: 9900, withinMs: 5_000 },
    ifer: { min: 5_000, triggerBps: 9900 },
    dr: { min: 10_000, triggerBps: 9000, dustUsdt: 50 },
    /** Bans in a rolling 24 h that make the whole account "TMV" (too many violations). */
    banCount: { windowMs: DAY_MS, trigger: 10 },
    /** Lock after the first ban in 24 h, doubling per further ban, capped (ours: Binance does not publish it). */
    lockMs: 30 * MINUTE_MS, maxLockMs: DAY_MS, accountLockMs: DAY_MS,
  },
  /** M3: order messages (orders, cancels, amends, rejects) vs the order rate limit (numbers ours). */
  m3: { windowMs: MINUTE_MS, limitPerWindow: 1200, infoShareBps: 8000, rateLimitedBurst: 10, repeatAfterMs: HOUR_MS },
  /** M4: fills whose maker and taker share an owner; STP expiries per hour. */
  m4: { stpExpiriesPerHour: 100 },
  /** M5: ≥ 50 % of each member's volume against the group in 1 h, |net change| ≤ 10 % of gross (floors ours). */
  m5: { windowMs: HOUR_MS, volumeShareBps: 5000, netBps: 1000, minTrades: 4, minNotionalUsdt: 10_000 },
  /** M6: (a) group taker share before funding / a member's liquidation, with the price move; (b) linked deficit. */
  m6: { windowMs: 5 * MINUTE_MS, takerShareBps: 3000, moveBps: 100, deficitUsdt: 10_000, minWindowNotionalUsdt: 10_000 },
  /** M7: hourly pump-and-dump screen of arXiv 2503.08692 as implemented in q-fi. */
  m7: { priceMultiple: 1.9, volumeMultiple: 5, maHours: 12, ewmaHours: 480, sigmas: 2, maxHours: 720, minHistoryHours: 12, topBuyers: 5 },
  /** M8: front-running of copy followers (numbers ours). */
  m8: { beforeMs: 5_000, reduceWithinMs: 60_000, highPerDay: 3 },
  /** B1: a new position at ≥ the liquidated leverage within 10 minutes of the account's liquidation. */
  b1: { withinMs: 10 * MINUTE_MS },
  /** B2: trades per 24 h at an average leverage (cut-off ours, from the story: 1,454 trades a week). */
  b2: { trades: 200, averageLeverage: 50, windowMs: DAY_MS, repeatAfterMs: DAY_MS },
  /** C1: public lead with AUM ≥ 500,000 USDT and 7-day max drawdown ≥ 20 %, checked every 2 h (Binance). */
  c1: { aumUsdt: 500_000, drawdownBps: 2000, windowMs: 7 * DAY_MS, checkEveryMs: 2 * HOUR_MS, sampleEveryMs: 10 * MINUTE_MS, suspendMs: DAY_MS, recheckAfterMs: 7 * DAY_MS },
  /** C2: lead margin ratio ≥ 80 % while followers mirror ≥ 100,000 USDT (X ours). */
  c2: { leadRatioPercent: 80, followerNotionalUsdt: 100_000, repeatAfterMs: HOUR_MS },
  /** C3: a follower's mirrored position liquidated while the lead's stays open. */
  c3: {},
  /** Resolution of the heatmap's served levels and leverage bands (ours). */
  heatmap: { leverageBands: [5, 10, 20, 50, 100] },
} as const;

type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean
  : T extends readonly (infer U)[] ? readonly Widen<U>[] : { readonly [K in keyof T]: Widen<T[K]> };

export type SurveillanceConfig = Widen<typeof DEFAULT_CONFIG>;

export type ConfigOverrides = { readonly [K in keyof SurveillanceConfig]?: Partial<SurveillanceConfig[K]> };

/** Defaults with per-alert overrides merged in (one level deep: an alert's keys replace the defaults'). */
export function resolveConfig(overrides: ConfigOverrides = {}): SurveillanceConfig {
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(DEFAULT_CONFIG)) {
    const override = (overrides as Record<string, object | undefined>)[key];
    merged[key] = override === undefined ? value : { ...value, ...override };
  }
  for (const key of Object.keys(overrides)) {
    if (!(key in DEFAULT_CONFIG)) throw new Error(`unknown surveillance config section "${key}"`);
  }
  return merged as SurveillanceConfig;
}
