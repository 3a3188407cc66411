/**
 * @module bench/book
 * Order-book benchmark: perpx's fast book against the npm package nodejs-order-book on the same
 * seeded operation stream.
 *
 * Workload (1,000,000 ops by default): 60% GTC limit orders around a random-walk mid (10% of them
 * aggressive, so they cross), 25% cancels of random resting orders, 15% market orders (perpx: IOC
 * with the far price limit; peer: market()). The stream is generated once by simulating it on a
 * perpx book, so every cancel targets an order that is resting at that moment in both books; the
 * final depth of both books is compared to prove they executed the same thing. A second variant
 * first loads 50,000 resting orders (untimed), then runs the same kind of stream.
 *
 * Throughput is timed over the whole stream with no per-op timing (median of 5 runs for perpx, one
 * run for the peer, each after a warm-up). Latency is a separate pass that brackets every op with
 * process.hrtime.bigint(); the figures include the timer's own cost, printed as timerOverheadNs.
 * Bytes per resting order come from a child process run with --expose-gc: heap + array-buffer
 * growth after inserting 1,000,000 resting orders (200,000 for the peer, in its own child), the book's fixed cost
 * (page table, bitmaps) excluded and reported separately.
 *
 * Usage: npm run bench -- book [--json] [--ops N] [--seed N]
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PerformanceObserver } from 'node:perf_hooks';
import { OrderBook as PeerBook, Side as PeerSide } from 'nodejs-order-book';
import {
  BUY, createOrderBook, EVENT_FILL, SELL, STP_NONE, TIF_GTC, TIF_IOC, type BookListener, type OrderBook, type Side,
} from '../src/core/book/index.js';
import { Sfc32 } from '../src/sim/rng.js';

const MAX_PRICE_TICKS = 45_297_640; // BTCUSDT: maxPrice 4,529,764 at tick 0.1
const START_MID_TICKS = 950_000;
const OP_LIMIT = 0;
const OP_CANCEL = 1;
const OP_MARKET = 2;
const PRELOAD_ORDERS = 50_000;
const PERPX_RUNS = 5;
const PEER_WARMUP_OPS = 100_000;

const noReduceOnly: BookListener = { reduceOnlyCapacity: () => 0 };


interface Stream {
  readonly length: number;
  readonly kind: Uint8Array;
  readonly side: Uint8Array;
  readonly id: Float64Array;
  readonly owner: Int32Array;
  readonly priceTicks: Int32Array;
  readonly qtyLots: Float64Array;
  /** Peer ids (strings), pre-built so string conversion is not timed. */
  readonly idText: string[];
}

function allocStream(length: number): Stream {
  return {
    length, kind: new Uint8Array(length), side: new Uint8Array(length), id: new Float64Array(length),
    owner: new Int32Array(length), priceTicks: new Int32Array(length), qtyLots: new Float64Array(length),
    idText: new Array<string>(length).fill(''),
  };
}

/** Tracks which ids rest, so cancels can pick a random resting order in O(1). */
class RestingSet {
  private readonly ids: number[] = [];
  private readonly position = new Map<number, number>();

  get size(): number {
    return this.ids.length;
  }

  add(id: number): void {
    this.position.set(id, this.ids.length);
    this.ids.push(id);
  }

  remove(id: number): void {
    const i = this.position.get(id);
    if (i === undefined) return;
    const last = this.ids.pop()!;
    if (last !== id) {
      this.ids[i] = last;
      this.position.set(last, i);
    }
    this.position.delete(id);
  }

  at(i: number): number {
    return this.ids[i]!;
  }
}

/**
 * Generates `preload` resting orders followed by `ops` mixed operations. The simulation book
 * tells which orders are resting at each step.
 */
