/**
 * @module surveillance/runner
 * Runs surveillance beside a live venue without slowing it: the venue's commit listener only
 * appends the batch to a queue (O(1)); a loop drains the queue in slices of at most `sliceMs` and
 * yields to the event loop between slices, so the venue and the API keep serving. A consumer that
 * is slower than the venue falls behind (the queue grows) and catches up when the venue quiets.
 *
 * At start, surveillance needs every event from seq 1 (it builds its state from events): with a
 * durable venue it subscribes first, re-derives the journal's history through `venue.replay`, then
 * joins the live stream, dropping what the replay already covered (no gap, no duplicate). If the
 * queue ever holds more than `maxQueuedEvents`, it is dropped and the missing range is re-derived
 * from the journal the same way, so memory stays bounded. A venue without a journal (tests, the
 * simulator's live mode) cannot re-derive, so its queue is not bounded.
 *
 * Lag is reported in seqs (committed − processed) and in wall-clock ms (how long the oldest queued
 * batch has waited): the only use of the wall clock here, and it never reaches an alert.
 */
import type { Venue } from '../venue/venue.js';
import type { Surveillance } from './service.js';
import { batchOfEntry, isReplayable, type CommittedBatch } from './source.js';

export interface RunnerOptions {
  /** Longest a drain slice runs before yielding (ms of wall time). */
  readonly sliceMs?: number;
  /** Queue bound (events) for durable venues; beyond it the queue is dropped and re-derived. */
  readonly maxQueuedEvents?: number;
  readonly now?: () => number;
}

export interface RunnerStats {
  readonly processedSeq: number;
  readonly committedSeq: number;
  readonly lagSeq: number;
  readonly lagMs: number;
  readonly maxLagMs: number;
  /** Event-time lag: the venue's last command time minus the last processed one. */
  readonly lagEventMs: number;
  readonly queuedBatches: number;
  readonly queuedEvents: number;
  readonly catchingUp: boolean;
  readonly resyncs: number;
}

interface Queued {
  readonly batch: CommittedBatch;
  readonly enqueuedAtMs: number;
}

const DEFAULT_SLICE_MS = 20;
const DEFAULT_MAX_QUEUED_EVENTS = 2_000_000;

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SurveillanceRunner {
  private queue: Queued[] = [];
  private head = 0;
  private queuedEvents = 0;
  private committedSeq = 0;
  private committedAtMs = 0;
  private maxLagMs = 0;
  private catchingUp = false;
  private draining = false;
  private stopped = false;
  private resyncs = 0;
  private unsubscribe: (() => void) | undefined;
  private readonly sliceMs: number;
  private readonly maxQueuedEvents: number;
  private readonly now: () => number;
  private idle: Promise<void> = Promise.resolve();

  constructor(readonly surveillance: Surveillance, private readonly venue: Venue, options: RunnerOptions = {}) {
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.maxQueuedEvents = options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS;
    this.now = options.now ?? Date.now;
  }

  /** Subscribes, catches up with the journal's history (durable venues), then follows live. */
  async start(): Promise<void> {
    this.unsubscribe = this.venue.subscribe((entry) => this.enqueue(batchOfEntry(entry)));
    this.committedSeq = this.venue.engine.lastSeq;
    if (isReplayable(this.venue)) await this.catchUp();
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.queue = [];
    this.head = 0;
    this.queuedEvents = 0;
  }

  /** Resolves when everything committed so far has been processed (tests, shutdown). */
  async settled(): Promise<void> {
    while (!this.stopped && (this.catchingUp || this.draining || this.head < this.queue.length)) {
      await this.idle;
      await nextMacrotask();
    }
  }

  stats(): RunnerStats {
    const oldest = this.queue[this.head];
    const lagMs = oldest === undefined ? 0 : this.now() - oldest.enqueuedAtMs;
    const processed = this.surveillance.lastSeq;
    return {
      processedSeq: processed, committedSeq: this.committedSeq, lagSeq: Math.max(0, this.committedSeq - processed), lagMs,
      maxLagMs: Math.max(this.maxLagMs, lagMs), lagEventMs: Math.max(0, this.committedAtMs - this.surveillance.lastAtMs),
      queuedBatches: this.queue.length - this.head, queuedEvents: this.queuedEvents, catchingUp: this.catchingUp, resyncs: this.resyncs,
    };
  }

  private enqueue(batch: CommittedBatch): void {
    if (this.stopped) return;
    this.committedSeq = batch.toSeq;
    this.committedAtMs = batch.atMs;
    this.queue.push({ batch, enqueuedAtMs: this.now() });
    this.queuedEvents += batch.events.length;
    if (this.queuedEvents > this.maxQueuedEvents && isReplayable(this.venue) && !this.catchingUp) {
      // Bounded memory: forget the queue; the journal has it.
      this.queue = [];
      this.head = 0;
      this.queuedEvents = 0;
      this.resyncs++;
      this.idle = this.catchUp().then(() => this.kick());
      return;
    }
    this.kick();
  }

  /** Re-derives every committed entry after the last processed seq from the journal. */
  private async catchUp(): Promise<void> {
    if (!isReplayable(this.venue)) return;
    this.catchingUp = true;
    try {
      const from = this.surveillance.lastSeq + 1;
      if (this.venue.durableSeq >= from) {
        await this.venue.replay(from, (entry) => {
          if (this.stopped || entry.command.seq <= this.surveillance.lastSeq) return;
          this.surveillance.ingest(batchOfEntry(entry));
        });
      }
    } finally {
      this.catchingUp = false;
    }
  }

  private kick(): void {
    if (this.draining || this.catchingUp || this.stopped) return;
    this.draining = true;
    this.idle = this.drain().finally(() => {
      this.draining = false;
    });
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.head < this.queue.length && !this.catchingUp) {
      const sliceEnd = this.now() + this.sliceMs;
      while (this.head < this.queue.length && this.now() < sliceEnd) {
        const item = this.queue[this.head++]!;
        this.queuedEvents -= item.batch.events.length;
        if (item.batch.toSeq <= this.surveillance.lastSeq) continue;
        if (item.batch.fromSeq !== this.surveillance.lastSeq + 1 && isReplayable(this.venue)) {
          // A gap (the queue was dropped): fill it from the journal first.
          this.head--;
          this.queuedEvents += item.batch.events.length;
          await this.catchUp();
          continue;
        }
        const lag = this.now() - item.enqueuedAtMs;
        if (lag > this.maxLagMs) this.maxLagMs = lag;
        this.surveillance.ingest(item.batch);
      }
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      await nextMacrotask();
    }
  }
}
