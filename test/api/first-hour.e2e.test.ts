/**
 * A new user's first hour, run as they would: `npx perpx` from the checkout, the build check
 * behind `npm start`, the start-up summary (structured log in a file) and the ccxt snippet printed
 * at start, run as is. The programs in examples/ run in examples.heavy.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuildStale } from '../../bin/build-state.js';
import { ccxtClient, startServerProcess, waitFor, type ServerProcess } from './support/server.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

describe('the checkout', () => {
  it('runs `npx perpx` (the package bin)', async () => {
    const { stdout } = await run('npx', ['--no-install', 'perpx', '--version'], { cwd: ROOT });
    expect(stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('rebuilds only when a source is newer than the build', () => {
    const root = mkdtempSync(join(tmpdir(), 'perpx-build-'));
    try {
      for (const dir of ['src/cli', 'dist/cli', 'dist/web', 'web']) mkdirSync(join(root, dir), { recursive: true });
      for (const file of ['src/cli/main.ts', 'web/index.html', 'dist/cli/main.js', 'dist/web/index.html']) writeFileSync(join(root, file), '');
      const at = (file: string, seconds: number): void => utimesSync(join(root, file), seconds, seconds);
      at('src/cli/main.ts', 1_000);
      at('web/index.html', 1_000);
      at('dist/cli/main.js', 2_000);
      at('dist/web/index.html', 2_000);
      expect(isBuildStale(root)).toBe(false);
      at('web/index.html', 3_000);
      expect(isBuildStale(root)).toBe(true);
      expect(isBuildStale(root, { web: false })).toBe(false);
      at('src/cli/main.ts', 3_000);
      expect(isBuildStale(root, { web: false })).toBe(true);
      rmSync(join(root, 'dist/cli/main.js'));
      at('src/cli/main.ts', 1_000);
      expect(isBuildStale(root, { web: false })).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('serve --demo --price-source manual', () => {
  let server: ServerProcess;
  const scratch = join(ROOT, '.tmp', `first-hour-${process.pid}`);

  beforeAll(async () => {
    mkdirSync(scratch, { recursive: true });
    // The admin token from <data-dir>/admin-token, as a user's examples read it.
    server = await startServerProcess(['--demo', '--tick-interval-ms', '100'], { tokenFromDataDir: true });
    await waitFor(() => (server.output().includes('ccxt:\n') ? true : undefined), 20_000, 'the demo banner');
  });

  afterAll(async () => {
    await server?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('prints a short summary, keeps the structured log in a file, and a ccxt snippet that runs as printed', async () => {
    const output = server.output();
    const snippetStart = output.indexOf('ccxt:\n');
    expect(snippetStart).toBeGreaterThan(0);
    const summary = output.slice(0, snippetStart);
    expect(summary).not.toContain('{"level"');
    expect(summary).toContain(`log: ${join(server.dataDir, 'perpx.log')}`);
    expect(readFileSync(join(server.dataDir, 'perpx.log'), 'utf8')).toContain('"msg":"journal recovered"');
    const snippet = output.slice(snippetStart + 'ccxt:\n'.length).split('\n\n')[0]!;
    expect(snippet).toContain("sapi: B + '/sapi/v1'");
    const file = join(scratch, 'perpx-demo.mjs');
    writeFileSync(file, snippet);
    const { stdout } = await run(process.execPath, [file], { cwd: ROOT, timeout: 30_000 });
    expect(stdout).toMatch(/total: 100000/);
  });

});

describe('serve --price-source replay:<csv>', () => {
  let server: ServerProcess | undefined;
  const csv = join(ROOT, 'test', 'sim', 'fixtures', 'synthetic-1m.csv');

  afterAll(async () => {
    await server?.dispose();
  });

  it('serves the replayed file as the venue\'s kline history (ccxt fetchOHLCV since its start)', async () => {
    server = await startServerProcess(['--price-source', `replay:${csv}`]);
    const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
    const exchange = ccxtClient(server.url);
    const since = rows[0]![0]!;
    const candles = await exchange.fetchOHLCV('BTC/USDT:USDT', '1m', since, rows.length);
    expect(candles).toHaveLength(rows.length);
    // On the 0.1 tick: open and close to the nearest, the high down and the low up (inside the candle).
    expect(candles[0]).toEqual([since, 50000, 50057.4, 49848.8, 49882.1, 388.5]);
    for (const [index, candle] of candles.entries()) {
      expect(candle[0]).toBe(rows[index]![0]);
      expect(candle[5]).toBeCloseTo(rows[index]![5]!, 3);
    }
    const [hour] = await exchange.fetchOHLCV('BTC/USDT:USDT', '1h', since, 1);
    expect(hour![5]).toBeCloseTo(rows.reduce((sum, row) => sum + row[5]!, 0), 3);
  });
});