function generate(seed: number, preload: number, ops: number): { preload: Stream; ops: Stream } {
  const rng = new Sfc32(seed);
  const sim = createOrderBook({ maxPriceTicks: MAX_PRICE_TICKS, listener: noReduceOnly });
  const resting = new RestingSet();
  let nextId = 1;
  let mid = START_MID_TICKS;

  const apply = (s: Stream, i: number): void => {
    if (s.kind[i] === OP_CANCEL) {
      sim.cancel(s.id[i]!);
      resting.remove(s.id[i]!);
      return;
    }
    const tif = s.kind[i] === OP_LIMIT ? TIF_GTC : TIF_IOC;
    sim.submit(s.id[i]!, s.owner[i]!, s.side[i] as Side, s.priceTicks[i]!, s.qtyLots[i]!, tif, STP_NONE, 0);
    const e = sim.events;
    for (let k = 0; k < e.count; k++) {
      if (e.kind[k] !== EVENT_FILL || e.makerRemainingLots[k] === 0) resting.remove(e.makerOrderId[k]!);
    }
    if (sim.lastRestingLots > 0) resting.add(s.id[i]!);
  };

  const pre = allocStream(preload);
  for (let i = 0; i < preload; i++) {
    const side: Side = i % 2 === 0 ? BUY : SELL;
    const offset = 1 + rng.below(2_000);
    pre.kind[i] = OP_LIMIT;
    pre.side[i] = side;
    pre.id[i] = nextId++;
    pre.idText[i] = String(pre.id[i]);
    pre.owner[i] = 1 + rng.below(1_000);
    pre.priceTicks[i] = side === BUY ? mid - offset : mid + offset;
    pre.qtyLots[i] = 1 + rng.below(100);
    apply(pre, i);
  }

  const s = allocStream(ops);
  for (let i = 0; i < ops; i++) {
    if (rng.below(8) === 0) mid += rng.below(2) === 0 ? -1 : 1;
    const roll = rng.below(100);
    const side: Side = rng.below(2) === 0 ? BUY : SELL;
    s.side[i] = side;
    s.owner[i] = 1 + rng.below(1_000);
    if (roll >= 60 && roll < 85 && resting.size > 0) {
      s.kind[i] = OP_CANCEL;
      s.id[i] = resting.at(rng.below(resting.size));
    } else if (roll >= 85) {
      s.kind[i] = OP_MARKET;
      s.id[i] = nextId++;
      s.priceTicks[i] = side === BUY ? MAX_PRICE_TICKS : 1;
      s.qtyLots[i] = 1 + rng.below(150);
    } else {
      s.kind[i] = OP_LIMIT;
      s.id[i] = nextId++;
      const aggressive = rng.below(10) === 0;
      const offset = aggressive ? -rng.below(5) : 1 + rng.below(50);
      s.priceTicks[i] = side === BUY ? mid - offset : mid + offset;
      s.qtyLots[i] = 1 + rng.below(100);
    }
    s.idText[i] = String(s.id[i]);
    apply(s, i);
  }
  return { preload: pre, ops: s };
}

function drivePerpx(book: OrderBook, s: Stream, from: number, to: number): number {
  let checksum = 0;
  for (let i = from; i < to; i++) {
    const kind = s.kind[i];
    if (kind === OP_CANCEL) {
      checksum += book.cancel(s.id[i]!);
    } else {
      book.submit(s.id[i]!, s.owner[i]!, s.side[i] as Side, s.priceTicks[i]!, s.qtyLots[i]!,
        kind === OP_LIMIT ? TIF_GTC : TIF_IOC, STP_NONE, 0);
      checksum += book.lastFilledLots + book.events.count;
    }
  }
  return checksum;
}

interface PeerCounters {
  cancelMisses: number;
}

function drivePeer(book: PeerBook, s: Stream, from: number, to: number, counters: PeerCounters): void {
  for (let i = from; i < to; i++) {
    const kind = s.kind[i];
    const side = s.side[i] === BUY ? PeerSide.BUY : PeerSide.SELL;
    if (kind === OP_CANCEL) {
      if (book.cancel(s.idText[i]!) === undefined) counters.cancelMisses++;
    } else if (kind === OP_LIMIT) {
      book.limit({ side, id: s.idText[i]!, size: s.qtyLots[i]!, price: s.priceTicks[i]! });
    } else {
      book.market({ side, size: s.qtyLots[i]! });
    }
  }
}

