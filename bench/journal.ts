/**
 * @module bench/journal
 * Durability benchmark (issue 4). Four measurements, each on real files in os.tmpdir():
 *
 * 1. Group commit through the durable venue (fsync on): closed-loop submitters at concurrency
 *    1, 64 and 1024 (each awaits its acknowledgement, then sends the next command), after a
 *    bootstrap of 2,000 funded accounts. Reports durable commands/s, acknowledgement latency
 *    p50/p99/p99.9 (submit → resolve, i.e. including the engine and the fsync), fsyncs and the
 *    mean batch size. A second line measures the journal writer alone (pre-encoded records, no
 *    engine) to show what the journal itself sustains.
 * 2. Replay of a 10,000,000-command journal. The journal is generated once (records encoded with
 *    the journal's own codec and written as segments, no engine involved) into
 *    <tmpdir>/perpx-bench-journal-<N>-v2 and reused by later runs (--fresh regenerates). Command mix
 *    ("book flow"): 5,000 accounts (the first 500 quote BTCUSDT and ETHUSDT, the others trade one
 *    home symbol), ~46 % passive limits, ~40 % cancels by client order id, ~8 % crossing IOC
 *    limits, ~2 % market orders, ~3 % index moves, plus amends, cancel-alls, deposits and a Tick
 *    every 3,000 commands; every command has an idempotency key; 2,800 commands per second of
 *    command time (10M ≈ 1 hour, so mark samples and funding run as they would live). Measured: read + checksum + decode only, and the full
 *    replay through a fresh engine (what recovery from seq 1 costs). Before the full replay, the
 *    first 1,000,000 commands are replayed once more with each apply timed, to show where the
 *    engine's time goes by kind of command.
 * 3. Recovery as the venue does it on that journal: snapshot taken at N − 100,000 during the
 *    replay, then openDurableVenue (snapshot load, tail replay, window rebuild, invariant check).
 * 4. Snapshot of 1,000,000 accounts with positions (built by commands: each account buys 0.002
 *    BTC from one market maker): serialize, atomic write with fsync, read + verify, restore.
 *
 * Usage: npm run bench -- journal [--json] [--quick] [--replay-commands N] [--snapshot-accounts N]
 *          [--fresh] [--skip-commit] [--skip-replay] [--skip-snapshot]
 * --quick divides every size by 10 (CI smoke). Progress bars go to stderr; with --json the last
 * stdout line is one JSON object with every figure.
 */
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import {
  createOrderBook, DEFAULT_INSTRUMENTS, Engine, type Command, type OrderSideName, type UnsequencedCommand,
} from '../src/core/index.js';
import {
  encodeRecord, IdempotencyWindow, listSegments, openDurableVenue, readJournal, readSnapshotFile, recover, segmentFileName,
  silentLogger, type DurableVenue, type SegmentFile,
} from '../src/journal/index.js';
import { encodeSegmentHeader } from '../src/journal/format.js';
import { JournalWriter } from '../src/journal/journal-writer.js';
import { ensureManifest } from '../src/journal/manifest.js';
import { listSnapshots, writeSnapshot } from '../src/journal/snapshot.js';
import { Sfc32 as Prng } from '../src/sim/rng.js';

const E8 = 100_000_000n;
const START_MS = Date.UTC(2024, 0, 1);
const SEGMENT_BYTES = 64 * 1024 * 1024;
const CACHE_VERSION = 'v2';
const COMMANDS_PER_SECOND = 2_800;


interface FlowItem {
  readonly command: UnsequencedCommand;
  readonly key: string | undefined;
}

/**
 * "Book flow": the message mix of an order-entry gateway. Engine-independent (cancels address
 * client order ids the flow placed earlier), so 10M commands can be generated without an engine.
 */
class BookFlow {
  private readonly random: Prng;
  private readonly symbols = [
    { symbol: 'BTCUSDT', startTicks: 300_000, indexTicks: 300_000, minLots: 2 },
    { symbol: 'ETHUSDT', startTicks: 200_000, indexTicks: 200_000, minLots: 10 },
  ];
  private readonly recent: string[][];
  private readonly bootstrap: FlowItem[] = [];
  private produced = 0;
  private orders = 0;

