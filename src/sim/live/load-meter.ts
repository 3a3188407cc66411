/**
 * @module sim/live/load-meter
 * The engine's load over the last path minute, from committed events: how many events it
 * produced and how many accounts it liquidated. The latency fault reads it, so API latency rises
 * with the cascade the way an exchange's matching and risk engines slow down under one.
 */
import type { EngineEvent } from '../../core/index.js';

const WINDOW_MS = 60_000;
const SLOT_MS = 1_000;
const SLOTS = WINDOW_MS / SLOT_MS;

export class LoadMeter {
  private readonly events = new Float64Array(SLOTS);
  private readonly liquidations = new Float64Array(SLOTS);
  private slot = 0;
  private slotStartMs = 0;

  /** Counts a committed command's events at its path time. */
  record(atMs: number, events: readonly EngineEvent[]): void {
    this.advance(atMs);
    this.events[this.slot]! += events.length;
    for (const event of events) if (event.type === 'Liquidation') this.liquidations[this.slot]!++;
  }

  eventsLastMinute(atMs: number): number {
    this.advance(atMs);
    return this.events.reduce((s, x) => s + x, 0);
  }

  liquidationsLastMinute(atMs: number): number {
    this.advance(atMs);
    return this.liquidations.reduce((s, x) => s + x, 0);
  }

  /** Moves the ring to the slot of `atMs`, clearing the seconds that passed without events. */
  private advance(atMs: number): void {
    if (this.slotStartMs === 0) this.slotStartMs = atMs - (atMs % SLOT_MS);
    let passed = Math.floor((atMs - this.slotStartMs) / SLOT_MS);
    if (passed <= 0) return;
    this.slotStartMs += passed * SLOT_MS;
    if (passed > SLOTS) passed = SLOTS;
    for (let i = 0; i < passed; i++) {
      this.slot = (this.slot + 1) % SLOTS;
      this.events[this.slot] = 0;
      this.liquidations[this.slot] = 0;
    }
  }
}