function newPerpx(preload: Stream): OrderBook {
  const book = createOrderBook({ maxPriceTicks: MAX_PRICE_TICKS, listener: noReduceOnly });
  drivePerpx(book, preload, 0, preload.length);
  return book;
}

function newPeer(preload: Stream): PeerBook {
  const book = new PeerBook();
  drivePeer(book, preload, 0, preload.length, { cancelMisses: 0 });
  return book;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Depth as "price:lots" strings, bids best first then asks best first. */
function perpxDepth(book: OrderBook): string[] {
  const out: string[] = [];
  for (const side of [BUY, SELL] as const) {
    for (let p = book.firstLevel(side); p !== -1; p = book.nextLevel(side, p)) out.push(`${side}:${p}:${book.levelTotalLots(side, p)}`);
  }
  return out;
}

function peerDepth(book: PeerBook): string[] {
  const [asks, bids] = book.depth();
  return [
    ...[...bids].sort((x, y) => y[0] - x[0]).map(([p, v]) => `${BUY}:${p}:${v}`),
    ...[...asks].sort((x, y) => x[0] - y[0]).map(([p, v]) => `${SELL}:${p}:${v}`),
  ];
}

interface Percentiles {
  p50Ns: number;
  p99Ns: number;
  p999Ns: number;
}

function percentiles(samples: Float64Array): Percentiles {
  const sorted = samples.slice().sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50Ns: at(0.5), p99Ns: at(0.99), p999Ns: at(0.999) };
}

function perpxLatency(pre: Stream, s: Stream): Percentiles {
  const book = newPerpx(pre);
  const samples = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const t0 = process.hrtime.bigint();
    drivePerpx(book, s, i, i + 1);
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  return percentiles(samples);
}

function peerLatency(pre: Stream, s: Stream): Percentiles {
  const book = newPeer(pre);
  const counters = { cancelMisses: 0 };
  const samples = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const t0 = process.hrtime.bigint();
    drivePeer(book, s, i, i + 1, counters);
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  return percentiles(samples);
}

