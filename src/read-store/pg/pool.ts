/**
 * @module read-store/pg/pool
 * The PostgreSQL connection pool of the read store (npm `pg`). Values come back as the SQLite store
 * returns them, so both share their row mappings (api/read-models/store-rows.ts): BIGINT as a JS
 * number (ids, ticks, lots, ms are safe integers; a larger value throws rather than rounds),
 * NUMERIC (money) as its decimal text, JSON as its text exactly as stored.
 */
import pg from 'pg';

const INT8_OID = 20;
const JSON_OID = 114;
/** Connections per process: history queries are short; the projector uses one at a time. */
export const POOL_SIZE = 8;

function safeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`BIGINT ${text} is beyond a JS safe integer`);
  return value;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8_OID) return safeInteger;
    if (oid === JSON_OID) return (text: string) => text;
    return pg.types.getTypeParser(oid, format as 'text') as (text: string) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * A pool on `connectionString` (postgres://user@host:port/db). Errors of idle connections (the
 * server went away) are reported to `onIdleError` instead of crashing the process: the next query
 * opens a new connection.
 */
export function createPool(connectionString: string, onIdleError: (error: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, types, max: POOL_SIZE });
  pool.on('error', onIdleError);
  return pool;
}

/**
 * Runs `work` in one transaction on a pooled connection: COMMIT when it resolves, ROLLBACK when it
 * throws. A connection that failed is destroyed rather than returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  // A checked-out connection that breaks between two queries reports it as an event: keep it as the failure.
  const onError = (error: Error): void => {
    failure ??= error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure ??= error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', onError);
    client.release(failure);
  }
}
