/**
 * @module journal/snapshot
 * Snapshot files `snapshot-<seq, 16 digits>.snap`: the engine's canonical state bytes
 * (engine.serialize()) plus the journal's own sections, behind a checksummed header.
 *
 * Header (96 bytes, little-endian): magic "PERPXSNP" | u32 format version | u32 header size |
 *   u64 seq | u64 engine clockMs | 32 bytes SHA-256 of the engine bytes (= engine.stateHash()) |
 *   u64 engine bytes | u64 window bytes | u32 CRC-32C of the body | 8 reserved bytes (0) |
 *   u32 CRC-32C of the preceding 92 header bytes.
 * Body: engine bytes, then the idempotency window section.
 *
 * Written atomically: temp file, fsync, rename, directory fsync; a crash leaves either the old set
 * of snapshots or the old set plus the complete new one (leftover temp files are removed at open).
 * The venue only writes a snapshot after the journal is durable up to its seq, so a snapshot is
 * never ahead of the journal. Validation checks both CRCs, the lengths, the name and the SHA-256:
 * a snapshot that fails any of them is corrupt and recovery falls back to an older one.
 */
import { createHash } from 'node:crypto';
import { open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from './crc32c.js';
import { fsyncDir, writeFully } from './fs-util.js';

export const SNAPSHOT_MAGIC = 'PERPXSNP';
export const SNAPSHOT_FORMAT_VERSION = 1;
export const SNAPSHOT_HEADER_BYTES = 96;

const encoder = new TextEncoder();

export function snapshotFileName(seq: number): string {
  return `snapshot-${String(seq).padStart(16, '0')}.snap`;
}

export function parseSnapshotFileName(name: string): number | undefined {
  const match = /^snapshot-(\d{16})\.snap$/.exec(name);
  return match === null ? undefined : Number(match[1]);
}

export interface SnapshotContent {
  readonly seq: number;
  readonly clockMs: number;
  /** Hex SHA-256 of engineBytes; equals engine.stateHash() of the engine it came from. */
  readonly stateHash: string;
  readonly engineBytes: Uint8Array;
  readonly windowBytes: Uint8Array;
}

export interface SnapshotFile {
  readonly seq: number;
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
}

/** A snapshot that failed validation (checksum, length, name, hash); recovery skips it. */
export class SnapshotInvalidError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`snapshot ${file} is invalid: ${reason}`);
    this.name = 'SnapshotInvalidError';
  }
}

function setU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % 2 ** 32, true);
  view.setUint32(offset + 4, Math.floor(value / 2 ** 32), true);
}

function getU64(view: DataView, offset: number): number {
  return view.getUint32(offset, true) + view.getUint32(offset + 4, true) * 2 ** 32;
}

