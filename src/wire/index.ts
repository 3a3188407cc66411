/**
 * @module wire
 * The forms commands and events take outside the engine, all derived from the declarations in
 * src/core/schema: the binary command codec (journal records), committed event batches for other
 * processes, and JSON. None of it needs an engine.
 */
export {
  COMMAND_CODEC_VERSION, decodeCommandBody, encodeCommandBody, readCommandBody, writeCommandBody,
} from './command-codec.js';
export { decodeEventBatch, encodeEventBatch, EVENT_BATCH_VERSION, type EventBatch } from './event-batch.js';
export { commandFromJson, commandToJson, eventFromJson, eventToJson, type Json } from './generated/json.js';
export {
  CodecError, decodeUtf8, decodeUtf8At, isShortAscii, readUtf8, writeUtf8,
} from './primitives.js';
