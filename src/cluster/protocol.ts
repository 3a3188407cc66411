/**
 * @module cluster/protocol
 * The subjects engine nodes and their clients use, and the bytes of a submit request and its reply.
 *
 * Request (subject perpx.engine.submit, queue group perpx-engine: only the leader subscribes):
 *   [u8 version 1][uint key length][key UTF-8][command body (wire/command-codec)]
 * Reply, by first byte:
 *   0 outcome:  [u8 flags: 1 duplicate, 2 events unknown][event batch (wire/event-batch) of that one seq]
 *   1 retry:    [text reason]         not the leader (any more), or the append failed: retry, same key
 *   2 refused:  [text code][text message]   the command cannot be taken (codec, key conflict): do not retry
 */
import { ByteReader, ByteWriter, type UnsequencedCommand } from '../core/index.js';
import type { CommandOutcome } from '../venue/venue.js';
import {
  CodecError, decodeEventBatch, encodeEventBatch, readUtf8, writeCommandBody, writeUtf8,
} from '../wire/index.js';
import { MAX_KEY_BYTES } from '../journal/index.js';

export const SUBMIT_SUBJECT = 'perpx.engine.submit';
export const SUBMIT_QUEUE = 'perpx-engine';
/** Event batches of every appended command batch, as the leader applied them (core NATS, not a stream yet). */
export const EVENTS_SUBJECT = 'perpx.events';
/** `perpx.engine.node.<node id>.status`: role, seq, state hash (JSON). */
export const statusSubject = (nodeId: string): string => `perpx.engine.node.${nodeId}.status`;

/** Leader lease TTL unless configured: bounds the failover stall (docs/cluster.md). */
export const DEFAULT_LEASE_TTL_MS = 3_000;

const REQUEST_VERSION = 1;
const REPLY_OUTCOME = 0;
const REPLY_RETRY = 1;
const REPLY_REFUSED = 2;
const FLAG_DUPLICATE = 1;
const FLAG_EVENTS_UNKNOWN = 2;

export interface SubmitRequest {
  readonly key: string;
  /** The command body bytes exactly as they will be journaled. */
  readonly body: Uint8Array;
}

export function encodeSubmitRequest(key: string, command: UnsequencedCommand): Uint8Array {
  const w = new ByteWriter(96);
  w.u8(REQUEST_VERSION);
  writeUtf8(w, key);
  if (w.size > MAX_KEY_BYTES + 4) throw new CodecError(`idempotency key longer than ${MAX_KEY_BYTES} bytes`);
  writeCommandBody(w, command);
  return w.finish();
}

export function decodeSubmitRequest(bytes: Uint8Array): SubmitRequest {
  const r = new ByteReader(bytes);
  if (r.u8() !== REQUEST_VERSION) throw new CodecError('unsupported submit request version');
  const length = r.uint();
  if (length > MAX_KEY_BYTES) throw new CodecError(`idempotency key longer than ${MAX_KEY_BYTES} bytes`);
  const key = readUtf8(r, length);
  if (key === '') throw new CodecError('a submit needs an idempotency key');
  return { key, body: bytes.subarray(r.position) };
}

export type SubmitReply =
  | { readonly kind: 'outcome'; readonly outcome: CommandOutcome; readonly eventsKnown: boolean }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string };

export function encodeOutcomeReply(outcome: CommandOutcome, eventsKnown = true): Uint8Array {
  const w = new ByteWriter(128);
  w.u8(REPLY_OUTCOME);
  w.u8((outcome.duplicate ? FLAG_DUPLICATE : 0) | (eventsKnown ? 0 : FLAG_EVENTS_UNKNOWN));
  encodeEventBatch({ fromSeq: outcome.seq, toSeq: outcome.seq, atMs: outcome.atMs, events: outcome.events }, w);
  return w.finish();
}

export function encodeRetryReply(reason: string): Uint8Array {
  const w = new ByteWriter(64);
  w.u8(REPLY_RETRY);
  writeUtf8(w, reason);
  return w.finish();
}

export function encodeRefusedReply(code: string, message: string): Uint8Array {
  const w = new ByteWriter(128);
  w.u8(REPLY_REFUSED);
  writeUtf8(w, code);
  writeUtf8(w, message);
  return w.finish();
}

export function decodeSubmitReply(bytes: Uint8Array): SubmitReply {
  const r = new ByteReader(bytes);
  const kind = r.u8();
  if (kind === REPLY_OUTCOME) {
    const flags = r.u8();
    const batch = decodeEventBatch(bytes.subarray(r.position));
    return {
      kind: 'outcome', eventsKnown: (flags & FLAG_EVENTS_UNKNOWN) === 0,
      outcome: { seq: batch.fromSeq, atMs: batch.atMs, events: batch.events, duplicate: (flags & FLAG_DUPLICATE) !== 0 },
    };
  }
  if (kind === REPLY_RETRY) return { kind: 'retry', reason: readUtf8(r, r.uint()) };
  if (kind === REPLY_REFUSED) {
    const code = readUtf8(r, r.uint());
    return { kind: 'refused', code, message: readUtf8(r, r.uint()) };
  }
  throw new CodecError(`unknown submit reply kind ${kind}`);
}
