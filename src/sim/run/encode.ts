/**
 * @module sim/run/encode
 * Canonical text of an event: JSON with bigints as decimal strings, keys in the engine's own
 * order. The event-stream hash and the events file both use it, so "same scenario + seed ⇒
 * byte-identical event stream" is checked on exactly what is written.
 */
import type { EngineEvent } from '../../core/index.js';

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export function encodeEvent(event: EngineEvent): string {
  return JSON.stringify(event, replacer);
}