function timerOverheadNs(): number {
  const samples = new Float64Array(200_000);
  for (let i = 0; i < samples.length; i++) {
    const t0 = process.hrtime.bigint();
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  return percentiles(samples).p50Ns;
}

interface WorkloadResult {
  perpxOpsPerSec: number;
  perpxRunsOpsPerSec: number[];
  peerOpsPerSec: number;
  ratio: number;
  perpx: Percentiles;
  peer: Percentiles;
  restingAtEnd: number;
}

function runWorkload(label: string, pre: Stream, s: Stream, log: (line: string) => void): WorkloadResult {
  log(`\n[${label}] ${s.length.toLocaleString('en-US')} ops after ${pre.length.toLocaleString('en-US')} preloaded orders`);
  drivePerpx(newPerpx(pre), s, 0, s.length); // warm-up
  const runs: number[] = [];
  let lastBook: OrderBook | undefined;
  for (let r = 0; r < PERPX_RUNS; r++) {
    const book = newPerpx(pre);
    const start = process.hrtime.bigint();
    drivePerpx(book, s, 0, s.length);
    runs.push(s.length / seconds(start));
    lastBook = book;
  }
  const sortedRuns = [...runs].sort((x, y) => x - y);
  const perpxOps = sortedRuns[Math.floor(sortedRuns.length / 2)]!;
  log(`  perpx  ${fmt(perpxOps)} ops/s (median of ${PERPX_RUNS}; runs ${runs.map(fmt).join(', ')})`);

  drivePeer(newPeer(pre), s, 0, Math.min(PEER_WARMUP_OPS, s.length), { cancelMisses: 0 }); // warm-up
  const peer = newPeer(pre);
  const counters = { cancelMisses: 0 };
  const start = process.hrtime.bigint();
  drivePeer(peer, s, 0, s.length, counters);
  const peerOps = s.length / seconds(start);
  log(`  peer   ${fmt(peerOps)} ops/s (nodejs-order-book, one run)`);

  const same = JSON.stringify(perpxDepth(lastBook!)) === JSON.stringify(peerDepth(peer));
  if (!same || counters.cancelMisses !== 0) {
    throw new Error(`${label}: books diverged (depth equal: ${same}, peer cancel misses: ${counters.cancelMisses})`);
  }
  log(`  final depth identical in both books (${lastBook!.size.toLocaleString('en-US')} resting orders), 0 cancel misses`);
  log(`  ratio  ${(perpxOps / peerOps).toFixed(1)}x`);

  const perpxLat = perpxLatency(pre, s);
  const peerLat = peerLatency(pre, s);
  log(`  latency per op, perpx: p50 ${perpxLat.p50Ns} ns, p99 ${perpxLat.p99Ns} ns, p99.9 ${perpxLat.p999Ns} ns`);
  log(`  latency per op, peer:  p50 ${peerLat.p50Ns} ns, p99 ${peerLat.p99Ns} ns, p99.9 ${peerLat.p999Ns} ns`);
  return {
    perpxOpsPerSec: Math.round(perpxOps), perpxRunsOpsPerSec: runs.map(Math.round), peerOpsPerSec: Math.round(peerOps),
    ratio: Number((perpxOps / peerOps).toFixed(1)), perpx: perpxLat, peer: peerLat, restingAtEnd: lastBook!.size,
  };
}

function usedBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Runs in an --expose-gc child, one book kind per process so their garbage cannot mix. */
function measureMemory(kind: string): { bytesPerOrder: number; fixedBytes: number; orders: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('memory child needs --expose-gc');
  const settle = (): number => {
    for (let i = 0; i < 4; i++) gc();
    return usedBytes();
  };
  const orders = kind === 'perpx' ? 1_000_000 : 200_000;
  const price = (i: number): number => (i % 2 === 0 ? START_MID_TICKS - 1 - (i % 5_000) : START_MID_TICKS + 1 + (i % 5_000));
  const before = settle();
  let empty: number;
  let full: number;
  if (kind === 'perpx') {
    const book = createOrderBook({ maxPriceTicks: MAX_PRICE_TICKS, listener: noReduceOnly });
    empty = settle();
    for (let i = 0; i < orders; i++) {
      book.submit(i + 1, 1 + (i % 1_000), i % 2 === 0 ? BUY : SELL, price(i), 1 + (i % 100), TIF_GTC, STP_NONE, 0);
    }
    full = settle();
    if (book.size !== orders) throw new Error('memory workload crossed');
  } else {
    const book = new PeerBook();
    empty = settle();
    for (let i = 0; i < orders; i++) {
      book.limit({ side: i % 2 === 0 ? PeerSide.BUY : PeerSide.SELL, id: String(i + 1), size: 1 + (i % 100), price: price(i) });
    }
    full = settle();
    if (book.depth()[0].length === 0) throw new Error('peer memory workload is empty');
  }
  return { bytesPerOrder: Math.round(((full - empty) / orders) * 10) / 10, fixedBytes: empty - before, orders };
}

/**
 * Runs in an --expose-gc child: heap growth and GC count while a warmed-up perpx book executes
 * 800,000 ops of the mixed stream, to show the hot path allocates nothing per operation.
 */
function measureAllocation(): { heapGrowthBytes: number; gcCount: number; ops: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('allocation child needs --expose-gc');
  const { ops: stream } = generate(42, 0, 1_000_000);
  const warm = 200_000;
  const make = (): OrderBook => createOrderBook({ maxPriceTicks: MAX_PRICE_TICKS, listener: noReduceOnly });
  drivePerpx(make(), stream, 0, stream.length);
  const book = make();
  drivePerpx(book, stream, 0, warm);
  let gcCount = 0;
  const observer = new PerformanceObserver((list) => {
    gcCount += list.getEntries().length;
  });
  gc();
  gc();
  observer.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  drivePerpx(book, stream, warm, stream.length);
  const after = process.memoryUsage().heapUsed;
  observer.disconnect();
  return { heapGrowthBytes: after - before, gcCount, ops: stream.length - warm };
}

async function inChild<T>(kind: string): Promise<T> {
  const here = fileURLToPath(import.meta.url);
  const root = resolve(dirname(here), '..');
  const child = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', here, '--memory-child', kind],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

function fmt(opsPerSec: number): string {
  return opsPerSec >= 1e6 ? `${(opsPerSec / 1e6).toFixed(2)}M` : `${(opsPerSec / 1e3).toFixed(0)}k`;
}

function option(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
}

export async function runBookBench(argv: string[]): Promise<void> {
  const child = argv.indexOf('--memory-child');
  if (child >= 0) {
    const kind = argv[child + 1] ?? 'perpx';
    console.log(JSON.stringify(kind === 'alloc' ? measureAllocation() : measureMemory(kind)));
    return;
  }
  const json = argv.includes('--json');
  const ops = option(argv, '--ops', 1_000_000);
  const seed = option(argv, '--seed', 42);
  const log = (line: string): void => console.log(line);
  log(`book benchmark: node ${process.version}, seed ${seed}, BTCUSDT range (${MAX_PRICE_TICKS.toLocaleString('en-US')} ticks)`);
  log('workload: 60% GTC limits around a random-walk mid (10% crossing), 25% cancels of resting orders, 15% market orders');

  const mixed = generate(seed, 0, ops);
  const loaded = generate(seed + 1, PRELOAD_ORDERS, ops);
  const overhead = timerOverheadNs();
  const base = runWorkload('mixed', mixed.preload, mixed.ops, log);
  const preloaded = runWorkload('mixed, 50k resting preloaded', loaded.preload, loaded.ops, log);
  log(`\nlatency is per op, bracketed by process.hrtime.bigint() in a separate pass; timer overhead ≈ ${overhead} ns (included)`);

  type Memory = ReturnType<typeof measureMemory>;
  const memory = await inChild<Memory>('perpx');
  const peerMemory = await inChild<Memory>('peer');
  const alloc = await inChild<ReturnType<typeof measureAllocation>>('alloc');
  log(`memory: perpx ${memory.bytesPerOrder} bytes per resting order (${memory.orders.toLocaleString('en-US')} orders, capacity slack included),` +
    ` fixed cost ${(memory.fixedBytes / 2 ** 20).toFixed(1)} MiB per book; peer ${peerMemory.bytesPerOrder} bytes per order` +
    ` (${peerMemory.orders.toLocaleString('en-US')} orders)`);
  log(`allocation: perpx heap grew ${alloc.heapGrowthBytes} bytes with ${alloc.gcCount} GCs over ${alloc.ops.toLocaleString('en-US')}` +
    ' steady-state mixed ops (events on)');

  if (json) {
    console.log(JSON.stringify({
      perpxOpsPerSec: base.perpxOpsPerSec, peerOpsPerSec: base.peerOpsPerSec, ratio: base.ratio,
      p50Ns: base.perpx.p50Ns, p99Ns: base.perpx.p99Ns, p999Ns: base.perpx.p999Ns,
      bytesPerOrder: memory.bytesPerOrder, fixedBytes: memory.fixedBytes, peerBytesPerOrder: peerMemory.bytesPerOrder,
      timerOverheadNs: overhead, heapGrowthBytesSteadyState: alloc.heapGrowthBytes, gcCountSteadyState: alloc.gcCount, peerLatency: base.peer, perpxRunsOpsPerSec: base.perpxRunsOpsPerSec,
      preload50k: {
        perpxOpsPerSec: preloaded.perpxOpsPerSec, peerOpsPerSec: preloaded.peerOpsPerSec, ratio: preloaded.ratio,
        p50Ns: preloaded.perpx.p50Ns, p99Ns: preloaded.perpx.p99Ns, p999Ns: preloaded.perpx.p999Ns, peerLatency: preloaded.peer,
        perpxRunsOpsPerSec: preloaded.perpxRunsOpsPerSec,
      },
      ops, seed, node: process.version,
    }));
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await runBookBench(process.argv.slice(2));
