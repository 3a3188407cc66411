/**
 * The PostgreSQL read store against a real PostgreSQL 15 (scripts/cluster/postgres.sh), fed by a
 * real engine's committed entries (support/read-store-scenario.ts: orders, trades, funding,
 * liquidations, transfers, margin adjustments, copy trading):
 * - every history query answers exactly as the embedded SQLite store does (conformance);
 * - re-delivered batches and re-delivered entries change nothing (idempotent by seq);
 * - PostgreSQL SIGKILLed mid-projection: the batch in flight is retried once it is back, a new
 *   projector resumes from the stored seq, a stale projector's batch is dropped, and the answers
 *   converge to the SQLite store's.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommittedEntry } from '../../src/venue/venue.js';
import { applyBatch } from '../../src/read-store/pg/batch-writer.js';
import { PgProjector, type AppliedBatch } from '../../src/read-store/pg/pg-projector.js';
import { PgReadStore } from '../../src/read-store/pg/pg-read-store.js';
import { createPool } from '../../src/read-store/pg/pool.js';
import { SqliteReadStore } from '../../src/read-store/sqlite-read-store.js';
import { TestPostgres } from './support/postgres.js';
import { answersOf, expectSameAnswers } from './support/read-store-answers.js';
import { buildScenario, type Scenario } from './support/read-store-scenario.js';

/** Committed entries per written batch (the server flushes every 100 ms: a few to thousands of entries). */
const ENTRIES_PER_BATCH = 150;
/** How long PostgreSQL stays down while a batch is retried. */
const DOWN_MS = 1_500;

describe('PostgreSQL read store', () => {
  let server: TestPostgres | undefined;
  let scenario: Scenario;
  let expected: Record<string, unknown>;
  const pools: pg.Pool[] = [];

  /** A pool on a new, empty database. */
  async function freshDatabase(name: string): Promise<pg.Pool> {
    const admin = createPool(server!.url());
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const pool = createPool(server!.url(name));
    pools.push(pool);
    return pool;
  }

  async function project(projector: PgProjector, entries: readonly CommittedEntry[]): Promise<AppliedBatch[]> {
    const applied: AppliedBatch[] = [];
    for (let at = 0; at < entries.length; at += ENTRIES_PER_BATCH) {
      for (const entry of entries.slice(at, at + ENTRIES_PER_BATCH)) projector.project(entry);
      const batch = await projector.flush();
      if (batch !== undefined) applied.push(batch);
    }
    return applied;
  }

  beforeAll(async () => {
    server = await TestPostgres.start();
    scenario = await buildScenario(1200);
    expected = await answersOf(new SqliteReadStore(scenario.sqlite), scenario);
  });

  afterAll(async () => {
    for (const pool of pools) await pool.end().catch(() => {});
    server?.stopAndRemove();
    scenario?.sqlite.close();
  });

  it('the scenario covers what the stores keep', () => {
    const rows = (key: string): number => (expected[key] as unknown[]).length;
    expect(rows('liquidations all')).toBeGreaterThan(0);
    expect(rows('funding all')).toBeGreaterThan(0);
    expect(rows('trades BTCUSDT')).toBeGreaterThan(100);
    const incomeTypes = new Set(Object.entries(expected).filter(([key]) => key.endsWith(' income'))
      .flatMap(([, value]) => (value as { incomeType: string }[]).map((row) => row.incomeType)));
    expect([...incomeTypes].sort()).toEqual(['COMMISSION', 'FUNDING_FEE', 'INSURANCE_CLEAR', 'INTERNAL_TRANSFER', 'REALIZED_PNL',
      'TRANSFER']);
    expect(Object.entries(expected).some(([key, value]) => key.includes('marginAdjustments') && (value as unknown[]).length > 0)).toBe(true);
  });

  let batches: AppliedBatch[] = [];
  let conformancePool: pg.Pool;

  it('answers every history query as the SQLite store does', async () => {
    conformancePool = await freshDatabase('conformance');
    const projector = await PgProjector.open(conformancePool, scenario.engine.instruments);
    batches = await project(projector, scenario.entries);
    expect(batches.every((applied) => applied.result === 'applied')).toBe(true);
    expectSameAnswers(await answersOf(new PgReadStore(conformancePool), scenario), expected);
  });

  it('re-delivered batches and entries change nothing', async () => {
    expect(batches.length).toBeGreaterThan(10);
    // A reconnecting writer re-sends from an older point: the first batch, one from the middle, then all.
    for (const { batch } of [batches[0]!, batches[Math.floor(batches.length / 2)]!, ...batches]) {
      expect(await applyBatch(conformancePool, batch)).toBe('duplicate');
    }
    // A projector restarted on the same database resumes at the stored seq and skips what it is sent again.
    const again = await PgProjector.open(conformancePool, scenario.engine.instruments);
    expect(again.projectedSeq).toBe(scenario.entries.at(-1)!.command.seq);
    const replayed = await project(again, scenario.entries);
    expect(replayed.every((applied) => applied.result === 'duplicate')).toBe(true);
    expectSameAnswers(await answersOf(new PgReadStore(conformancePool), scenario), expected);
  });

  it('converges after PostgreSQL is SIGKILLed mid-projection', async () => {
    const pool = await freshDatabase('crash');
    const entries = scenario.entries;
    const third = Math.floor(entries.length / 3);
    const first = await PgProjector.open(pool, scenario.engine.instruments);
    await project(first, entries.slice(0, third));
    // Kill while a large batch is being written; the projector retries it once PostgreSQL is back.
    for (const entry of entries.slice(third, 2 * third)) first.project(entry);
    const flushing = first.flush();
    await server!.kill();
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
    server!.run('start');
    const retried = await flushing;
    expect(retried?.attempts).toBeGreaterThan(1);
    // Then the projector dies with entries buffered and PostgreSQL dies too: a new projector resumes from the stored seq.
    for (const entry of entries.slice(2 * third, 2 * third + 200)) first.project(entry);
    await server!.kill();
    server!.run('start');
    const second = await PgProjector.open(pool, scenario.engine.instruments);
    expect(second.projectedSeq).toBe(entries[2 * third - 1]!.command.seq);
    await project(second, entries.filter((entry) => entry.command.seq > second.projectedSeq));
    // The dead projector's buffered batch, delivered late, is a duplicate of what the new one wrote.
    expect((await first.flush())?.result).toBe('duplicate');
    expectSameAnswers(await answersOf(new PgReadStore(pool), scenario), expected);
  });
});