export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** The header for `content`; the body is content.engineBytes followed by content.windowBytes. */
export function encodeSnapshotHeader(seq: number, clockMs: number, engineBytes: Uint8Array, windowBytes: Uint8Array): Uint8Array {
  const header = new Uint8Array(SNAPSHOT_HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(encoder.encode(SNAPSHOT_MAGIC), 0);
  view.setUint32(8, SNAPSHOT_FORMAT_VERSION, true);
  view.setUint32(12, SNAPSHOT_HEADER_BYTES, true);
  setU64(view, 16, seq);
  setU64(view, 24, clockMs);
  header.set(sha256(engineBytes), 32);
  setU64(view, 64, engineBytes.length);
  setU64(view, 72, windowBytes.length);
  view.setUint32(80, crc32c(windowBytes, 0, windowBytes.length, crc32c(engineBytes)), true);
  view.setUint32(92, crc32c(header, 0, 92), true);
  return header;
}

/** Parses and validates a whole snapshot file's bytes. */
export function decodeSnapshot(file: string, bytes: Uint8Array, expectedSeq?: number): SnapshotContent {
  const invalid = (reason: string): never => {
    throw new SnapshotInvalidError(file, reason);
  };
  if (bytes.length < SNAPSHOT_HEADER_BYTES) invalid(`truncated header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, SNAPSHOT_HEADER_BYTES);
  if (view.getUint32(92, true) !== crc32c(bytes, 0, 92)) invalid('header checksum mismatch');
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== SNAPSHOT_MAGIC) invalid('not a perpx snapshot');
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_FORMAT_VERSION) invalid(`unsupported snapshot format version ${version}`);
  if (view.getUint32(12, true) !== SNAPSHOT_HEADER_BYTES) invalid('unexpected header size');
  const seq = getU64(view, 16);
  if (expectedSeq !== undefined && seq !== expectedSeq) invalid(`header seq ${seq} does not match the file name (${expectedSeq})`);
  const clockMs = getU64(view, 24);
  const engineLength = getU64(view, 64);
  const windowLength = getU64(view, 72);
  if (SNAPSHOT_HEADER_BYTES + engineLength + windowLength !== bytes.length) {
    invalid(`size ${bytes.length} does not match the header (${SNAPSHOT_HEADER_BYTES} + ${engineLength} + ${windowLength})`);
  }
  if (crc32c(bytes, SNAPSHOT_HEADER_BYTES) !== view.getUint32(80, true)) invalid('body checksum mismatch');
  const engineBytes = bytes.subarray(SNAPSHOT_HEADER_BYTES, SNAPSHOT_HEADER_BYTES + engineLength);
  const windowBytes = bytes.subarray(SNAPSHOT_HEADER_BYTES + engineLength);
  const stateHash = Buffer.from(bytes.subarray(32, 64)).toString('hex');
  if (sha256(engineBytes).toString('hex') !== stateHash) invalid('engine state does not match its SHA-256');
  return { seq, clockMs, stateHash, engineBytes, windowBytes };
}

/** Snapshot files in `dir`, newest first. */
export async function listSnapshots(dir: string): Promise<SnapshotFile[]> {
  const files: SnapshotFile[] = [];
  for (const name of await readdir(dir)) {
    const seq = parseSnapshotFileName(name);
    if (seq === undefined) continue;
    const path = join(dir, name);
    let sizeBytes: number;
    try {
      sizeBytes = (await stat(path)).size;
    } catch (error) {
      // Pruned between readdir and stat by a concurrent snapshot: it is simply gone.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    files.push({ seq, name, path, sizeBytes });
  }
  return files.sort((a, b) => b.seq - a.seq);
}

export async function readSnapshotFile(file: SnapshotFile): Promise<SnapshotContent> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.path);
  } catch (error) {
    // A snapshot pruned between listing and reading is gone, not corrupt; the caller moves on.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    throw new SnapshotInvalidError(file.name, `unreadable (${(error as Error).message})`);
  }
  return decodeSnapshot(file.name, bytes, file.seq);
}

/** Test hooks: pause points inside a snapshot write (the crash test lands SIGKILL there). */
export interface SnapshotWriteHooks {
  /** After half of the temp file is written. */
  readonly snapshotMidWrite?: () => Promise<void>;
  /** After the temp file is complete and synced, before the rename. */
  readonly snapshotBeforeRename?: () => Promise<void>;
  /** After the rename, before the directory fsync. */
  readonly snapshotBeforeDirSync?: () => Promise<void>;
}

/** Writes a snapshot atomically; returns its size in bytes. */
export async function writeSnapshot(dir: string, seq: number, clockMs: number, engineBytes: Uint8Array,
  windowBytes: Uint8Array, fsync: boolean, hooks: SnapshotWriteHooks = {}): Promise<number> {
  const name = snapshotFileName(seq);
  const temp = join(dir, `${name}.tmp`);
  const header = encodeSnapshotHeader(seq, clockMs, engineBytes, windowBytes);
  const handle = await open(temp, 'w');
  try {
    let at = await writeFully(handle, [header], 0);
    const half = engineBytes.length >>> 1;
    at += await writeFully(handle, [engineBytes.subarray(0, half)], at);
    if (hooks.snapshotMidWrite !== undefined) await hooks.snapshotMidWrite();
    await writeFully(handle, [engineBytes.subarray(half), windowBytes], at);
    if (fsync) await handle.sync();
  } catch (error) {
    // An abandoned temp file would otherwise wait for the next open's clean-up.
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  if (hooks.snapshotBeforeRename !== undefined) await hooks.snapshotBeforeRename();
  await rename(temp, join(dir, name));
  if (hooks.snapshotBeforeDirSync !== undefined) await hooks.snapshotBeforeDirSync();
  if (fsync) await fsyncDir(dir);
  return header.length + engineBytes.length + windowBytes.length;
}

/** Removes all but the newest `keep` snapshots. */
export async function pruneSnapshots(dir: string, keep: number, fsync: boolean): Promise<number> {
  const files = await listSnapshots(dir);
  let removed = 0;
  for (const file of files.slice(keep)) {
    await unlink(file.path);
    removed++;
  }
  if (removed > 0 && fsync) await fsyncDir(dir);
  return removed;
}

/**
 * Temp files the journal itself writes (snapshots, the instruments manifest). The data directory is
 * shared with other components (read models, API keys), so only these names are ever touched.
 */
export function isJournalTempFile(name: string): boolean {
  return /^snapshot-\d{16}\.snap\.tmp$/.test(name) || name === 'instruments.json.tmp';
}

/** Removes temp files left by a crash during a snapshot or manifest write; returns their names. */
export async function removeTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!isJournalTempFile(name)) continue;
    await unlink(join(dir, name));
    removed.push(name);
  }
  return removed;
}
