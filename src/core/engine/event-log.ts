/**
 * @module engine/event-log
 * The engine's event log: the machinery in event-buffer.ts, one writer per event generated from
 * the declarations in schema/events.ts (generated/event-log.ts).
 */
export { EventChunk, EventBuffer } from './event-buffer.js';
export { EventLog } from './generated/event-log.js';