  constructor(readonly accounts: number, seed: number) {
    this.random = new Prng(seed);
    this.recent = Array.from({ length: (accounts + 1) * 2 }, () => []);
    this.bootstrap.push({ command: { type: 'FundInsurance', amountE8: 10_000_000n * E8 }, key: 'boot:fund' });
    for (let accountId = 1; accountId <= accounts; accountId++) {
      this.bootstrap.push({ command: { type: 'CreateAccount', parentAccountId: 0 }, key: `boot:create:${accountId}` });
      this.bootstrap.push({ command: { type: 'Deposit', accountId, amountE8: 10_000_000n * E8 }, key: `boot:deposit:${accountId}` });
    }
    for (const model of this.symbols) {
      this.bootstrap.push({ command: { type: 'SetIndexPrice', symbol: model.symbol, priceTicks: model.indexTicks }, key: undefined });
    }
  }

  get bootstrapLength(): number {
    return this.bootstrap.length;
  }

  next(): FlowItem {
    const index = this.produced++;
    if (index < this.bootstrap.length) return this.bootstrap[index]!;
    if (index % 3_000 === 0) return { command: { type: 'Tick' }, key: undefined };
    const r = this.random.float();
    const accountId = 1 + this.random.below(this.accounts);
    // Market makers (the first tenth) quote both symbols; everyone else trades a home symbol, so
    // most cross positions sit in the engine's per-symbol liquidation index.
    const symbolIndex = accountId <= this.accounts / 10 ? this.random.below(2) : accountId % 2;
    const model = this.symbols[symbolIndex]!;
    const slot = this.recent[accountId * 2 + symbolIndex]!;
    if (r < 0.03) {
      let next = Math.round(model.indexTicks * (1 + (this.random.below(11) - 5) / 10_000));
      if (Math.abs(next - model.startTicks) > model.startTicks * 0.2) next = Math.round((next + model.startTicks) / 2);
      model.indexTicks = next;
      return { command: { type: 'SetIndexPrice', symbol: model.symbol, priceTicks: next }, key: `px:${index}` };
    }
    if (r < 0.49) return this.order(model, accountId, slot, 'LIMIT', 'GTC', 1 + this.random.below(60));
    if (r < 0.89) {
      if (slot.length === 0) return this.order(model, accountId, slot, 'LIMIT', 'GTC', 1 + this.random.below(60));
      const at = this.random.below(slot.length);
      const clientOrderId = slot[at]!;
      slot[at] = slot[slot.length - 1]!;
      slot.pop();
      return { command: { type: 'CancelOrder', accountId, symbol: model.symbol, orderId: 0, clientOrderId }, key: `cx:${index}` };
    }
    if (r < 0.97) return this.order(model, accountId, slot, 'LIMIT', 'IOC', -this.random.below(20));
    if (r < 0.99) return this.order(model, accountId, slot, 'MARKET', 'GTC', 0);
    if (r < 0.995 && slot.length > 0) {
      const clientOrderId = slot[this.random.below(slot.length)]!;
      const command: UnsequencedCommand = {
        type: 'AmendOrder', accountId, symbol: model.symbol, orderId: 0, clientOrderId, qtyLots: model.minLots * (1 + this.random.below(30)),
        priceTicks: Math.round(model.indexTicks * (1 - (this.random.below(40) + 1) / 10_000)),
      };
      return { command, key: `am:${index}` };
    }
    if (r < 0.997) {
      slot.length = 0;
      return { command: { type: 'CancelAllOrders', accountId, symbol: model.symbol, scope: 'ALL' }, key: `ca:${index}` };
    }
    return { command: { type: 'Deposit', accountId, amountE8: 1_000n * E8 }, key: `dp:${index}` };
  }

  private order(model: (typeof this.symbols)[number], accountId: number, slot: string[], orderType: 'LIMIT' | 'MARKET',
    timeInForce: 'GTC' | 'IOC', offsetBps: number): FlowItem {
    const side: OrderSideName = this.random.float() < 0.5 ? 'BUY' : 'SELL';
    const sign = side === 'BUY' ? 1 : -1;
    const clientOrderId = `b${(this.orders++).toString(36)}`;
    if (timeInForce === 'GTC' && orderType === 'LIMIT') {
      slot.push(clientOrderId);
      if (slot.length > 64) slot.shift();
    }
    const command: UnsequencedCommand = {
      type: 'PlaceOrder', accountId, symbol: model.symbol, side, orderType, timeInForce,
      qtyLots: model.minLots * (1 + this.random.below(30)),
      priceTicks: orderType === 'MARKET' ? 0 : Math.round(model.indexTicks * (1 - (sign * offsetBps) / 10_000)),
      stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false,
      workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', clientOrderId,
    };
    return { command, key: `o:${accountId}:${clientOrderId}` };
  }
}

