/**
 * @module sim/scenario/schema
 * The scenario file format (YAML or JSON), validated with zod. Every field has a default except
 * what only the author can know (name, the data source, the agents), and an unknown field is an
 * error, so a typo is reported instead of ignored. docs/simulator.md documents each field.
 */
import { z } from 'zod';
import { ADL_POLICIES } from '../../core/instrument/instrument.js';
import { arbitrageurParams } from '../agents/arbitrageur.js';
import { builderParams } from '../agents/builder.js';
import { carryParams } from '../agents/carry.js';
import { copyFollowerParams } from '../agents/copy-follower.js';
import { holderParams } from '../agents/holder.js';
import { marketMakerParams } from '../agents/market-maker.js';
import { meanReversionParams } from '../agents/mean-reversion.js';
import { momentumParams } from '../agents/momentum.js';
import { noiseParams } from '../agents/noise.js';
import { range } from '../agents/params.js';
import { retailParams } from '../agents/retail.js';
import { scalperParams } from '../agents/scalper.js';
import { faultSchema } from './faults.js';

/** An instant: ISO-8601 text ("2021-05-19T00:00:00Z") or epoch milliseconds. */
const instant = z.union([
  z.number().int().nonnegative(),
  z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not an ISO-8601 date-time' }),
]);

const NAME = /^[A-Za-z0-9_.-]{1,40}$/;
const name = z.string().regex(NAME, 'use 1–40 letters, digits, "_", "-" or "."');
const capital = range(1, 1e12);
const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'a plain decimal string such as "0.0005"');

function group<T extends string, P extends z.ZodType>(type: T, params: P) {
  return z.object({
    type: z.literal(type),
    /** Group name (default: the type); agents are named <group>-<n>. */
    name: name.optional(),
    count: z.number().int().min(1).max(100_000).default(1),
    /** Capital per agent in USDT: a number, or [min, max] drawn log-uniformly. */
    capitalUsdt: capital,
    /** When the group starts: with the warm-up (open interest built over the preceding days) or at the replay start. */
    from: z.enum(['warmup', 'replay']).default('replay'),
    marginType: z.enum(['ISOLATED', 'CROSSED']).optional(),
    params: params,
  }).strict();
}

export const agentGroupSchema = z.discriminatedUnion('type', [
  group('marketMaker', marketMakerParams.prefault({})),
  group('noise', noiseParams.prefault({})),
  group('momentum', momentumParams.prefault({})),
  group('meanReversion', meanReversionParams.prefault({})),
  group('retail', retailParams.prefault({})),
  group('scalper', scalperParams.prefault({})),
  group('arbitrageur', arbitrageurParams.prefault({})),
  group('holder', holderParams),
  group('builder', builderParams.prefault({})),
  group('carry', carryParams.prefault({})),
  group('copyFollower', copyFollowerParams),
]);
export type AgentGroupSpec = z.infer<typeof agentGroupSchema>;

/** A single, named account (followed in the report): one agent with a fixed capital. */
export const namedAccountSchema = z.object({
  name,
  capitalUsdt: z.number().positive(),
  agent: z.discriminatedUnion('type', [
    z.object({ type: z.literal('scalper'), params: scalperParams.prefault({}) }).strict(),
    z.object({ type: z.literal('holder'), params: holderParams }).strict(),
    z.object({ type: z.literal('retail'), params: retailParams.prefault({}) }).strict(),
    z.object({ type: z.literal('momentum'), params: momentumParams.prefault({}) }).strict(),
    z.object({ type: z.literal('meanReversion'), params: meanReversionParams.prefault({}) }).strict(),
    z.object({ type: z.literal('noise'), params: noiseParams.prefault({}) }).strict(),
    z.object({ type: z.literal('copyFollower'), params: copyFollowerParams }).strict(),
  ]),
}).strict();
export type NamedAccountSpec = z.infer<typeof namedAccountSchema>;

const syntheticSchema = z.object({
  start: instant.default('2024-01-01T00:00:00Z'),
  durationHours: z.number().positive().max(24 * 366).default(24),
  intervalSec: z.number().int().min(1).max(86_400).default(60),
  startPrice: z.number().positive().default(60_000),
  annualVol: z.number().min(0).max(10).default(0.35),
  annualDrift: z.number().min(-10).max(10).default(0),
  jumpProbability: z.number().min(0).max(1).default(0),
  jumpSize: z.number().min(0).max(1).default(0.01),
}).strict();

const dataSchema = z.object({
  /**
   * Candle CSV: absolute, relative to the scenario, the working directory or the data directory. A list
   * joins files in time: each next file continues after the previous one's last candle (a 5-minute file
   * that stops, then an hourly one).
   */
  file: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(8)]).optional(),
  window: z.object({ start: instant.optional(), end: instant.optional() }).strict().optional(),
  /** Rescale the index to this file's closes (hourly USDT spot for a 1-minute USD index): see scenario/index-data.ts. */
  rescaleTo: z.string().min(1).optional(),
  synthetic: syntheticSchema.optional(),
}).strict().refine((d) => (d.file === undefined) !== (d.synthetic === undefined), {
  message: 'give exactly one of data.file or data.synthetic',
});

