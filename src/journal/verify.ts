/**
 * @module journal/verify
 * The offline checks behind `perpx journal verify` and `perpx journal info`. Both are read-only:
 * they never truncate a torn tail or delete anything (the venue does that at open).
 *
 * verify: every segment's header and every record's checksum and seq; a full replay from seq 1;
 * at each snapshot's seq, the replayed stateHash against the one stored in the snapshot; a second
 * recovery the way the venue does it (newest valid snapshot + tail); both final stateHashes equal;
 * engine.checkInvariants() empty. Problems are fatal findings (exit 1); warnings are conditions
 * the venue repairs or tolerates at open (torn tail, corrupt snapshot, temp files; exit 2).
 * A directory a running venue holds is verified as the consistent prefix the full replay read (the
 * snapshot recovery stops at the same seq), and its in-flight tail is a note, not a warning.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_INSTRUMENTS, type InstrumentSpec } from '../core/index.js';
import { JournalCorruptionError } from './errors.js';
import { listSegments, readJournal, type SegmentFile } from './journal-reader.js';
import { silentLogger, type JournalLogger } from './logger.js';
import { readManifest } from './manifest.js';
import { recover } from './recovery.js';
import { isJournalTempFile, listSnapshots, readSnapshotFile, SnapshotInvalidError } from './snapshot.js';

export interface VerifyOptions {
  /** Defaults to the data directory's instruments.json, else DEFAULT_INSTRUMENTS. */
  readonly instruments?: readonly InstrumentSpec[];
  /** Also run the order books' O(price range) self-checks. */
  readonly deep?: boolean;
  readonly log?: JournalLogger;
  readonly onSegment?: (segment: SegmentFile, index: number, count: number) => void;
}

export interface VerifyReport {
  readonly dataDir: string;
  readonly ok: boolean;
  readonly problems: string[];
  readonly warnings: string[];
  /** Facts that are not faults (a live venue's prefix and its in-flight tail). */
  readonly notes: string[];
  readonly segments: number;
  readonly lastSeq: number;
  readonly fullReplay: { readonly stateHash: string; readonly commands: number; readonly ms: number } | undefined;
  readonly snapshotRecovery: {
    readonly snapshotSeq: number; readonly stateHash: string; readonly commands: number; readonly ms: number;
  } | undefined;
  readonly snapshots: { readonly name: string; readonly seq: number; readonly status: string }[];
  readonly invariants: string[];
}

async function instrumentsFor(dataDir: string, given: readonly InstrumentSpec[] | undefined,
  warnings: string[]): Promise<readonly InstrumentSpec[]> {
  if (given !== undefined) return given;
  const stored = await readManifest(dataDir);
  if (stored !== undefined) return stored;
  warnings.push('no instruments.json in the data directory; using the default instruments');
  return DEFAULT_INSTRUMENTS;
}

