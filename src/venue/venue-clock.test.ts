import { describe, expect, it } from 'vitest';
import { VenueClock } from './venue-clock.js';

describe('VenueClock', () => {
  it('runs at its speed, advances on demand, never goes back, and resumes ahead of the wall', () => {
    let wall = 1_000_000;
    const clock = new VenueClock(() => wall, 60);
    wall += 1_000;
    expect(clock.now()).toBe(1_060_000);
    clock.advance(8 * 3_600_000);
    expect(clock.now()).toBe(1_060_000 + 8 * 3_600_000);
    clock.setSpeed(1);
    wall += 1_000;
    expect(clock.now()).toBe(1_061_000 + 8 * 3_600_000);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.setSpeed(0)).toThrow(RangeError);
    const restarted = new VenueClock(() => wall);
    restarted.resumeFrom(clock.now());
    expect(restarted.now()).toBe(clock.now());
    restarted.resumeFrom(0);
    expect(restarted.now()).toBe(clock.now());
  });
});
