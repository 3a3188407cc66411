/**
 * @module sim/ruin/ruin
 * Monte Carlo risk of ruin on the real engine. Each path is a block bootstrap of real candles
 * (see data/bootstrap.ts) turned into an index path; on it a fresh engine runs one market maker
 * (so orders fill and the mark follows the index) and one account per leverage running the
 * strategy with the same margin — isolated holds, or the cross-margin scalper. An account is
 * ruined at its first Liquidation event, which the engine emits when margin balance ≤
 * maintenance at mark: nothing about liquidation is modelled outside the engine. The result is
 * the probability of liquidation within each checkpoint, by leverage.
 */
import { compileInstrument, DEFAULT_INSTRUMENTS, type InstrumentSpec } from '../../core/index.js';
import { Holder, type HolderParams } from '../agents/holder.js';
import { MarketMaker, marketMakerParams } from '../agents/market-maker.js';
import { Scalper, scalperParams } from '../agents/scalper.js';
import type { Agent } from '../agents/types.js';
import { BlockBootstrap } from '../data/bootstrap.js';
import type { Candle } from '../data/candle.js';
import { candlePath } from '../data/index-path.js';
import { Rng } from '../rng.js';
import { SimWorld } from '../run/world.js';

export type RuinStrategy = 'hold-long' | 'hold-short' | 'scalper';

export interface RuinOptions {
  readonly strategy: RuinStrategy;
  readonly leverages: readonly number[];
  readonly paths: number;
  readonly horizonMs: number;
  readonly checkpointsMs: readonly number[];
  readonly candles: readonly Candle[];
  readonly intervalMs: number;
  /** Candles per bootstrap block. */
  readonly blockLength: number;
  /** Index step within a candle (default: a quarter candle, at least 1 s). */
  readonly stepMs?: number;
  readonly marginUsdt: number;
  readonly startPrice: number;
  readonly seed: number;
  readonly symbol?: string;
  readonly onPath?: (done: number, total: number) => void;
}

export interface LeverageOutcome {
  readonly leverage: number;
  /** Accounts that could open (min notional, position limit) — the denominator. */
  readonly opened: number;
  readonly liquidated: number;
  /** Probability of liquidation within each checkpoint (same order as checkpointsMs). */
  readonly probability: readonly number[];
  /** 95 % Wilson confidence interval of each probability ([low, high]). */
  readonly interval: readonly (readonly [number, number])[];
  /** Sorted times to liquidation (ms after the open) of the liquidated paths. */
  readonly timesMs: readonly number[];
  readonly medianTimeMs: number | null;
}

export interface RuinResult {
  readonly options: Omit<RuinOptions, 'candles' | 'onPath'> & { candles: number };
  readonly outcomes: readonly LeverageOutcome[];
  readonly commands: number;
  readonly auditChecks: number;
  readonly auditViolations: number;
}

const PATH_START_MS = Date.UTC(2030, 0, 1);

/**
 * The instrument a ruin path runs on: the real one with the mark and premium sampled once a minute
 * instead of every second and every 5 s. Between index steps (a quarter candle: 15 minutes on
 * hourly data) nothing moves — one market maker re-quotes at each step only — so the 900 one-second
 * samples the engine would compute per step are 900 copies; a minute's cadence gives the same
 * marks, liquidation instants to the step, and the funding of an unchanged premium, at 1/60 of
 * the work (the default run: 140 s → a few seconds of CPU).
 */
export function ruinInstrument(base: InstrumentSpec): InstrumentSpec {
  return {
    ...base,
    mark: { ...base.mark, cadenceMs: RUIN_SAMPLE_MS },
    funding: { ...base.funding, premiumSampleMs: RUIN_SAMPLE_MS },
  };
}

const RUIN_SAMPLE_MS = 60_000;

