/**
 * @module scripts/crash-soak
 * The long version of test/journal/crash.heavy.test.ts: many SIGKILL/restart cycles per seed
 * against a real child process and data directory, with every check of the crash driver after
 * every restart, and a final `journal verify`. Prints one line per cycle with --verbose, a summary
 * per seed, and exits 1 on the first seed with a failure (its data directory is kept for autopsy).
 *
 * Usage: node --import tsx scripts/crash-soak.ts [--seeds 1,2,3 | --seed-count 10] [--cycles 200]
 *          [--accounts 40] [--concurrency 24] [--no-fsync] [--keep] [--verbose]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrashCycles } from '../test/journal/support/crash-driver.js';

function option(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const cycles = Number(option(argv, '--cycles') ?? '200');
  const seedCount = Number(option(argv, '--seed-count') ?? '5');
  const seeds = option(argv, '--seeds')?.split(',').map(Number) ?? Array.from({ length: seedCount }, (_, i) => 1000 + i);
  const verbose = argv.includes('--verbose');
  const started = Date.now();
  let totalCycles = 0;
  for (const seed of seeds) {
    const dataDir = mkdtempSync(join(tmpdir(), `perpx-soak-${seed}-`));
    const seedStarted = Date.now();
    const report = await runCrashCycles({
      seed, cycles, dataDir, fsync: !argv.includes('--no-fsync'),
      accounts: Number(option(argv, '--accounts') ?? '40'), concurrency: Number(option(argv, '--concurrency') ?? '24'),
      ...(verbose ? { log: (line: string) => console.log(`[seed ${seed}] ${line}`) } : {}),
    });
    totalCycles += report.cycles;
    const { failures, finalStateHash, ...figures } = report;
    console.log(JSON.stringify({ seed, ms: Date.now() - seedStarted, ...figures, finalStateHash, failures: failures.length }));
    if (failures.length > 0) {
      for (const failure of failures) console.error(`seed ${seed}: ${failure}`);
      console.error(`data directory kept: ${dataDir}`);
      return 1;
    }
    if (!argv.includes('--keep')) rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`soak passed: ${seeds.length} seeds, ${totalCycles} kill/restart cycles in ${Math.round((Date.now() - started) / 1000)} s`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