async function lockHolder(dataDir: string): Promise<number | undefined> {
  const text = await readFile(join(dataDir, 'LOCK'), 'utf8').catch(() => undefined);
  const pid = Number(text?.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function verifyDataDir(dataDir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  const log = options.log ?? silentLogger;
  const instruments = await instrumentsFor(dataDir, options.instruments, warnings);
  const holder = await lockHolder(dataDir);
  for (const name of await readdir(dataDir)) if (isJournalTempFile(name)) warnings.push(`leftover temp file ${name}`);
  const segments = await listSegments(dataDir);
  if (segments.length === 0) warnings.push('no journal segments');
  else if (segments[0]!.firstSeq !== 1) problems.push(`the journal starts at seq ${segments[0]!.firstSeq}, not 1: full replay is impossible`);

  // Snapshot headers first, so the full replay can compare its stateHash at each snapshot's seq.
  const snapshotHashes = new Map<number, { name: string; stateHash: string }>();
  const snapshots: { name: string; seq: number; status: string }[] = [];
  for (const file of await listSnapshots(dataDir)) {
    try {
      const content = await readSnapshotFile(file);
      snapshotHashes.set(content.seq, { name: file.name, stateHash: content.stateHash });
      snapshots.push({ name: file.name, seq: file.seq, status: 'checksums ok' });
    } catch (error) {
      if (!(error instanceof SnapshotInvalidError)) throw error;
      warnings.push(`corrupt snapshot ${file.name}: ${error.reason} (recovery skips it)`);
      snapshots.push({ name: file.name, seq: file.seq, status: `corrupt: ${error.reason}` });
    }
  }

  let fullReplay: VerifyReport['fullReplay'];
  let invariants: string[] = [];
  let lastSeq = 0;
  try {
    const started = performance.now();
    const matched = new Set<number>();
    const recovered = await recover({
      dataDir, instruments, log, fromScratch: true,
      ...(options.onSegment === undefined ? {} : { onSegment: options.onSegment }),
      onEntry: ({ command }, engine) => {
        const expected = snapshotHashes.get(command.seq);
        if (expected === undefined) return;
        const actual = engine.stateHash();
        matched.add(command.seq);
        const entry = snapshots.find((snapshot) => snapshot.seq === command.seq)!;
        if (actual === expected.stateHash) {
          entry.status = 'ok: stateHash matches the full replay';
        } else {
          entry.status = 'MISMATCH';
          problems.push(`snapshot ${expected.name} has stateHash ${expected.stateHash} but the full replay at seq ${command.seq} gives ${actual}`);
        }
      },
    });
    lastSeq = recovered.lastSeq;
    fullReplay = { stateHash: recovered.engine.stateHash(), commands: recovered.replayedCommands, ms: Math.round(performance.now() - started) };
    if (holder !== undefined) {
      notes.push(`process ${holder} is running this venue: verified the consistent prefix up to seq ${lastSeq}`);
      if (recovered.torn !== undefined) notes.push(`the tail after seq ${lastSeq} is being written`);
    } else if (recovered.torn !== undefined) {
      warnings.push(`torn final write in ${recovered.torn.segment.name}: ${recovered.torn.tornBytes} bytes at offset ` +
        `${recovered.torn.validBytes} (${recovered.torn.reason}); the venue truncates it at open`);
    }
    for (const [seq, snapshot] of snapshotHashes) {
      if (!matched.has(seq) && seq > lastSeq) problems.push(`snapshot ${snapshot.name} is at seq ${seq}, beyond the journal's end ${lastSeq}`);
    }
    invariants = recovered.engine.checkInvariants(options.deep ?? false);
    for (const violation of invariants) problems.push(`invariant violated after full replay: ${violation}`);
  } catch (error) {
    problems.push(error instanceof JournalCorruptionError ? error.message : `full replay failed: ${describe(error)}`);
  }

  let snapshotRecovery: VerifyReport['snapshotRecovery'];
  try {
    const started = performance.now();
    // The same prefix as the full replay: a running venue keeps appending meanwhile.
    const recovered = await recover({ dataDir, instruments, log, ...(fullReplay === undefined ? {} : { toSeq: lastSeq }) });
    snapshotRecovery = {
      snapshotSeq: recovered.snapshotSeq, stateHash: recovered.engine.stateHash(), commands: recovered.replayedCommands,
      ms: Math.round(performance.now() - started),
    };
    if (fullReplay !== undefined && snapshotRecovery.stateHash !== fullReplay.stateHash) {
      problems.push(`recovery from snapshot seq ${recovered.snapshotSeq} gives stateHash ${snapshotRecovery.stateHash}, ` +
        `the full replay ${fullReplay.stateHash}`);
    }
  } catch (error) {
    problems.push(error instanceof JournalCorruptionError ? error.message : `snapshot recovery failed: ${describe(error)}`);
  }
  return {
    dataDir, ok: problems.length === 0 && warnings.length === 0, problems: [...new Set(problems)], warnings, notes,
    segments: segments.length, lastSeq, fullReplay, snapshotRecovery, snapshots, invariants,
  };
}

export interface DataDirInfo {
  readonly dataDir: string;
  readonly instruments: string[];
  readonly segments: { name: string; firstSeq: number; lastSeq: number; records: number; sizeBytes: number }[];
  readonly records: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly journalBytes: number;
  readonly tornTail: string | undefined;
  readonly snapshots: { name: string; seq: number; sizeBytes: number; stateHash: string | undefined; status: string }[];
  readonly lastStateHash: string | undefined;
  readonly lastAtMs: number | undefined;
  readonly recoveredFromSnapshotSeq: number | undefined;
  readonly error: string | undefined;
}

/** Summary of a data directory: segments, records, snapshots, and the stateHash at the journal's end. */
export async function inspectDataDir(dataDir: string, options: VerifyOptions = {}): Promise<DataDirInfo> {
  const ignored: string[] = [];
  const instruments = await instrumentsFor(dataDir, options.instruments, ignored);
  const files = await listSegments(dataDir);
  const segments: DataDirInfo['segments'] = [];
  let error: string | undefined;
  let tornTail: string | undefined;
  let lastAtMs: number | undefined;
  try {
    const read = await readJournal(files, {
      fromSeq: files[0]?.firstSeq ?? 1,
      onRecord: (record) => {
        lastAtMs = record.atMs;
      },
      ...(options.onSegment === undefined ? {} : { onSegment: options.onSegment }),
    });
    for (const { segment, scan } of read.scans) {
      segments.push({ name: segment.name, firstSeq: scan.firstSeq, lastSeq: scan.lastSeq, records: scan.records, sizeBytes: segment.sizeBytes });
    }
    if (read.torn !== undefined) tornTail = `${read.torn.tornBytes} bytes at ${read.torn.segment.name}:${read.torn.validBytes} (${read.torn.reason})`;
  } catch (caught) {
    error = describe(caught);
  }
  const snapshots: DataDirInfo['snapshots'] = [];
  for (const file of await listSnapshots(dataDir)) {
    try {
      const content = await readSnapshotFile(file);
      snapshots.push({ name: file.name, seq: file.seq, sizeBytes: file.sizeBytes, stateHash: content.stateHash, status: 'ok' });
    } catch (caught) {
      snapshots.push({ name: file.name, seq: file.seq, sizeBytes: file.sizeBytes, stateHash: undefined, status: `corrupt: ${describe(caught)}` });
    }
  }
  let lastStateHash: string | undefined;
  let recoveredFromSnapshotSeq: number | undefined;
  if (error === undefined) {
    try {
      const recovered = await recover({ dataDir, instruments, log: options.log ?? silentLogger });
      lastStateHash = recovered.engine.stateHash();
      recoveredFromSnapshotSeq = recovered.snapshotSeq;
    } catch (caught) {
      error = describe(caught);
    }
  }
  const records = segments.reduce((sum, segment) => sum + segment.records, 0);
  return {
    dataDir, instruments: instruments.map((spec) => spec.symbol), segments, records,
    firstSeq: segments[0]?.firstSeq ?? 0, lastSeq: segments[segments.length - 1]?.lastSeq ?? 0,
    journalBytes: files.reduce((sum, file) => sum + file.sizeBytes, 0), tornTail, snapshots, lastStateHash, lastAtMs,
    recoveredFromSnapshotSeq, error,
  };
}
