/**
 * @module test/journal/crash.heavy.test
 * Crash test with real processes, files and signals: for each fixed seed, a child process runs a
 * durable venue (fsync on) on a temp data directory while this process drives thousands of
 * commands (accounts, deposits, limit/market/conditional orders, cancels, amends, index moves,
 * ticks: trades, positions, funding and liquidations) and SIGKILLs it at random points and in
 * named windows (mid-record, before fsync, before ack, mid snapshot, before the snapshot rename,
 * before the directory fsync, right after recovery); some cycles shut down cleanly. After every
 * restart support/crash-driver.ts checks: every acknowledged command is in the journal at its seq,
 * no key twice, in-flight retries are duplicates exactly when journaled, retried acknowledged
 * commands return the original seq/atMs/events, the recovered stateHash equals a clean replay, and
 * invariants hold. 4 seeds × 27 cycles = 108 kill/restart cycles. `scripts/crash-soak.ts` runs longer.
 */
import { describe, expect, it } from 'vitest';
import { runCrashCycles, type CrashRunReport } from './support/crash-driver.js';
import { tempDir } from './support/fixtures.js';

const SEEDS = [11, 23, 37, 51];
const CYCLES_PER_SEED = 27;

describe('SIGKILL at random points, restart, check', () => {
  const reports: CrashRunReport[] = [];

  for (const seed of SEEDS) {
    it(`seed ${seed}: ${CYCLES_PER_SEED} kill/restart cycles lose nothing and apply nothing twice`, async () => {
      const dir = tempDir(`perpx-crash-${seed}-`);
      try {
        const report = await runCrashCycles({ seed, cycles: CYCLES_PER_SEED, dataDir: dir.path });
        reports.push(report);
        expect(report.failures).toEqual([]);
        expect(report.cycles).toBe(CYCLES_PER_SEED);
        expect(report.acked).toBeGreaterThan(1000);
        expect(report.journalRecords).toBeGreaterThanOrEqual(report.acked);
        expect(report.recoveriesFromSnapshot).toBeGreaterThan(0);
        expect(report.trades).toBeGreaterThan(0);
      } finally {
        dir.remove();
      }
    });
  }

  it('covered every kill window, both in-flight outcomes, torn tails, snapshot temp files and liquidations', () => {
    expect(reports).toHaveLength(SEEDS.length);
    const sum = (pick: (report: CrashRunReport) => number): number => reports.reduce((total, report) => total + pick(report), 0);
    const kills: Record<string, number> = {};
    for (const report of reports) for (const [mode, count] of Object.entries(report.killsByMode)) kills[mode] = (kills[mode] ?? 0) + count;
    const cycles = sum((report) => report.cycles);
    expect(cycles).toBeGreaterThanOrEqual(100);
    expect(Object.keys(kills).sort()).toEqual([
      'after-recovery', 'before-ack', 'before-sync', 'mid-record', 'snapshot-before-dir-sync', 'snapshot-before-rename',
      'snapshot-mid-write', 'timed',
    ]);
    expect(sum((report) => report.cleanShutdowns)).toBeGreaterThan(0);
    expect(sum((report) => report.cyclesWithTruncation)).toBeGreaterThan(0);
    expect(sum((report) => report.tempFilesRemoved)).toBeGreaterThan(0);
    expect(sum((report) => report.inFlightFoundDurable)).toBeGreaterThan(0);
    expect(sum((report) => report.inFlightAppliedFresh)).toBeGreaterThan(0);
    expect(sum((report) => report.duplicateChecks)).toBeGreaterThan(100);
    expect(sum((report) => report.liquidations)).toBeGreaterThan(0);
    expect(sum((report) => report.fundingSettlements)).toBeGreaterThan(0);
    console.log(JSON.stringify({ cycles, kills, acked: sum((report) => report.acked), liquidations: sum((report) => report.liquidations) }));
  });
});
