/**
 * @module engine/event-buffer
 * The engine's output buffer: every event of a command written as numbers into reusable typed
 * arrays (an LMAX-style output ring, but growable), not as objects. A liquidation cascade of
 * hundreds of thousands of accounts writes millions of events; as objects they all survive the
 * young generation and the collector copies each of them, which used to cost as much as the
 * liquidations themselves. Here they cost a few stores each and nothing to the collector.
 *
 * Layout: each event is a type code followed by its numeric fields in `nums` (Float64Array: ids,
 * ticks, lots, times and enum codes are safe integers), its money fields in `bigs`
 * (BigInt64Array; a value outside int64 is stored as ESCAPE and kept in `hugeBigs`, in order), and
 * its free-text fields in `strs`. The writer of each event and the reader that turns it back into
 * the EngineEvent objects adapters consume are generated from the event declarations
 * (schema/events.ts → generated/event-log.ts); this module is the machinery they share:
 * collecting chunks for `decode`, or streaming full chunks to a sink and reusing them.
 */
import { AssertionFailure } from '../assert.js';
import type { Instrument } from '../instrument/instrument.js';
import type { EngineEvent, EngineEventType } from './generated/events.js';
import { EVENT_TYPES } from './generated/events.js';

/** Code of `name` in `table` (tables have at most a dozen names; called on hot paths). */
export function codeOf<T extends string>(table: readonly T[], name: T): number {
  for (let i = 0; i < table.length; i++) if (table[i] === name) return i;
  throw new AssertionFailure(`event field value ${name} is known`);
}

export function nameOf<T extends string>(table: readonly T[], code: number): T {
  const name = table[code];
  if (name === undefined) throw new AssertionFailure(`event field code ${code} is known`);
  return name;
}

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;
/** Stored in `bigs` for a value outside int64 (or equal to it); the value itself goes to hugeBigs. */
const ESCAPE = MIN_I64;

type Markets = readonly { readonly instrument: Instrument }[];

/** Decodes the event whose type code was just read (generated). */
export type EventReader = (code: number, cursor: ChunkCursor) => EngineEvent;
/** Index just past the event whose type code sits at `at` (generated). */
export type EventEnd = (nums: Float64Array, at: number) => number;

interface Codec {
  readonly read: EventReader;
  readonly end: EventEnd;
}

/** A chunk holds 2 MiB of numeric fields and 512 KiB of money fields (events never span chunks). */
const CHUNK_NUMS = 1 << 18;
const CHUNK_BIGS = 1 << 16;
/** The first chunk of an engine is small (simulations and scratch replays build many engines). */
const FIRST_CHUNK_NUMS = 1 << 12;
const FIRST_CHUNK_BIGS = 1 << 10;
/** Sealed chunks kept for reuse after a command (a cascade may need many; memory goes back). */
const POOL_CHUNKS = 8;
/** Stale string/huge-value slots a chunk may keep between commands. */
const STALE_SLOTS_KEPT = 4096;



/**
 * A run of consecutive events in buffer form. Chunks handed to a streaming sink are reused after
 * the sink returns: read (count, decode, countOf) inside the call, keep nothing.
 */
export class EventChunk {
  readonly nums: Float64Array;
  readonly bigs: BigInt64Array;
  readonly strs: string[] = [];
  readonly hugeBigs: bigint[] = [];
  /** Used length of strs and hugeBigs (slots past it are stale: truncating an array every command costs more). */
  strLength = 0;
  hugeLength = 0;
  numLength = 0;
  bigLength = 0;
  count = 0;

  constructor(private readonly markets: Markets, private readonly codec: Codec, numCapacity: number, bigCapacity: number) {
    this.nums = new Float64Array(numCapacity);
    this.bigs = new BigInt64Array(bigCapacity);
  }

  clear(): void {
    this.numLength = 0;
    this.bigLength = 0;
    this.count = 0;
    // Small arrays keep their stale slots for reuse; a big one (a cascade's) lets its strings go.
    if (this.strLength > STALE_SLOTS_KEPT) this.strs.length = 0;
    if (this.hugeLength > STALE_SLOTS_KEPT) this.hugeBigs.length = 0;
    this.strLength = 0;
    this.hugeLength = 0;
  }

  /** Number of events of one type in the chunk (no decoding, no allocation). */
  countOf(type: EngineEventType): number {
    const wanted = codeOf(EVENT_TYPES, type);
    const nums = this.nums;
    const end = this.codec.end;
    let found = 0;
    for (let i = 0, at = 0; i < this.count; i++, at = end(nums, at)) if (nums[at] === wanted) found++;
    return found;
  }