function bar(label: string, unit: string): SingleBar {
  return new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`, stream: process.stderr, hideCursor: true,
    etaBuffer: 50,
  }, Presets.shades_classic);
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function option(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  return index >= 0 && argv[index + 1] !== undefined ? Number(argv[index + 1]) : fallback;
}

// ---- 1. group commit ---------------------------------------------------------------------------

interface ThroughputLevel {
  concurrency: number;
  commands: number;
  commandsPerSec: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackP999Ms: number;
  fsyncs: number;
  meanBatch: number;
}

async function closedLoop(venue: DurableVenue, flow: BookFlow, concurrency: number, commands: number): Promise<ThroughputLevel> {
  const latencies = new Float64Array(commands);
  let issued = 0;
  const before = venue.stats().writer;
  const progress = bar(`group commit, ${concurrency} submitters`, 'commands');
  progress.start(commands, 0);
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (issued < commands) {
      const slot = issued++;
      const item = flow.next();
      const sentAt = performance.now();
      await venue.submit(item.command, item.key === undefined ? {} : { idempotencyKey: item.key });
      latencies[slot] = performance.now() - sentAt;
      if ((slot & 1023) === 0) progress.update(slot);
    }
  }));
  const elapsedMs = performance.now() - started;
  progress.update(commands);
  progress.stop();
  const after = venue.stats().writer;
  latencies.sort();
  const batches = after.batches - before.batches;
  return {
    concurrency, commands, commandsPerSec: Math.round(commands / (elapsedMs / 1000)), ackP50Ms: round(percentile(latencies, 0.5), 3),
    ackP99Ms: round(percentile(latencies, 0.99), 3), ackP999Ms: round(percentile(latencies, 0.999), 3), fsyncs: after.syncs - before.syncs,
    meanBatch: round(commands / Math.max(1, batches), 1),
  };
}

async function benchGroupCommit(scale: number, log: (line: string) => void): Promise<{ levels: ThroughputLevel[]; journalOnly: object }> {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-bench-commit-'));
  try {
    const venue = await openDurableVenue({
      dataDir: dir, fsync: true, tickIntervalMs: 0, snapshotEveryCommands: 1e9, logger: silentLogger,
    });
    const flow = new BookFlow(2_000, 7);
    const bootstrap: Promise<unknown>[] = [];
    for (let i = 0; i < flow.bootstrapLength; i++) {
      const item = flow.next();
      bootstrap.push(venue.submit(item.command, item.key === undefined ? {} : { idempotencyKey: item.key }));
    }
    await Promise.all(bootstrap);
    const levels: ThroughputLevel[] = [];
    for (const [concurrency, commands] of [[1, 3_000], [64, 100_000], [1024, 200_000]] as const) {
      const level = await closedLoop(venue, flow, concurrency, Math.max(concurrency * 10, Math.round(commands / scale)));
      levels.push(level);
      log(`group commit (fsync on), ${String(concurrency).padStart(4)} submitters: ${level.commandsPerSec.toLocaleString('en-US')} ` +
        `commands/s durable, ack p50 ${level.ackP50Ms} ms, p99 ${level.ackP99Ms} ms, p99.9 ${level.ackP999Ms} ms, ` +
        `${level.fsyncs} fsyncs, ${level.meanBatch} commands per batch`);
    }
    await venue.close();
    const journalOnly = await benchWriterAlone(join(dir, 'writer-only'), Math.round(1_000_000 / scale));
    log(`journal writer alone (pre-encoded records, fsync on, 4,096 in flight): ${journalOnly.recordsPerSec.toLocaleString('en-US')} ` +
      `records/s, ${journalOnly.mbPerSec} MB/s, ${journalOnly.fsyncs} fsyncs`);
    return { levels, journalOnly };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchWriterAlone(dir: string, records: number): Promise<{ records: number; recordsPerSec: number; mbPerSec: number; fsyncs: number }> {
  mkdirSync(dir, { recursive: true });
  const flow = new BookFlow(2_000, 9);
  const encoded: Uint8Array[] = [];
  for (let i = 0; i < records; i++) {
    const item = flow.next();
    encoded.push(encodeRecord(i + 1, START_MS + i, item.key, item.command));
  }
  let durable = 0;
  let wake: (() => void) | undefined;
  const writer = await JournalWriter.open({
    dataDir: dir, segmentSizeBytes: SEGMENT_BYTES, fsync: true, hooks: {},
    onDurable: (seq) => {
      durable = seq;
      wake?.();
    },
    onFailure: (error) => {
      throw error;
    },
  }, undefined, 0);
  const started = performance.now();
  let bytes = 0;
  for (let i = 0; i < records; i++) {
    // Keep at most 4,096 records in flight, like that many concurrent submitters.
    while (i - durable >= 4_096) await new Promise<void>((resolve) => (wake = resolve));
    writer.append(i + 1, encoded[i]!);
    bytes += encoded[i]!.length;
  }
  while (durable < records) await new Promise<void>((resolve) => (wake = resolve));
  const seconds = (performance.now() - started) / 1000;
  await writer.close();
  return { records, recordsPerSec: Math.round(records / seconds), mbPerSec: round(bytes / 2 ** 20 / seconds, 1), fsyncs: writer.stats.syncs };
}

// ---- 2 + 3. replay of N commands -----------------------------------------------------------------

/** Writes N flow commands as journal segments (no engine), with the instruments manifest. */
async function generateJournal(dir: string, commands: number): Promise<number> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await ensureManifest(dir, DEFAULT_INSTRUMENTS, true, false, () => undefined);
  const flow = new BookFlow(5_000, 42);
  const progress = bar('generating journal', 'commands');
  progress.start(commands, 0);
  const started = performance.now();
  let fd = -1;
  let segmentBytes = SEGMENT_BYTES;
  let buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
  let used = 0;
  const flush = (): void => {
    if (used > 0) writeSync(fd, buffer, 0, used);
    used = 0;
  };
  for (let seq = 1; seq <= commands; seq++) {
    if (segmentBytes >= SEGMENT_BYTES) {
      if (fd >= 0) {
        flush();
        closeSync(fd);
      }
      fd = openSync(join(dir, segmentFileName(seq)), 'wx');
      const header = encodeSegmentHeader(seq);
      writeSync(fd, header);
      segmentBytes = header.length;
    }
    const item = flow.next();
    // 2,800 commands per second of command time (10M commands ≈ 1 hour), whatever N is.
    const record = encodeRecord(seq, START_MS + Math.floor((seq * 1_000) / COMMANDS_PER_SECOND), item.key, item.command);
    if (used + record.length > buffer.length) flush();
    buffer.set(record, used);
    used += record.length;
    segmentBytes += record.length;
    if ((seq & 0xffff) === 0) progress.update(seq);
  }
  flush();
  closeSync(fd);
  buffer = Buffer.alloc(0);
  progress.update(commands);
  progress.stop();
  closeSync(openSync(join(dir, 'complete'), 'w'));
  return performance.now() - started;
}

interface ReplayFigures {
  commands: number;
  journalBytes: number;
  segments: number;
  generatedMs: number | undefined;
  decodeOnlyMs: number;
  decodeOnlyPerSec: number;
  fullReplayMs: number;
  fullReplayPerSec: number;
  recovery: { snapshotSeq: number; replayedCommands: number; ms: number; truncatedBytes: number };
  finalStateHash: string;
  /** Where the engine's share goes: the first commands of the journal, each timed, by kind. */
  byKind: ReplayKindFigures;
}

/** Per kind of command: count, engine µs per command, events per command, share of the engine time. */
type ReplayKindFigures = Record<string, { commands: number; usPerCommand: number; eventsPerCommand: number; timeShare: number }>;

/** Commands timed one by one for the by-kind breakdown (a prefix of the journal: the mix is stationary). */
const BY_KIND_COMMANDS = 1_000_000;

/**
 * The kind of a replayed command for the breakdown: its type, and for orders their type and time
 * in force and whether they traded (a resting limit and a crossing one cost very different work).
 */
function replayKindOf(command: Command, traded: boolean): string {
  if (command.type !== 'PlaceOrder') return command.type;
  return `PlaceOrder ${command.orderType} ${command.timeInForce}${traded ? ' (traded)' : ''}`;
}

/**
 * Replays the first `count` commands through a fresh engine, timing each apply (two clock reads
 * per command add ~0.1 µs each, so the sum exceeds an untimed replay slightly).
 */
async function replayByKind(segments: readonly SegmentFile[], count: number): Promise<ReplayKindFigures> {
  const engine = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
  const kinds = new Map<string, { commands: number; ms: number; events: number }>();
  let totalMs = 0;
  await readJournal(segments, {
    fromSeq: 1, toSeq: count,
    onRecord: (record) => {
      const started = performance.now();
      const log = engine.applyToEventLog(record.command);
      const ms = performance.now() - started;
      const kind = replayKindOf(record.command, record.command.type === 'PlaceOrder' && log.countOf('Trade') > 0);
      let entry = kinds.get(kind);
      if (entry === undefined) kinds.set(kind, entry = { commands: 0, ms: 0, events: 0 });
      entry.commands++;
      entry.ms += ms;
      entry.events += log.count;
      totalMs += ms;
    },
  });
  const figures: ReplayKindFigures = {};
  for (const [kind, entry] of [...kinds].sort((a, b) => b[1].ms - a[1].ms)) {
    figures[kind] = {
      commands: entry.commands, usPerCommand: Math.round((entry.ms * 1000 / entry.commands) * 100) / 100,
      eventsPerCommand: Math.round((entry.events / entry.commands) * 10) / 10, timeShare: Math.round((entry.ms / totalMs) * 1000) / 1000,
    };
  }
  return figures;
}

async function benchReplay(commands: number, fresh: boolean, log: (line: string) => void): Promise<ReplayFigures> {
  const dir = join(tmpdir(), `perpx-bench-journal-${commands}-${CACHE_VERSION}`);
  let generatedMs: number | undefined;
  if (fresh || !existsSync(join(dir, 'complete'))) {
    generatedMs = await generateJournal(dir, commands);
    log(`generated ${commands.toLocaleString('en-US')} commands into ${dir} in ${(generatedMs / 1000).toFixed(1)} s (kept for later runs; --fresh regenerates)`);
  } else {
    log(`reusing the generated journal in ${dir}`);
  }
  for (const name of readdirSync(dir)) if (name.endsWith('.snap') || name === 'LOCK') unlinkSync(join(dir, name));
  const segments = await listSegments(dir);
  const journalBytes = segments.reduce((sum, segment) => sum + segment.sizeBytes, 0);

  // Read + checksum + decode, no engine: the journal's own share of a replay.
  let progress = bar('decode only', 'segments');
  progress.start(segments.length, 0);
  let started = performance.now();
  let decoded = 0;
  await readJournal(segments, { fromSeq: 1, onRecord: () => void decoded++, onSegment: (_segment, index) => progress.update(index) });
  const decodeOnlyMs = performance.now() - started;
  progress.update(segments.length);
  progress.stop();
  log(`read + CRC + decode ${decoded.toLocaleString('en-US')} records (${(journalBytes / 2 ** 20).toFixed(0)} MiB, ${segments.length} segments): ` +
    `${(decodeOnlyMs / 1000).toFixed(2)} s, ${Math.round(decoded / (decodeOnlyMs / 1000)).toLocaleString('en-US')} records/s`);

  // Where the engine's time goes, by kind of command, on a prefix of the same journal.
  const byKindCommands = Math.min(BY_KIND_COMMANDS, commands);
  const byKind = await replayByKind(segments, byKindCommands);
  log(`engine time by kind of command (first ${byKindCommands.toLocaleString('en-US')} commands, each timed):`);
  for (const [kind, figure] of Object.entries(byKind)) {
    log(`  ${kind.padEnd(34)} ${String(figure.commands).padStart(9)} × ${figure.usPerCommand.toFixed(2).padStart(6)} µs ` +
      `(${figure.eventsPerCommand.toFixed(1)} events) = ${(figure.timeShare * 100).toFixed(1).padStart(5)} %`);
  }

  // Full replay through a fresh engine, as recovery from seq 1 does; snapshot at N − 100k on the way.
  const snapshotSeq = Math.max(1, commands - Math.min(100_000, Math.floor(commands / 10)));
  const window = new IdempotencyWindow();
  let snapshot: { engineBytes: Uint8Array; windowBytes: Uint8Array; clockMs: number } | undefined;
  progress = bar('full replay', 'commands');
  progress.start(commands, 0);
  started = performance.now();
  const full = await recover({
    dataDir: dir, instruments: DEFAULT_INSTRUMENTS, log: silentLogger, fromScratch: true,
    onEntry: ({ record }, engine) => {
      window.advance(record.atMs);
      if (record.idempotencyKey !== undefined) window.add(record.idempotencyKey, record.seq, record.atMs, record.bodyCrc);
      if (record.seq === snapshotSeq) snapshot = { engineBytes: engine.serialize(), windowBytes: window.serialize(), clockMs: engine.clockMs };
      if ((record.seq & 0x3fff) === 0) progress.update(record.seq);
    },
  });
  const fullReplayMs = performance.now() - started;
  progress.update(commands);
  progress.stop();
  const finalStateHash = full.engine.stateHash();
  log(`full replay of ${full.replayedCommands.toLocaleString('en-US')} commands through the engine: ${(fullReplayMs / 1000).toFixed(2)} s, ` +
    `${Math.round(full.replayedCommands / (fullReplayMs / 1000)).toLocaleString('en-US')} commands/s ` +
    `(snapshot serialization at seq ${snapshotSeq} included)`);

  // Recovery as the venue does it: newest snapshot + tail.
  await writeSnapshot(dir, snapshotSeq, snapshot!.clockMs, snapshot!.engineBytes, snapshot!.windowBytes, true);
  const venue = await openDurableVenue({ dataDir: dir, tickIntervalMs: 0, logger: silentLogger });
  const recovery = { ...venue.recovery };
  if (venue.engine.stateHash() !== finalStateHash) throw new Error('recovery from the snapshot differs from the full replay');
  await venue.close();
  for (const file of await listSnapshots(dir)) unlinkSync(file.path);
  log(`venue recovery (snapshot at seq ${recovery.snapshotSeq} + ${recovery.replayedCommands.toLocaleString('en-US')} commands, window, ` +
    `invariants): ${recovery.ms} ms; stateHash equals the full replay's`);
  return {
    commands, journalBytes, segments: segments.length, generatedMs: generatedMs === undefined ? undefined : Math.round(generatedMs),
    decodeOnlyMs: Math.round(decodeOnlyMs), decodeOnlyPerSec: Math.round(decoded / (decodeOnlyMs / 1000)), fullReplayMs: Math.round(fullReplayMs),
    fullReplayPerSec: Math.round(full.replayedCommands / (fullReplayMs / 1000)), recovery, finalStateHash, byKind,
  };
}

