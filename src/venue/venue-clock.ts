/**
 * @module venue/venue-clock
 * The venue's time source (the clock a DurableVenue stamps commands with): wall time, run at a
 * speed factor and moved forward by the operator (`perpx clock --advance`), so funding, candle
 * closes and timers can be seen in minutes. It never goes back. Request signing, recvWindow and
 * rate limits stay on wall time: clients sign with their own clocks.
 */

/** Speeds outside this range are refused: slower stalls the venue, faster outruns its 1 s tick. */
export const MAX_CLOCK_SPEED = 100_000;

export class VenueClock {
  private anchorWallMs: number;
  private anchorVenueMs: number;
  private speedFactor: number;

  constructor(private readonly wall: () => number = Date.now, speed = 1) {
    assertSpeed(speed);
    this.anchorWallMs = wall();
    this.anchorVenueMs = this.anchorWallMs;
    this.speedFactor = speed;
  }

  /** Venue time in ms since the epoch (whole milliseconds). */
  now(): number {
    return this.anchorVenueMs + Math.floor((this.wall() - this.anchorWallMs) * this.speedFactor);
  }

  get speed(): number {
    return this.speedFactor;
  }

  /** Moves venue time forward by `ms` (≥ 0). */
  advance(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('the clock only moves forward by a whole number of ms');
    this.reanchor();
    this.anchorVenueMs += ms;
  }

  setSpeed(speed: number): void {
    assertSpeed(speed);
    this.reanchor();
    this.speedFactor = speed;
  }

  /** After a restart: continue from the venue's last time when it is ahead of the wall clock. */
  resumeFrom(venueMs: number): void {
    if (venueMs <= this.now()) return;
    this.reanchor();
    this.anchorVenueMs = venueMs;
  }

  private reanchor(): void {
    const venueMs = this.now();
    this.anchorWallMs = this.wall();
    this.anchorVenueMs = venueMs;
  }
}

function assertSpeed(speed: number): void {
  if (!Number.isFinite(speed) || speed <= 0 || speed > MAX_CLOCK_SPEED) {
    throw new RangeError(`clock speed must be > 0 and at most ${MAX_CLOCK_SPEED}`);
  }
}
