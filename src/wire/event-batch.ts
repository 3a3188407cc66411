/**
 * @module wire/event-batch
 * Committed event batches as bytes another process can read without embedding the engine: what a
 * gateway, a read model, surveillance or a hot standby consumes. A batch is the events of a run of
 * consecutive commands, in sequence order, stamped with the range and the time of its last command:
 *
 *   [u8 format version][uint fromSeq][uint toSeq][uint atMs][uint event count][events...]
 *
 * Each event is [u8 event code][fields in declaration order] (schema/events.ts, generated/event-fields.ts).
 * Version 1 is this layout; a reader refuses versions it does not know.
 */
import { ByteReader, ByteWriter, type EngineEvent } from '../core/index.js';
import { readEvent, writeEvent } from './generated/event-fields.js';
import { CodecError, readCount } from './primitives.js';

export const EVENT_BATCH_VERSION = 1;

export interface EventBatch {
  /** First and last command sequence numbers the batch covers (inclusive). */
  readonly fromSeq: number;
  readonly toSeq: number;
  /** Time of the batch's last command (ms since the epoch). */
  readonly atMs: number;
  readonly events: readonly EngineEvent[];
}

export function encodeEventBatch(batch: EventBatch, w = new ByteWriter(256)): Uint8Array {
  if (!(batch.fromSeq >= 1 && batch.toSeq >= batch.fromSeq)) throw new CodecError(`bad batch range ${batch.fromSeq}..${batch.toSeq}`);
  w.u8(EVENT_BATCH_VERSION);
  w.uint(batch.fromSeq);
  w.uint(batch.toSeq);
  w.uint(batch.atMs);
  w.uint(batch.events.length);
  for (const event of batch.events) writeEvent(w, event);
  return w.finish();
}

export function decodeEventBatch(bytes: Uint8Array): EventBatch {
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (version !== EVENT_BATCH_VERSION) throw new CodecError(`unsupported event batch version ${version}`);
  const fromSeq = r.uint();
  const toSeq = r.uint();
  const atMs = r.uint();
  const events: EngineEvent[] = [];
  for (let count = readCount(r); count > 0; count--) events.push(readEvent(r));
  if (r.remaining !== 0) throw new CodecError(`${r.remaining} trailing bytes after an event batch`);
  return { fromSeq, toSeq, atMs, events };
}
