/**
 * @module scripts/oracle-teeth
 * Does the engine oracle have teeth? Applies deliberate small rule changes, one at a time, to a
 * scratch copy of the repository (src/ here is never touched), runs the differential test
 * (fixed seed, no shrinking) and, with --engine-suite, the engine's own fast suite (test/engine),
 * and prints a Markdown table of which run caught each change. Not part of CI (about a minute per
 * mutant); docs/oracle.md records the result.
 *
 * Usage: node --import tsx scripts/oracle-teeth.ts [--engine-suite] [--only 1,4]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Mutation {
  readonly what: string;
  readonly file: string;
  readonly find: string;
  readonly replace: string;
}

const MUTATIONS: readonly Mutation[] = [
  { what: 'maker fee rounds down', file: 'src/core/engine/execution.ts',
    find: 'const makerFee = divCeil(', replace: 'const makerFee = ((a: bigint, b: bigint) => a / b)(' },
  { what: 'removed cost of a reduce rounds down (realized PnL overstated)', file: 'src/core/engine/positions.ts',
    find: ': divCeil(position.costE8 * BigInt(closed), BigInt(absBefore));', replace: ': divFloor(position.costE8 * BigInt(closed), BigInt(absBefore));' },
  { what: 'margin check drops the taker-fee reserve', file: 'src/core/engine/order-checks.ts',
    find: '< increase + out.feeReserveE8) out.reason', replace: '< increase + 0n * out.feeReserveE8) out.reason' },
  { what: 'equal triggers fire higher order id first', file: 'src/core/engine/trigger-index.ts',
    find: 'return a.orderId < b.orderId;', replace: 'return a.orderId > b.orderId;' },
  { what: 'ADL ranking ties go to the higher account id', file: 'src/core/engine/liquidation.ts',
    find: '|| a.position.accountId - b.position.accountId', replace: '|| b.position.accountId - a.position.accountId' },
  { what: 'maintenance margin rounds down', file: 'src/core/engine/margin.ts',
    find: 'const mm = divCeil(notional * bracket.mmrE8, RATE_ONE)', replace: 'const mm = divFloor(notional * bracket.mmrE8, RATE_ONE)' },
  { what: 'short assuming price ignores the 0.15% buffer', file: 'src/core/engine/margin.ts',
    find: 'lastNotional * (RATE_ONE + instrument.shortAssumingBufferE8)', replace: 'lastNotional * RATE_ONE' },
  { what: 'liquidation fee rounds down', file: 'src/core/engine/liquidation.ts',
    find: 'const nominalFee = divCeil(', replace: 'const nominalFee = divFloor(' },
  { what: 'isolated initial margin on open rounds down', file: 'src/core/engine/positions.ts',
    find: 'const initialMargin = divCeil(absNotional, BigInt(position.leverage));', replace: 'const initialMargin = absNotional / BigInt(position.leverage);' },
  { what: 'withdrawable counts unrealized profit', file: 'src/core/engine/metrics.ts',
    find: 'const lossOnly = this.unrealizedPnlE8 < 0n ? this.unrealizedPnlE8 : 0n;', replace: 'const lossOnly = this.unrealizedPnlE8;' },
  { what: 'mark rounds half down instead of half up', file: 'src/core/engine/clock.ts',
    find: 'return Number(divFloor(median * 2n + denominator, denominator * 2n));', replace: 'return Number(divCeil(median * 2n - denominator, denominator * 2n));' },
  { what: 'premium sample weights start at 1 at the interval start', file: 'src/core/engine/clock.ts',
    find: 'const weight = BigInt(divFloorInt(atMs - intervalStart, instrument.premiumSampleMs));',
    replace: 'const weight = BigInt(divFloorInt(atMs - intervalStart, instrument.premiumSampleMs) + 1);' },
  { what: 'partial liquidation keeps one lot more than the bracket floor allows', file: 'src/core/engine/liquidation.ts',
    find: 'const keep = Number(divFloor(bracket.floorE8, perLot));', replace: 'const keep = Number(divFloor(bracket.floorE8, perLot)) + 1;' },
  { what: 'reduce-only reconciliation keeps the worst-priced orders first', file: 'src/core/engine/settle.ts',
    find: "(a.side === BUY ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks)", replace: "(a.side === BUY ? a.priceTicks - b.priceTicks : b.priceTicks - a.priceTicks)" },
  { what: 'a negative funding rate rounds away from zero instead of toward it', file: 'src/core/engine/clock.ts',
    find: 'return divTrunc(rate, PREMIUM_PER_RATE);', replace: 'return divFloor(rate, PREMIUM_PER_RATE);' },
];

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Runs vitest on `files` in `dir`; returns whether it failed and the first line that says why. */
function vitest(dir: string, files: string[]): { caught: boolean; why: string } {
  const result = spawnSync('npx', ['vitest', 'run', ...files], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, DIFFERENTIAL_NO_SHRINK: '1', DIFFERENTIAL_SEED: '7', FORCE_COLOR: '0' },
    maxBuffer: 1 << 28,
  });
  const output = `${result.stdout}${result.stderr}`;
  // Caught: a differential mismatch (the field that differed is the line after it) or an engine
  // assertion; any other failure (a coverage shortfall, a crash of the run) is reported as an error.
  const mismatch = /Differential mismatch[^\n]*\n\s*([^\n]*)/.exec(output)?.[1];
  const assertion = /AssertionFailure[^\n]*/.exec(output)?.[0];
  const failed = result.status !== 0;
  const why = mismatch ?? assertion ?? (failed ? `error: ${/Error[^\n]*/.exec(output)?.[0] ?? 'see output'}` : '');
  return { caught: failed && (mismatch !== undefined || assertion !== undefined), why: why.replace(/\s+/g, ' ').slice(0, 200) };
}

function main(): void {
  const root = process.cwd();
  const only = option('--only')?.split(',').map(Number);
  const withEngineSuite = process.argv.includes('--engine-suite');
  const rows: string[] = ['| # | change | differential | engine suite | first mismatch |', '|---|---|---|---|---|'];
  MUTATIONS.forEach((mutation, index) => {
    if (only !== undefined && !only.includes(index + 1)) return;
    const dir = mkdtempSync(join(tmpdir(), 'perpx-teeth-'));
    try {
      for (const entry of ['src', 'test', 'package.json', 'tsconfig.json', 'vitest.config.ts']) {
        cpSync(join(root, entry), join(dir, entry), { recursive: true });
      }
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      const file = join(dir, mutation.file);
      const source = readFileSync(file, 'utf8');
      if (!source.includes(mutation.find)) throw new Error(`mutation ${index + 1}: pattern not found in ${mutation.file}`);
      writeFileSync(file, source.replace(mutation.find, mutation.replace));
      const differential = vitest(dir, ['test/oracle/differential.test.ts']);
      const engine = withEngineSuite ? vitest(dir, ['test/engine']) : undefined;
      const row = `| ${index + 1} | ${mutation.what} | ${differential.caught ? 'caught' : '**missed**'} | ` +
        `${engine === undefined ? '–' : engine.caught || engine.why.startsWith('error') ? 'caught' : 'missed'} | ` +
        `${differential.why.replace(/\|/g, '\\|')} |`;
      rows.push(row);
      console.log(row);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  console.log(`\n${rows.join('\n')}`);
}

main();