// ---- 4. snapshot of 1M accounts ------------------------------------------------------------------

interface SnapshotFigures {
  accounts: number;
  positions: number;
  sizeBytes: number;
  buildMs: number;
  serializeMs: number;
  writeMs: number;
  readVerifyMs: number;
  restoreMs: number;
  loadMs: number;
}

function buildAccountsWithPositions(accounts: number): { engine: Engine; buildMs: number } {
  const engine = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
  let seq = 0;
  const apply = (command: UnsequencedCommand): void => {
    // About 1,000 commands per second of command time, so mark samples run as they would live.
    seq++;
    const events = engine.apply({ ...command, seq, atMs: START_MS + Math.floor(seq / 1_000) });
    const rejected = events.find((event) => event.type === 'Rejected');
    if (rejected !== undefined) throw new Error(`setup command rejected: ${JSON.stringify(rejected)}`);
  };
  const order = (accountId: number, side: OrderSideName, qtyLots: number, timeInForce: 'GTC' | 'IOC'): UnsequencedCommand => ({
    type: 'PlaceOrder', accountId, symbol: 'BTCUSDT', side, orderType: 'LIMIT', timeInForce, qtyLots, priceTicks: 300_000,
    stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false,
    workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', clientOrderId: '',
  });
  const progress = bar('building accounts with positions', 'accounts');
  progress.start(accounts, 0);
  const started = performance.now();
  apply({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 300_000 });
  apply({ type: 'CreateAccount', parentAccountId: 0 });
  apply({ type: 'Deposit', accountId: 1, amountE8: 1_000_000_000n * E8 });
  apply({ type: 'SetLeverage', accountId: 1, symbol: 'BTCUSDT', leverage: 5 });
  let resting = 0;
  for (let i = 0; i < accounts; i++) {
    if (resting < 2) {
      apply(order(1, 'SELL', 1_000_000, 'GTC'));
      resting += 500_000;
    }
    apply({ type: 'CreateAccount', parentAccountId: 0 });
    const accountId = i + 2;
    apply({ type: 'Deposit', accountId, amountE8: 1_000n * E8 });
    apply(order(accountId, 'BUY', 2, 'IOC'));
    resting--;
    if ((i & 0x3fff) === 0) progress.update(i);
  }
  progress.update(accounts);
  progress.stop();
  return { engine, buildMs: performance.now() - started };
}

