/**
 * @module read-store/pg/pg-projector
 * Projects committed entries into the PostgreSQL read store: the same DurableProjection as the
 * embedded server's SQLite projection (so the same rows), buffered and written a batch at a time by
 * batch-writer.ts, idempotent by seq. It starts from the stored projection row (last seq and id
 * counters) and the candles still open (kline-snapshot.ts), so a restarted projector resumes where
 * the last committed batch ended: feed it the committed entries from `projectedSeq + 1` on
 * (DurableVenue.replay, or the events stream). A batch whose COMMIT may or may not have happened
 * (the connection broke) is retried on a new connection; the seq check makes that safe.
 */
import type pg from 'pg';
import type { Instrument } from '../../core/index.js';
import { DurableProjection } from '../../api/read-models/durable-projection.js';
import { KlineModel } from '../../api/read-models/klines.js';
import { RowBuffer } from '../../api/read-models/row-buffer.js';
import type { WriteBatch } from '../../api/read-models/store-writes.js';
import type { CommittedEntry } from '../../venue/venue.js';
import { applyBatch, SeqGapError, type ApplyResult } from './batch-writer.js';
import { KlineSnapshot } from './kline-snapshot.js';
import { migrate } from './schema.js';

/** How long a batch is retried while PostgreSQL is unreachable before the projector gives up. */
export const RETRY_FOR_MS = 60_000;
const RETRY_DELAY_MS = 200;

export interface AppliedBatch {
  readonly batch: WriteBatch;
  readonly result: ApplyResult;
  /** Attempts it took (> 1: PostgreSQL was unreachable for a while). */
  readonly attempts: number;
}

export class PgProjector {
  /** Set once a batch could not be written: the projector must be reopened from the stored seq. */
  private failure: Error | undefined;

  private constructor(private readonly pool: pg.Pool, private readonly rows: RowBuffer,
    private readonly projection: DurableProjection) {}

  /** Migrates the schema and loads the stored projection state (retried while PostgreSQL is unreachable). */
  static async open(pool: pg.Pool, instruments: readonly Instrument[]): Promise<PgProjector> {
    const { value } = await retrying(async () => {
      await migrate(pool);
      const { rows: stored } = await pool.query<{ last_seq: number; next_agg_id: number; next_tran_id: number;
        next_liquidation_id: number }>('SELECT * FROM projection WHERE id = 1');
      const counters = stored[0]!;
      const rows = new RowBuffer({ lastSeq: counters.last_seq, nextAggId: counters.next_agg_id, nextTranId: counters.next_tran_id,
        nextLiquidationId: counters.next_liquidation_id });
      return { rows, snapshot: await KlineSnapshot.load(pool, rows) };
    });
    const bySymbol = new Map(instruments.map((instrument) => [instrument.symbol, instrument]));
    const projection = new DurableProjection(value.rows, new KlineModel(value.snapshot), (symbol) => bySymbol.get(symbol));
    return new PgProjector(pool, value.rows, projection);
  }

  /** Seq of the last entry projected (buffered or written). */
  get projectedSeq(): number {
    return this.rows.projectedSeq;
  }

  /**
   * Buffers one committed entry. Entries at or below projectedSeq are re-deliveries and skipped; an
   * entry further ahead than the next seq is a gap and refused (the rows in between would be missing).
   */
  project(entry: CommittedEntry): void {
    if (this.failure !== undefined) throw this.failure;
    const seq = entry.command.seq;
    if (seq <= this.rows.projectedSeq) return;
    if (seq !== this.rows.projectedSeq + 1) throw new SeqGapError(this.rows.projectedSeq, this.rows.projectedSeq, seq);
    this.projection.project(entry);
  }

  /** Writes what is buffered as one batch; retries on connection failures for up to RETRY_FOR_MS. */
  async flush(): Promise<AppliedBatch | undefined> {
    if (this.failure !== undefined) throw this.failure;
    const batch = this.rows.takeBatch();
    if (batch === undefined) return undefined;
    try {
      const { value, attempts } = await retrying(() => applyBatch(this.pool, batch));
      return { batch, result: value, attempts };
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  }
}

/**
 * Runs `work` until it succeeds, again after each failure but a SeqGapError, for up to RETRY_FOR_MS
 * (PostgreSQL restarting, a pooled connection to the previous server instance).
 */
async function retrying<T>(work: () => Promise<T>): Promise<{ value: T; attempts: number }> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (let attempts = 1; ; attempts++) {
    try {
      return { value: await work(), attempts };
    } catch (error) {
      if (error instanceof SeqGapError || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}