const instrumentOverrides = z.object({
  makerFeeRate: decimal, takerFeeRate: decimal, liquidationFeeRate: decimal,
  percentPriceUp: decimal, percentPriceDown: decimal, marketTakeBound: decimal, triggerProtect: decimal,
  minNotional: decimal, maxQty: decimal, marketMaxQty: decimal,
  defaultLeverage: z.number().int().min(1).max(125),
  partialLiquidationFromBracket: z.number().int().min(0).max(20),
  maxOpenOrders: z.number().int().min(1).max(10_000),
  /** Whom auto-deleveraging closes against (docs/MECHANICS.md "ADL policies"); `perpx sim --adl` overrides it. */
  adlPolicy: z.enum(ADL_POLICIES),
  mark: z.object({ cadenceMs: z.number().int(), basisSamples: z.number().int() }).partial().strict(),
  funding: z.object({
    intervalHours: z.number().int(), interestRate: decimal, premiumClamp: decimal, rateCap: decimal,
    rateFloor: z.string().regex(/^-?\d+(\.\d+)?$/), impactMargin: decimal, premiumSampleMs: z.number().int(),
  }).partial().strict(),
}).partial().strict();
export type InstrumentOverrides = z.infer<typeof instrumentOverrides>;

export const scenarioSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  seed: z.number().int().nonnegative().max(2 ** 32 - 1).default(1),
  symbol: z.string().default('BTCUSDT'),
  data: dataSchema,
  /**
   * Positions opened before the replay starts: the index follows the data from `from` to
   * data.window.start at `stepMs` per point, and only groups with `from: warmup` act. Nothing before
   * the window start is charted or measured.
   */
  warmup: z.object({
    from: instant,
    stepMs: z.number().int().min(1_000).max(3_600_000).default(15_000),
  }).strict().optional(),
  /** Real data the run is measured against (src/sim/measure): see docs/simulator.md. */
  compare: z.object({
    /** The real perpetual's 1-minute (or coarser) candles over the replay window. */
    perp: z.string().min(1),
    /** The crash window: its share of liquidated notional is compared with its share of price damage. */
    crashWindow: z.object({ start: instant, end: instant }).strict(),
    /** Real funding settlements (`calc_time,funding_interval_hours,last_funding_rate` or `funding_time_ms,funding_rate`). */
    funding: z.string().min(1).optional(),
    /** A cascade to describe minute by minute, beside what was published about the real one (measure/cascade.ts). */
    cascade: z.object({
      start: instant,
      end: instant,
      /** What was published, in words, for the report. */
      published: z.string().default(''),
      /** A published per-time-bucket profile (bucket_time_ms, bucket_adl_notional_usd) to set beside the simulated one. */
      publishedProfile: z.string().min(1).optional(),
    }).strict().optional(),
    /** Daily mean open interest (a `date,oi,…` file) for the listed UTC days, against the simulated daily means. */
    openInterest: z.object({
      file: z.string().min(1),
      days: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2025-10-10')).min(2).max(14),
    }).strict().optional(),
  }).strict().optional(),
  path: z.object({
    /** Index update period in ms; the mark price moves on 1 s boundaries, so ≥ 1000 is typical. */
    stepMs: z.number().int().min(100).max(3_600_000).default(1_000),
    /** Index step through candles of an hour or more (joined hourly files carry no minute detail to follow). */
    hourlyStepMs: z.number().int().min(100).max(3_600_000).optional(),
  }).strict().prefault({}),
  engine: z.object({
    insuranceFundUsdt: z.number().min(0).default(1_000_000),
    instrument: instrumentOverrides.default({}),
  }).strict().prefault({}),
  audit: z.object({
    /** Run the auditor (engine.checkInvariants) every n commands, after every liquidation and at the end. */
    every: z.number().int().min(1).default(1_000),
  }).strict().prefault({}),
  report: z.object({
    /** Period of price / open-interest / insurance samples. */
    sampleEveryMs: z.number().int().min(1_000).default(10_000),
    /** Period of equity samples of every account. */
    equityEveryMs: z.number().int().min(1_000).default(60_000),
    /** Names of agents whose equity curves are charted (named accounts always are). */
    follow: z.array(z.string()).default([]),
    /** Period of the liquidation-price snapshots behind the heatmap (0: no heatmap). */
    heatmapEveryMs: z.number().int().min(0).default(900_000),
  }).strict().prefault({}),
  agents: z.array(agentGroupSchema).default([]),
  accounts: z.array(namedAccountSchema).default([]),
  /** What agents share about the market. */
  market: z.object({
    /** Half-life of the liquidation stream's weight in agents' stress (agents/stress.ts), seconds. */
    liquidationMemorySec: z.number().min(1).max(86_400).default(120),
  }).strict().prefault({}),
  /** Scripted faults (scenario/faults.ts): API latency and outages under `perpx serve`, index and liquidity faults everywhere. */
  faults: z.array(faultSchema).max(100).default([]),
}).strict();

export type ScenarioSpec = z.infer<typeof scenarioSchema>;
