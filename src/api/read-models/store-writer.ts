/**
 * @module api/read-models/store-writer
 * Where the read-model batches are written. A file-backed store writes on a worker thread
 * (store-writer-worker.ts): the SQLite inserts (~10 µs per order at full load) leave the thread
 * that runs HTTP, the engine and the journal. Queries stay synchronous on the server thread's own
 * connection: `sync()` waits (Atomics.wait) until the worker has committed every batch posted so
 * far, so a read still sees everything projected before it, exactly as with the in-thread flush.
 * An in-memory store (no data directory) cannot be shared between threads and writes in-thread.
 */
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { prepareBatchWriter, type WriteBatch } from './store-writes.js';

export type WriterMessage =
  | { readonly type: 'batch'; readonly id: number; readonly batch: WriteBatch }
  | { readonly type: 'close'; readonly id: number };

export interface WriterWorkerData {
  readonly path: string;
  readonly shared: SharedArrayBuffer;
}

/** Int32 slots of the shared state: id of the last applied message; 1 once the worker failed. */
export const APPLIED_SLOT = 0;
export const FAILED_SLOT = 1;

export interface StoreWriter {
  write(batch: WriteBatch): void;
  /** Returns once every batch written so far is visible to the server thread's connection. */
  sync(): void;
  close(): void;
}

export class InThreadWriter implements StoreWriter {
  private readonly apply: (batch: WriteBatch) => void;

  constructor(db: Database.Database) {
    this.apply = prepareBatchWriter(db);
  }

  write(batch: WriteBatch): void {
    this.apply(batch);
  }

  sync(): void {}

  close(): void {}
}

/**
 * Starts the worker module: the compiled JavaScript next to this file, or, when the server runs
 * from TypeScript sources (tests, `node --import tsx`), the .ts module through tsx, which a worker
 * thread does not inherit from the parent's --import. A module that fails to load marks the shared
 * failure slot, so a server thread waiting in sync() fails instead of waiting forever.
 */
function startWorker(workerData: WriterWorkerData): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(`./store-writer-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url).href;
  const load = fromSources
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`
    : `import(${JSON.stringify(url)})`;
  const bootstrap = `${load}.catch((error) => {
    const shared = new Int32Array(require('node:worker_threads').workerData.shared);
    Atomics.store(shared, ${FAILED_SLOT}, 1);
    Atomics.notify(shared, ${APPLIED_SLOT});
    throw error;
  });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** A sync() that sees no progress for this long fails (a wedged or vanished writer). */
const STALL_MS = 60_000;

export class WorkerWriter implements StoreWriter {
  private readonly worker: Worker;
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private posted = 0;
  private failure: Error | undefined;

  constructor(path: string) {
    this.worker = startWorker({ path, shared: this.shared.buffer });
    this.worker.on('error', (error) => {
      this.failure = error;
      // A lost read-model write is fatal, as an exception in the in-thread flush timer was: the
      // process dies and the restart replays the journal into the store.
      process.nextTick(() => {
        throw error;
      });
    });
    this.worker.unref();
  }

  write(batch: WriteBatch): void {
    this.post({ type: 'batch', id: ++this.posted, batch });
  }

  sync(): void {
    const target = this.posted;
    let last = Atomics.load(this.shared, APPLIED_SLOT);
    let since = Date.now();
    for (;;) {
      // The worker's 'error' event cannot arrive while this thread waits, hence the shared flag.
      if (this.failure !== undefined || Atomics.load(this.shared, FAILED_SLOT) !== 0) {
        throw this.failure ?? new Error('read-model writer failed');
      }
      const applied = Atomics.load(this.shared, APPLIED_SLOT);
      if (((applied - target) | 0) >= 0) return; // wrap-safe comparison of message ids
      if (applied !== last) {
        last = applied;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) {
        throw new Error('read-model writer stopped responding');
      }
      Atomics.wait(this.shared, APPLIED_SLOT, applied, 1000);
    }
  }

  close(): void {
    if (this.failure !== undefined) return;
    this.post({ type: 'close', id: ++this.posted });
    this.sync();
  }

  private post(message: WriterMessage): void {
    if (this.failure !== undefined) throw this.failure;
    this.worker.postMessage(message);
  }
}
