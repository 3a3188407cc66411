/**
 * @module bench/readstore
 * Read-store projection benchmark (issue 19): the committed entries of a real engine's history
 * (test/cluster/support/read-store-scenario.ts: orders, trades, funding, liquidations, copy
 * trading) projected into the embedded SQLite store (file-backed, WAL, written in-thread so the
 * time is the write's) and into PostgreSQL 15 (started here by scripts/cluster/postgres.sh under a
 * temporary folder, fsync on), in batches of the same entries. Both run the same DurableProjection;
 * the figure is committed rows per second (orders, trades, income, candles, account points, ...),
 * each batch in one transaction with its seq.
 * Usage: npm run bench -- readstore [--json] [--steps N] [--batch-entries N]
 */
import { Presets, SingleBar } from 'cli-progress';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableProjection } from '../src/api/read-models/durable-projection.js';
import { KlineModel } from '../src/api/read-models/klines.js';
import { ReadStore } from '../src/api/read-models/store.js';
import {
  ACCOUNT_POINT_COLUMNS, FUNDING_COLUMNS, INCOME_COLUMNS, KLINE_COLUMNS, LIQUIDATION_COLUMNS, MARKET_STAT_COLUMNS, ORDER_COLUMNS,
  TRADE_COLUMNS, USER_TRADE_COLUMNS, type WriteBatch,
} from '../src/api/read-models/store-writes.js';
import { PgProjector } from '../src/read-store/pg/pg-projector.js';
import { createPool } from '../src/read-store/pg/pool.js';
import type { CommittedEntry } from '../src/venue/venue.js';
import { TestPostgres } from '../test/cluster/support/postgres.js';
import { buildScenario, type Scenario } from '../test/cluster/support/read-store-scenario.js';

function option(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

function rowsOf(batch: WriteBatch): number {
  return batch.orders.length / ORDER_COLUMNS + batch.trades.length / TRADE_COLUMNS + batch.userTrades.length / USER_TRADE_COLUMNS +
    batch.income.length / INCOME_COLUMNS + batch.funding.length / FUNDING_COLUMNS + batch.klines.length / KLINE_COLUMNS +
    batch.liquidations.length / LIQUIDATION_COLUMNS + batch.accountPoints.length / ACCOUNT_POINT_COLUMNS +
    batch.marketStats.length / MARKET_STAT_COLUMNS;
}

function chunks(entries: readonly CommittedEntry[], size: number): CommittedEntry[][] {
  const out: CommittedEntry[][] = [];
  for (let at = 0; at < entries.length; at += size) out.push(entries.slice(at, at + size));
  return out;
}

function progress(label: string, total: number): SingleBar {
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} batches`, stream: process.stderr }, Presets.shades_classic);
  bar.start(total, 0);
  return bar;
}

/** PostgreSQL: rows written and seconds, through the PgProjector (projection + one transaction per batch). */
async function benchPostgres(scenario: Scenario, batchEntries: number): Promise<{ rows: number; seconds: number }> {
  const server = await TestPostgres.start();
  const pool = createPool(server.url());
  try {
    const projector = await PgProjector.open(pool, scenario.engine.instruments);
    const batches = chunks(scenario.entries, batchEntries);
    const bar = progress('postgres', batches.length);
    let rows = 0;
    const startedNs = process.hrtime.bigint();
    for (const batch of batches) {
      for (const entry of batch) projector.project(entry);
      const applied = await projector.flush();
      if (applied !== undefined) rows += rowsOf(applied.batch);
      bar.increment();
    }
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    bar.stop();
    return { rows, seconds };
  } finally {
    await pool.end();
    server.stopAndRemove();
  }
}

/** SQLite: the same projection into a file-backed store, each batch written in-thread (one transaction). */
function benchSqlite(scenario: Scenario, batchEntries: number): { seconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-sqlite-'));
  const store = new ReadStore(dir, { writerThread: false });
  try {
    const bySymbol = new Map(scenario.engine.instruments.map((instrument) => [instrument.symbol, instrument]));
    const projection = new DurableProjection(store, new KlineModel(store), (symbol) => bySymbol.get(symbol));
    const batches = chunks(scenario.entries, batchEntries);
    const bar = progress('sqlite  ', batches.length);
    const startedNs = process.hrtime.bigint();
    for (const batch of batches) {
      for (const entry of batch) projection.project(entry);
      store.flush();
      bar.increment();
    }
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    bar.stop();
    return { seconds };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runReadstoreBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const steps = option(argv, '--steps', 4_000);
  const batchEntries = option(argv, '--batch-entries', 500);
  console.log(`read-store benchmark: node ${process.version}; a ${steps}-step engine history, ${batchEntries} entries per batch`);
  const scenario = await buildScenario(steps);
  scenario.sqlite.close();
  const entries = scenario.entries.length;
  const pg = await benchPostgres(scenario, batchEntries);
  const sqlite = benchSqlite(scenario, batchEntries);
  const figures = {
    entries, rows: pg.rows, batchEntries,
    sqliteRowsPerSec: Math.round(pg.rows / sqlite.seconds), postgresRowsPerSec: Math.round(pg.rows / pg.seconds),
    sqliteEntriesPerSec: Math.round(entries / sqlite.seconds), postgresEntriesPerSec: Math.round(entries / pg.seconds),
  };
  console.log(`${entries} entries, ${pg.rows} rows`);
  console.log(`sqlite   ${figures.sqliteRowsPerSec} rows/s (${figures.sqliteEntriesPerSec} entries/s)`);
  console.log(`postgres ${figures.postgresRowsPerSec} rows/s (${figures.postgresEntriesPerSec} entries/s)`);
  if (json) console.log(JSON.stringify({ ...figures, node: process.version }));
}
