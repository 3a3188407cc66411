/**
 * @module cli/commands/journal
 * `perpx journal verify --data-dir <dir>`: checks every checksum, replays the whole journal from
 * seq 1 and again from the newest snapshot, compares both stateHashes (and each snapshot's stored
 * hash with the replay at its seq) and runs the invariant auditor. Exit 0 when clean, 1 on a
 * problem (corruption, mismatch, violated invariant), 2 when only warnings remain (a torn tail or
 * corrupt snapshot the venue repairs or skips at open, leftover temp files).
 * `perpx journal info --data-dir <dir>`: segments, records, seq range, snapshots, sizes, and the
 * stateHash at the end of the journal. Both are read-only.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { inspectDataDir, verifyDataDir, type SegmentFile } from '../../journal/index.js';

interface JournalCliOptions {
  dataDir: string;
  json?: boolean;
  deep?: boolean;
  progress: boolean;
}

function progressBar(enabled: boolean): { onSegment?: (segment: SegmentFile, index: number, count: number) => void; stop(): void } {
  if (!enabled || process.stderr.isTTY !== true) return { stop: () => undefined };
  const bar = new SingleBar({ format: 'journal [{bar}] {value}/{total} segments | {segment}', stream: process.stderr, hideCursor: true },
    Presets.shades_classic);
  let started = false;
  return {
    onSegment: (segment, index, count) => {
      if (!started) bar.start(count, index, { segment: segment.name });
      started = true;
      bar.update(index + 1, { segment: segment.name });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(2)} MiB`;
}

export function register(program: Command): void {
  const journal = program.command('journal').description('inspect and verify a durable venue data directory');

  journal
    .command('verify')
    .description('check checksums, replay from seq 1 and from the newest snapshot, compare stateHashes, run the auditor')
    .option('--data-dir <dir>', 'data directory of a durable venue', './perpx-data')
    .option('--deep', "also run the order books' O(price range) self-checks")
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (options: JournalCliOptions) => {
      const bar = progressBar(options.progress);
      const report = await verifyDataDir(options.dataDir, {
        deep: options.deep === true, ...(bar.onSegment === undefined ? {} : { onSegment: bar.onSegment }),
      }).finally(() => bar.stop());
      if (options.json === true) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        console.log(`data dir      ${report.dataDir}`);
        console.log(`segments      ${report.segments}, last seq ${report.lastSeq}`);
        if (report.fullReplay !== undefined) {
          console.log(`full replay   ${report.fullReplay.commands} commands in ${report.fullReplay.ms} ms → ${report.fullReplay.stateHash}`);
        }
        if (report.snapshotRecovery !== undefined) {
          const recovery = report.snapshotRecovery;
          console.log(`from snapshot seq ${recovery.snapshotSeq} + ${recovery.commands} commands in ${recovery.ms} ms → ${recovery.stateHash}`);
        }
        for (const snapshot of report.snapshots) console.log(`snapshot      ${snapshot.name}: ${snapshot.status}`);
        console.log(`invariants    ${report.invariants.length === 0 ? 'all hold' : `${report.invariants.length} violated`}`);
        for (const note of report.notes) console.log(`note          ${note}`);
        for (const warning of report.warnings) console.log(`WARNING       ${warning}`);
        for (const problem of report.problems) console.log(`PROBLEM       ${problem}`);
        console.log(report.problems.length > 0 ? 'FAILED' : report.warnings.length > 0 ? 'OK with warnings' : 'OK');
      }
      process.exitCode = report.problems.length > 0 ? 1 : report.warnings.length > 0 ? 2 : 0;
    });

  journal
    .command('info')
    .description('print segments, record count, seq range, snapshots, sizes and the last stateHash')
    .option('--data-dir <dir>', 'data directory of a durable venue', './perpx-data')
    .option('--json', 'print JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (options: JournalCliOptions) => {
      const bar = progressBar(options.progress);
      const info = await inspectDataDir(options.dataDir, bar.onSegment === undefined ? {} : { onSegment: bar.onSegment })
        .finally(() => bar.stop());
      if (options.json === true) {
        console.log(JSON.stringify(info, null, 2));
      } else {
        console.log(`data dir      ${info.dataDir}`);
        console.log(`instruments   ${info.instruments.join(', ')}`);
        console.log(`records       ${info.records} (seq ${info.firstSeq}..${info.lastSeq}), ${mib(info.journalBytes)} in ${info.segments.length} segments`);
        for (const segment of info.segments) {
          console.log(`  ${segment.name}  seq ${segment.firstSeq}..${segment.lastSeq}  ${segment.records} records  ${mib(segment.sizeBytes)}`);
        }
        if (info.tornTail !== undefined) console.log(`torn tail     ${info.tornTail} (truncated when the venue opens)`);
        console.log(`snapshots     ${info.snapshots.length}`);
        for (const snapshot of info.snapshots) {
          console.log(`  ${snapshot.name}  seq ${snapshot.seq}  ${mib(snapshot.sizeBytes)}  ${snapshot.status}` +
            `${snapshot.stateHash === undefined ? '' : `  ${snapshot.stateHash}`}`);
        }
        if (info.lastAtMs !== undefined) console.log(`last atMs     ${info.lastAtMs} (${new Date(info.lastAtMs).toISOString()})`);
        if (info.lastStateHash !== undefined) {
          console.log(`last state    ${info.lastStateHash} (snapshot seq ${info.recoveredFromSnapshotSeq} + tail)`);
        }
        if (info.error !== undefined) console.log(`ERROR         ${info.error}`);
      }
      process.exitCode = info.error === undefined ? 0 : 1;
    });
}
