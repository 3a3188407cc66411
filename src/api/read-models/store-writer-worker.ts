/**
 * @module api/read-models/store-writer-worker
 * Worker-thread entry of the read-model writer: owns the SQLite write connection and applies the
 * WriteBatches the server thread posts, in order, each in one transaction. After each message it
 * publishes the message's number in shared memory (Atomics.notify), which is how the server thread
 * knows that a query on its own read connection will see everything posted so far.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { prepareBatchWriter, type WriteBatch } from './store-writes.js';
import { APPLIED_SLOT, FAILED_SLOT, type WriterMessage, type WriterWorkerData } from './store-writer.js';

const data = workerData as WriterWorkerData;
const shared = new Int32Array(data.shared);
const db = new Database(data.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 10000');
const write: (batch: WriteBatch) => void = prepareBatchWriter(db);

parentPort!.on('message', (message: WriterMessage) => {
  try {
    if (message.type === 'batch') write(message.batch);
    if (message.type === 'close') db.close();
  } catch (error) {
    // The server thread rethrows this (crash-only, as a failed in-thread flush would).
    Atomics.store(shared, FAILED_SLOT, 1);
    Atomics.notify(shared, APPLIED_SLOT);
    throw error;
  }
  Atomics.store(shared, APPLIED_SLOT, message.id);
  Atomics.notify(shared, APPLIED_SLOT);
  if (message.type === 'close') parentPort!.close();
});
