/**
 * @module sim/run/phase-timer
 * Where a run's time goes: the engine (applying commands and decoding their events), the agents
 * (their policies, including the read-only engine queries they make), and recording (event-stream
 * hash, recorder, samples), and the auditor (invariant checks). The benchmark reports the shares; a run without a timer pays nothing.
 * Phases nest (an agent's commands are applied inside its turn): time is charged to the innermost
 * open phase only.
 */

export type Phase = 'engine' | 'agents' | 'recording' | 'audit';

export const PHASES: readonly Phase[] = ['engine', 'agents', 'recording', 'audit'];

export class PhaseTimer {
  readonly totalsMs: Record<Phase, number> = { engine: 0, agents: 0, recording: 0, audit: 0 };
  private readonly stack: Phase[] = [];
  private markMs = 0;

  enter(phase: Phase): void {
    const now = performance.now();
    const open = this.stack[this.stack.length - 1];
    if (open !== undefined) this.totalsMs[open] += now - this.markMs;
    this.stack.push(phase);
    this.markMs = now;
  }

  leave(): void {
    const now = performance.now();
    const phase = this.stack.pop();
    if (phase !== undefined) this.totalsMs[phase] += now - this.markMs;
    this.markMs = now;
  }
}
