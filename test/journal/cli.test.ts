/**
 * @module test/journal/cli.test
 * `perpx journal verify|info`: exit codes and output on a clean directory, a torn tail (warning,
 * exit 2), damage in the middle of the journal (problem, exit 1) and a snapshot whose stateHash
 * disagrees with the replay (problem, exit 1). Runs the commander program in-process; one spawned
 * process checks that `perpx journal --help` is wired into the real CLI.
 */
import { execFile } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { register } from '../../src/cli/commands/journal.js';
import { listSegments, listSnapshots } from '../../src/journal/index.js';
import { recordEnds } from './support/corruption.js';
import { buildJournal, tempDir, type BuiltJournal } from './support/fixtures.js';

async function run(...args: string[]): Promise<{ code: number; out: string }> {
  const program = new Command().exitOverride();
  register(program);
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'perpx', ...args, '--no-progress']);
    return { code: Number(process.exitCode ?? 0), out: lines.join('\n') };
  } finally {
    spy.mockRestore();
    process.exitCode = previous;
  }
}

describe('perpx journal', () => {
  const dir = tempDir();
  let journal: BuiltJournal;
  let segment: string;
  let original: Buffer;
  beforeAll(async () => {
    journal = await buildJournal(dir.path, 30, { snapshotEveryCommands: 10, keepSnapshots: true });
    segment = (await listSegments(dir.path))[0]!.path;
    original = await readFile(segment);
  });
  afterEach(async () => writeFile(segment, original));
  afterAll(() => dir.remove());

  it('verify: a clean directory passes with both stateHashes equal', async () => {
    const { code, out } = await run('journal', 'verify', '--data-dir', dir.path);
    expect(code).toBe(0);
    const finalHash = journal.prefixHashes[30]!;
    expect(out).toContain(`full replay   30 commands`);
    expect(out.match(new RegExp(finalHash, 'g'))).toHaveLength(2);
    expect(out).toMatch(/OK$/);
  });

  it('verify --json reports every snapshot checked against the replay', async () => {
    const { code, out } = await run('journal', 'verify', '--data-dir', dir.path, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as { ok: boolean; snapshots: { status: string }[]; invariants: string[] };
    expect(report.ok).toBe(true);
    expect(report.snapshots.length).toBeGreaterThan(0);
    expect(report.snapshots.every((snapshot) => snapshot.status.startsWith('ok'))).toBe(true);
  });

  it('verify: a torn tail is a warning (exit 2)', async () => {
    await appendFile(segment, Buffer.from([7, 0, 0]));
    const { code, out } = await run('journal', 'verify', '--data-dir', dir.path);
    expect(code).toBe(2);
    expect(out).toMatch(/WARNING +torn final write in journal-0000000000000001\.seg: 3 bytes/);
  });

  it('verify: damage in the middle is a problem (exit 1) naming file and offset', async () => {
    const ends = recordEnds(original);
    const damaged = Buffer.from(original);
    damaged[ends[10]! + 9]! ^= 0x40;
    await writeFile(segment, damaged);
    const { code, out } = await run('journal', 'verify', '--data-dir', dir.path);
    expect(code).toBe(1);
    expect(out).toContain(`PROBLEM       journal corruption in journal-0000000000000001.seg at byte ${ends[10]}: record checksum mismatch`);
  });

  it('verify: a snapshot whose state disagrees with the replay is a problem', async () => {
    // Swap in a valid snapshot of another journal under this snapshot's name: checksums pass, the hash does not.
    const other = tempDir();
    try {
      await buildJournal(other.path, 30, { snapshotEveryCommands: 10, keepSnapshots: true, seed: 99 });
      const [mine] = await listSnapshots(dir.path);
      const theirs = (await listSnapshots(other.path)).find((file) => file.seq === mine!.seq)!;
      const saved = await readFile(mine!.path);
      await writeFile(mine!.path, await readFile(theirs.path));
      const { code, out } = await run('journal', 'verify', '--data-dir', dir.path);
      await writeFile(mine!.path, saved);
      expect(code).toBe(1);
      expect(out).toMatch(new RegExp(`snapshot ${mine!.name} has stateHash [0-9a-f]{64} but the full replay at seq ${mine!.seq} gives`));
    } finally {
      other.remove();
    }
  });

  it('info: segments, records, seq range, snapshots and the last stateHash', async () => {
    const { code, out } = await run('journal', 'info', '--data-dir', dir.path);
    expect(code).toBe(0);
    expect(out).toMatch(/records +30 \(seq 1\.\.30\)/);
    expect(out).toContain(`last state    ${journal.prefixHashes[30]}`);
    expect(out).toMatch(/snapshot-0000000000000030\.snap +seq 30/);
  });

  it('is registered in the perpx CLI, with --help', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const script = "const { main } = await import('./src/cli/main.ts'); await main(['node', 'perpx', ...process.argv.slice(1)]);";
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'journal', '--help'],
      { cwd: root });
    expect(stdout).toContain('verify [options]');
    expect(stdout).toContain('info [options]');
  });
});
