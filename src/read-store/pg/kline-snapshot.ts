/**
 * @module read-store/pg/kline-snapshot
 * The candles a projector may read back, loaded once when it opens. KlineModel reads stored base
 * candles only for a period it has not touched since it started (to resume a candle a previous
 * process left open), and such a period's stored rows can only come from before the start: every
 * row it writes afterwards is of a period it holds open in memory. So the base candles of the
 * periods open at the last stored candle, loaded at start, answer every read-back exactly as the
 * SQLite store does, synchronously, inside the projection of an entry. Writes go to the RowBuffer.
 */
import type pg from 'pg';
import type { KlineStore } from '../../api/read-models/klines.js';
import type { RowBuffer } from '../../api/read-models/row-buffer.js';
import { klineFromDb, type KlineDbRow } from '../../api/read-models/store-rows.js';
import type { BaseInterval, KlineKind, KlineRow } from '../../api/read-models/store.js';

const MINUTE_MS = 60_000;
/**
 * How far before the newest stored 1m candle each base's rows are loaded: the longest interval
 * built from it (30m of 1m, 12h of 1h, 1M = 31 days of 1d) with a margin.
 */
const LOOKBACK_MS: Readonly<Record<BaseInterval, number>> = { '1m': 60 * MINUTE_MS, '1h': 24 * 60 * MINUTE_MS, '1d': 32 * 24 * 60 * MINUTE_MS };

export class KlineSnapshot implements KlineStore {
  private constructor(private readonly rows: RowBuffer, private readonly byKey: ReadonlyMap<string, readonly KlineRow[]>) {}

  static async load(pool: pg.Pool, rows: RowBuffer): Promise<KlineSnapshot> {
    // Every price event writes a 1m mark candle, so the newest 1m candle is (about) the last projected minute.
    const newest = await pool.query<{ t: number | null }>(`SELECT MAX(open_time) AS t FROM klines WHERE "interval" = '1m'`);
    const byKey = new Map<string, KlineRow[]>();
    const newestMs = newest.rows[0]?.t;
    if (newestMs !== null && newestMs !== undefined) {
      const { rows: stored } = await pool.query<KlineDbRow>(
        `SELECT * FROM klines WHERE ("interval" = '1m' AND open_time >= $1) OR ("interval" = '1h' AND open_time >= $2)
         OR ("interval" = '1d' AND open_time >= $3) ORDER BY symbol, kind, "interval", open_time`,
        [newestMs - LOOKBACK_MS['1m'], newestMs - LOOKBACK_MS['1h'], newestMs - LOOKBACK_MS['1d']]);
      for (const row of stored.map(klineFromDb)) {
        const key = keyOf(row.symbol, row.kind, row.interval);
        let list = byKey.get(key);
        if (list === undefined) byKey.set(key, list = []);
        list.push(row);
      }
    }
    return new KlineSnapshot(rows, byKey);
  }

  klines(symbol: string, kind: KlineKind, interval: BaseInterval, fromMs: number, toMs: number, limit: number,
    newestFirst: boolean): KlineRow[] {
    const inRange = (this.byKey.get(keyOf(symbol, kind, interval)) ?? [])
      .filter((row) => row.openTimeMs >= fromMs && row.openTimeMs <= toMs);
    const picked = newestFirst ? inRange.slice(Math.max(0, inRange.length - limit)) : inRange.slice(0, limit);
    // Callers may fold into what they read: hand out copies.
    return picked.map((row) => ({ ...row }));
  }

  putKline(row: KlineRow): void {
    this.rows.putKline(row);
  }
}

function keyOf(symbol: string, kind: KlineKind, interval: BaseInterval): string {
  return `${symbol}|${kind}|${interval}`;
}
