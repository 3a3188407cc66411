/**
 * @module surveillance/latch
 * When a condition with levels (0 = quiet, 1 = warn, 2 = high, …) should raise an alert: when its
 * level rises, and again at a level already reported only after `repeatAfterMs` of event time. A
 * condition that flickers around its threshold every second therefore alerts once, not every
 * second, and one that falls back and returns after the quiet period alerts again.
 */

interface LatchState {
  level: number;
  firedLevel: number;
  firedAtMs: number;
}

export class Latches<K> {
  private readonly states = new Map<K, LatchState>();
  /** Keys whose level is above 0, kept apart so the common "anything active?" question is O(1). */
  private readonly raised = new Set<K>();

  constructor(private readonly repeatAfterMs: number) {}

  /** Records the condition's current level; true when an alert should fire now. */
  update(key: K, level: number, atMs: number): boolean {
    let state = this.states.get(key);
    if (level <= 0) {
      if (state !== undefined) {
        state.level = 0;
        this.raised.delete(key);
        if (atMs - state.firedAtMs >= this.repeatAfterMs) this.states.delete(key);
      }
      return false;
    }
    if (state === undefined) {
      state = { level: 0, firedLevel: 0, firedAtMs: Number.NEGATIVE_INFINITY };
      this.states.set(key, state);
    }
    const rising = level > state.level;
    state.level = level;
    this.raised.add(key);
    if (!rising) return false;
    if (level > state.firedLevel || atMs - state.firedAtMs >= this.repeatAfterMs) {
      state.firedLevel = level;
      state.firedAtMs = atMs;
      return true;
    }
    return false;
  }

  level(key: K): number {
    return this.states.get(key)?.level ?? 0;
  }

  /** Keys whose condition currently holds (level > 0), in the order they were raised. */
  active(): ReadonlySet<K> {
    return this.raised;
  }

  get size(): number {
    return this.states.size;
  }
}