  /** Adds the chunk's number of events of each type to `counts` (one pass, no decoding). */
  addTypeCounts(counts: Map<EngineEventType, number>): void {
    const perType = new Array<number>(EVENT_TYPES.length).fill(0);
    const nums = this.nums;
    const end = this.codec.end;
    for (let i = 0, at = 0; i < this.count; i++, at = end(nums, at)) perType[nums[at]!]!++;
    for (let code = 0; code < perType.length; code++) {
      if (perType[code]! > 0) counts.set(EVENT_TYPES[code]!, (counts.get(EVENT_TYPES[code]!) ?? 0) + perType[code]!);
    }
  }

  /** Appends the chunk's events to `out` as the objects adapters consume. */
  decodeInto(out: EngineEvent[]): void {
    const cursor = new ChunkCursor(this, this.markets);
    const read = this.codec.read;
    for (let i = 0; i < this.count; i++) out.push(read(cursor.num(), cursor));
    cursor.assertAtEnd();
  }
}

/**
 * The writer's machinery. Collecting (the default), it keeps every chunk of the current command
 * for `decode`; streaming, it hands each full chunk to the sink and reuses it, so a command of any
 * size writes into the same few megabytes. The generated EventLog subclass adds one writer per
 * event, built from begin/num/big/str.
 */
export class EventBuffer {
  private current: EventChunk;
  private nums: Float64Array;
  private bigs: BigInt64Array;
  private strs: string[];
  private hugeBigs: bigint[];
  private strLength = 0;
  private hugeLength = 0;
  private numLength = 0;
  private bigLength = 0;
  private chunkCount = 0;
  private readonly sealed: EventChunk[] = [];
  private readonly pool: EventChunk[] = [];
  private sink: ((chunk: EventChunk) => void) | undefined = undefined;
  /** Events written since the last reset. */
  count = 0;

  private readonly codec: Codec;

  /** `markets`: the engine's market list (read at write and decode time; it is filled after construction). */
  constructor(private readonly markets: Markets, read: EventReader, end: EventEnd) {
    this.codec = { read, end };
    this.current = new EventChunk(markets, this.codec, FIRST_CHUNK_NUMS, FIRST_CHUNK_BIGS);
    this.nums = this.current.nums;
    this.bigs = this.current.bigs;
    this.strs = this.current.strs;
    this.hugeBigs = this.current.hugeBigs;
  }

  /**
   * Clears `chunk` and writes into it from its start. The writer keeps the chunk's arrays and
   * lengths in its own fields (every event write goes through them; they are synced back by
   * sealCurrent).
   */
  private startChunk(chunk: EventChunk): void {
    chunk.clear();
    this.current = chunk;
    this.nums = chunk.nums;
    this.bigs = chunk.bigs;
    this.strs = chunk.strs;
    this.hugeBigs = chunk.hugeBigs;
    this.numLength = 0;
    this.bigLength = 0;
    this.strLength = 0;
    this.hugeLength = 0;
    this.chunkCount = 0;
  }

  /** Starts a new command's events: collecting, or streaming full chunks to `sink`. */
  reset(sink?: (chunk: EventChunk) => void): void {
    if (this.sealed.length > 0) {
      for (const chunk of this.sealed) {
        if (this.pool.length < POOL_CHUNKS && chunk.nums.length === CHUNK_NUMS) this.pool.push(chunk);
      }
      this.sealed.length = 0;
    }
    this.sealCurrent();
    this.startChunk(this.current);
    this.count = 0;
    this.sink = sink;
  }

  /** Ends a streaming command: the last, partly filled chunk goes to the sink. */
  finishStream(): void {
    const sink = this.sink;
    if (sink === undefined || this.chunkCount === 0) return;
    this.sealCurrent();
    sink(this.current);
    this.startChunk(this.current);
  }

  /** Every event since the last reset as the objects adapters consume (collecting mode). */
  decode(): EngineEvent[] {
    if (this.sink !== undefined) throw new AssertionFailure('a streamed command has no events to decode');
    this.sealCurrent();
    const events: EngineEvent[] = [];
    for (const chunk of this.sealed) chunk.decodeInto(events);
    this.current.decodeInto(events);
    if (events.length !== this.count) throw new AssertionFailure('the event log decodes to its end');
    return events;
  }