/** Wilson score interval (95 %) for k of n: [low, high]. */
export function wilsonInterval(k: number, n: number, z = 1.96): readonly [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

export function runRuin(options: RuinOptions): RuinResult {
  const symbol = options.symbol ?? 'BTCUSDT';
  const base: InstrumentSpec | undefined = DEFAULT_INSTRUMENTS.find((i) => i.symbol === symbol);
  if (base === undefined) throw new Error(`unknown symbol ${symbol}`);
  const spec = ruinInstrument(base);
  const instrument = compileInstrument(spec);
  const lotsPerBase = 10 ** instrument.lot.scale / Number(instrument.lot.digits);
  const bootstrap = new BlockBootstrap(options.candles, options.blockLength, options.intervalMs);
  const candlesPerPath = Math.ceil(options.horizonMs / options.intervalMs);
  const stepMs = options.stepMs ?? Math.max(1_000, Math.floor(options.intervalMs / 4));
  const root = new Rng(options.seed, `ruin:${options.strategy}`);
  const times: number[][] = options.leverages.map(() => []);
  const opened: number[] = options.leverages.map(() => 0);
  let commands = 0;
  let auditChecks = 0;
  let auditViolations = 0;
  const buffer: number[] = [];
  for (let p = 0; p < options.paths; p++) {
    const pathRng = root.derive(`path-${p}`);
    const candles = bootstrap.path(pathRng, candlesPerPath, options.startPrice, PATH_START_MS, instrument.tick);
    const world = new SimWorld(spec, { every: 5_000, onLiquidation: true });
    const firstLiquidation = new Map<number, number>();
    world.onCommand((_command, events) => {
      for (const e of events) if (e.type === 'Liquidation' && !firstLiquidation.has(e.accountId)) firstLiquidation.set(e.accountId, e.atMs);
    });
    world.setTime(PATH_START_MS);
    world.fundInsurance(10_000_000);
    let n = candlePath(candles[0]!, stepMs, pathRng, buffer);
    world.setIndex(buffer[0]!);
    const mmParams = marketMakerParams.parse({ levels: 2, levelQty: 5, maxInventory: 1_000, leverage: 10 });
    world.addAgent(new MarketMaker('mm', 'mm', 500_000_000, mmParams, lotsPerBase, pathRng.derive('mm')));
    const traders: Agent[] = options.leverages.map((leverage) => {
      const rng = pathRng.derive(`trader-${leverage}`);
      if (options.strategy === 'scalper') {
        return new Scalper(`scalper-${leverage}x`, 'ruin', options.marginUsdt, scalperParams.parse({ leverage }), rng);
      }
      const params: HolderParams = { side: options.strategy === 'hold-long' ? 'LONG' : 'SHORT', leverage,
        marginType: 'ISOLATED', exposure: 0.9, openAfterSec: 0 };
      return new Holder(`hold-${leverage}x`, 'ruin', options.marginUsdt, params, rng);
    });
    for (const trader of traders) world.addAgent(trader);
    for (let c = 0; c < candles.length; c++) {
      const candle = candles[c]!;
      if (c > 0) n = candlePath(candle, stepMs, pathRng, buffer);
      for (let i = 0; i < n; i++) world.step(candle.openTimeMs + i * stepMs, buffer[i]!);
    }
    world.tick(PATH_START_MS + candlesPerPath * options.intervalMs + instrument.markCadenceMs);
    world.runAudit();
    traders.forEach((trader, k) => {
      const openedHere = trader instanceof Holder ? trader.opened : trader.liquidations > 0 || hasTraded(world, trader);
      if (!openedHere) return;
      opened[k]!++;
      const at = firstLiquidation.get(trader.accountId);
      if (at !== undefined) times[k]!.push(at - PATH_START_MS);
    });
    commands += world.commands;
    auditChecks += world.audit.checks;
    auditViolations += world.audit.violations.length;
    options.onPath?.(p + 1, options.paths);
  }
  const outcomes = options.leverages.map((leverage, k): LeverageOutcome => {
    const sorted = times[k]!.sort((a, b) => a - b);
    const denominator = opened[k]!;
    const within = options.checkpointsMs.map((cp) => sorted.filter((t) => t <= cp).length);
    return {
      leverage, opened: denominator, liquidated: sorted.length,
      probability: within.map((k) => (denominator === 0 ? 0 : k / denominator)),
      interval: within.map((k) => wilsonInterval(k, denominator)),
      timesMs: sorted,
      medianTimeMs: sorted.length * 2 > denominator ? sorted[Math.floor(denominator / 2)] ?? null : null,
    };
  });
  const { candles: _c, onPath: _p, ...rest } = options;
  return { options: { ...rest, candles: options.candles.length }, outcomes, commands, auditChecks, auditViolations };
}

function hasTraded(world: SimWorld, agent: Agent): boolean {
  const view = world.engine.accountView(agent.accountId);
  return view !== undefined && (view.positions.some((p) => p.sizeLots !== 0 || p.realizedPnlE8 !== 0n)
    || view.walletBalanceE8 !== BigInt(Math.round(agent.capitalUsdt * 100)) * 1_000_000n);
}
