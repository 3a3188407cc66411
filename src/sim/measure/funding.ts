/**
 * @module sim/measure/funding
 * Funding as it follows from a premium path, with the engine's formula (docs/MECHANICS.md):
 * P = Σ i·p_i / Σ i over the interval's samples (later samples weigh more), F = P + clamp(I − P,
 * ±clamp), × intervalHours / 8, clamped to [floor, cap]. Used on the premium derived from the real
 * perpetual's and spot's candles (perp close / spot close − 1 per sample) — an approximation of
 * Binance's impact-price premium index, which needs the order book — and to read real settlement
 * files. A test holds the derivation against Binance's published 10–11 October 2025 settlements.
 */
import { readFileSync } from 'node:fs';
import { resolveDataFile } from '../data/load.js';

export interface FundingParams {
  readonly interestRate: number;
  readonly premiumClamp: number;
  readonly rateCap: number;
  readonly rateFloor: number;
  readonly intervalHours: number;
}

/** The funding rate a premium path implies; NaN without samples. */
export function fundingFromPremiums(premiums: readonly number[], p: FundingParams): number {
  let weighted = 0;
  let weights = 0;
  premiums.forEach((premium, i) => {
    if (!Number.isFinite(premium)) return;
    weighted += (i + 1) * premium;
    weights += i + 1;
  });
  if (weights === 0) return NaN;
  const premium = weighted / weights;
  const clamp = Math.min(p.premiumClamp, Math.max(-p.premiumClamp, p.interestRate - premium));
  const rate = ((premium + clamp) * p.intervalHours) / 8;
  return Math.min(p.rateCap, Math.max(p.rateFloor, rate));
}

export interface Settlement {
  readonly timeMs: number;
  readonly rate: number;
}

/**
 * Reads a funding file: Binance's `calc_time,funding_interval_hours,last_funding_rate` or
 * `funding_time_ms,funding_rate`. Times keep Binance's millisecond jitter; callers match to the hour.
 */
export function loadFundingFile(file: string, baseDir?: string): Settlement[] {
  const { path, tried } = resolveDataFile(file, baseDir);
  if (path === undefined) throw new Error(`${file}: file not found (looked in: ${tried.join(', ')})`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const timeAt = header.findIndex((h) => h === 'calc_time' || h === 'funding_time_ms');
  const rateAt = header.findIndex((h) => h === 'last_funding_rate' || h === 'funding_rate');
  if (timeAt < 0 || rateAt < 0) throw new Error(`${path}: expected a funding header (calc_time / funding_time_ms and a rate column)`);
  return lines.slice(1).map((line, i) => {
    const fields = line.split(',');
    const timeMs = Number(fields[timeAt]);
    const rate = Number(fields[rateAt]);
    if (!Number.isFinite(timeMs) || !Number.isFinite(rate)) throw new Error(`${path}:${i + 2}: not a funding row`);
    return { timeMs, rate };
  });
}

/** The settlement within a minute of `timeMs` (Binance stamps them a few ms late). */
export function settlementAt(settlements: readonly Settlement[], timeMs: number): Settlement | undefined {
  return settlements.find((s) => Math.abs(s.timeMs - timeMs) < 60_000);
}