  /** Number of events of one type since the last reset (collecting mode; no decoding). */
  countOf(type: EngineEventType): number {
    this.sealCurrent();
    let found = this.current.countOf(type);
    for (const chunk of this.sealed) found += chunk.countOf(type);
    return found;
  }

  // ---- Writers ------------------------------------------------------------------------------------

  private sealCurrent(): void {
    const chunk = this.current;
    chunk.numLength = this.numLength;
    chunk.bigLength = this.bigLength;
    chunk.strLength = this.strLength;
    chunk.hugeLength = this.hugeLength;
    chunk.count = this.chunkCount;
  }

  /** Moves to a fresh chunk that has room for one event of this size. */
  private nextChunk(numFields: number, bigFields: number): void {
    this.sealCurrent();
    // An event larger than a chunk (a liquidation with tens of thousands of ADL fills) gets a
    // chunk of its own size.
    const oversize = numFields > CHUNK_NUMS || bigFields > CHUNK_BIGS;
    const fresh = (): EventChunk => oversize
      ? new EventChunk(this.markets, this.codec, Math.max(numFields, CHUNK_NUMS), Math.max(bigFields, CHUNK_BIGS))
      : (this.pool.pop() ?? new EventChunk(this.markets, this.codec, CHUNK_NUMS, CHUNK_BIGS));
    if (this.sink !== undefined) {
      if (this.chunkCount > 0) this.sink(this.current);
      // Streaming reuses the chunk, unless it is the small first one or too small for this event.
      this.startChunk(oversize || this.current.nums.length < CHUNK_NUMS ? fresh() : this.current);
    } else {
      this.sealed.push(this.current);
      this.startChunk(fresh());
    }
  }

  /** Starts an event of `type` with room for its numbers and money values (the writers' first call). */
  protected begin(type: number, numFields: number, bigFields: number): void {
    if (this.numLength + numFields + 1 > this.nums.length || this.bigLength + bigFields > this.bigs.length) {
      this.nextChunk(numFields + 1, bigFields);
    }
    this.nums[this.numLength++] = type;
    this.count++;
    this.chunkCount++;
  }

  /** The next numeric field of the event being written. */
  num(value: number): void {
    this.nums[this.numLength++] = value;
  }

  /** The next money field of the event being written. */
  big(value: bigint): void {
    if (value > MIN_I64 && value <= MAX_I64) {
      this.bigs[this.bigLength++] = value;
    } else {
      this.bigs[this.bigLength++] = ESCAPE;
      this.hugeBigs[this.hugeLength++] = value;
    }
  }
  /** The next free-text field of the event being written. */
  str(value: string): void {
    this.strs[this.strLength++] = value;
  }


  /** -1 for '' (no symbol), else the market index of an instrument symbol. */
  symbolCode(symbol: string): number {
    if (symbol === '') return -1;
    const markets = this.markets;
    for (let i = 0; i < markets.length; i++) if (markets[i]!.instrument.symbol === symbol) return i;
    throw new AssertionFailure(`event symbol ${symbol} is an instrument`);
  }
}

/** Reads one chunk's fields in order (the generated readers pull from it). */
export class ChunkCursor {
  private numAt = 0;
  private bigAt = 0;
  private strAt = 0;
  private hugeAt = 0;

  constructor(private readonly chunk: EventChunk, private readonly markets: Markets) {}

  num(): number {
    return this.chunk.nums[this.numAt++]!;
  }

  big(): bigint {
    const value = this.chunk.bigs[this.bigAt++]!;
    return value === ESCAPE ? this.chunk.hugeBigs[this.hugeAt++]! : value;
  }

  str(): string {
    return this.chunk.strs[this.strAt++]!;
  }

  /** A market index field as its symbol ('' for -1). */
  symbol(): string {
    const code = this.num();
    return code === -1 ? '' : this.markets[code]!.instrument.symbol;
  }

  /** A counted list: the count, then `count` items read by `item`. */
  list<T>(item: () => T): T[] {
    const out: T[] = [];
    for (let count = this.num(); count > 0; count--) out.push(item());
    return out;
  }

  assertAtEnd(): void {
    const chunk = this.chunk;
    if (this.numAt !== chunk.numLength || this.bigAt !== chunk.bigLength || this.strAt !== chunk.strLength ||
      this.hugeAt !== chunk.hugeLength) {
      throw new AssertionFailure('an event chunk decodes to its end');
    }
  }
}