async function benchSnapshot(accounts: number, log: (line: string) => void): Promise<SnapshotFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-bench-snapshot-'));
  try {
    const built = buildAccountsWithPositions(accounts);
    let engine: Engine | undefined = built.engine;
    const positions = engine.market('BTCUSDT').openPositions.size;
    const expectedHash = engine.stateHash();
    let started = performance.now();
    const engineBytes = engine.serialize();
    const windowBytes = new IdempotencyWindow().serialize();
    const serializeMs = performance.now() - started;
    const seq = engine.lastSeq;
    const clockMs = engine.clockMs;
    engine = undefined;
    started = performance.now();
    const sizeBytes = await writeSnapshot(dir, seq, clockMs, engineBytes, windowBytes, true);
    const writeMs = performance.now() - started;
    // Read + verify twice and keep the faster: the first run also pays for collecting the
    // 1M-account engine that was just dropped.
    const [file] = await listSnapshots(dir);
    let readVerifyMs = Number.POSITIVE_INFINITY;
    let content: Awaited<ReturnType<typeof readSnapshotFile>> | undefined;
    for (let run = 0; run < 2; run++) {
      started = performance.now();
      content = await readSnapshotFile(file!);
      readVerifyMs = Math.min(readVerifyMs, performance.now() - started);
    }
    if (content === undefined) throw new Error('snapshot not read');
    started = performance.now();
    const restored = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
    restored.restore(content.engineBytes);
    const restoreMs = performance.now() - started;
    if (content.stateHash !== expectedHash || restored.stateHash() !== expectedHash) throw new Error('restored snapshot differs');
    const figures: SnapshotFigures = {
      accounts: restored.ctx.accounts.size, positions, sizeBytes, buildMs: Math.round(built.buildMs), serializeMs: Math.round(serializeMs),
      writeMs: Math.round(writeMs), readVerifyMs: Math.round(readVerifyMs), restoreMs: Math.round(restoreMs),
      loadMs: Math.round(readVerifyMs + restoreMs),
    };
    log(`snapshot of ${figures.accounts.toLocaleString('en-US')} accounts, ${positions.toLocaleString('en-US')} positions: ` +
      `${(sizeBytes / 2 ** 20).toFixed(1)} MiB; serialize ${figures.serializeMs} ms, write + fsync + rename ${figures.writeMs} ms; ` +
      `read + CRC + SHA-256 ${figures.readVerifyMs} ms, restore ${figures.restoreMs} ms (load ${figures.loadMs} ms)`);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runJournalBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const scale = argv.includes('--quick') ? 10 : 1;
  const replayCommands = option(argv, '--replay-commands', 10_000_000 / scale);
  const snapshotAccounts = option(argv, '--snapshot-accounts', 1_000_000 / scale);
  const log = (line: string): void => console.log(line);
  log(`journal benchmark: node ${process.version}, ${process.platform}/${process.arch}, data in ${tmpdir()}`);
  const commit = argv.includes('--skip-commit') ? undefined : await benchGroupCommit(scale, log);
  const snapshot = argv.includes('--skip-snapshot') ? undefined : await benchSnapshot(snapshotAccounts, log);
  const replay = argv.includes('--skip-replay') ? undefined : await benchReplay(replayCommands, argv.includes('--fresh'), log);
  if (json) {
    console.log(JSON.stringify({
      groupCommit: commit?.levels, journalWriterAlone: commit?.journalOnly, replay, snapshot, node: process.version, quick: scale !== 1,
    }));
  }
}
