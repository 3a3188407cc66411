/**
 * Every program in examples/ runs against `perpx serve --demo --price-source manual` (keys and the
 * admin token read from the data directory, as a user's copy would): the ccxt bot, the user-stream
 * listener, "liquidated in 60 seconds" and the story's rolling short. About a minute in all.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './support/server.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

describe('examples/', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess(['--demo', '--tick-interval-ms', '100'], { tokenFromDataDir: true });
  });

  afterAll(async () => {
    await server?.dispose();
  });

  const example = async (name: string, ...args: string[]): Promise<string> => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'examples', name), ...args], {
      cwd: ROOT, env: { ...process.env, PERPX_URL: server.url, PERPX_DATA_DIR: server.dataDir, PERPX_EXAMPLE_PACE_MS: '0' },
      timeout: 90_000,
    });
    return stdout;
  };

  it('examples/ccxt-bot.mjs quotes around the mark and reports', async () => {
    // --demo creates its accounts just after the server starts listening.
    for (let waited = 0; !server.output().includes('ccxt:') && waited < 20_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const stdout = await example('ccxt-bot.mjs', '2');
    expect(stdout).toMatch(/round 2: mark 60\d{3}(\.\d)?, quoting/);
    expect(stdout).toContain('bot done');
  });

  it('examples/user-stream.mjs prints the account\'s events', async () => {
    const listener = spawn(process.execPath, [join(ROOT, 'examples', 'user-stream.mjs'), '2'], {
      cwd: ROOT, env: { ...process.env, PERPX_URL: server.url, PERPX_DATA_DIR: server.dataDir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    listener.stdout.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => listener.once('exit', resolve));
    for (let waited = 0; !printed.includes('listening') && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    await example('ccxt-bot.mjs', '1');
    expect(await exited).toBe(0);
    expect(printed).toMatch(/ORDER_TRADE_UPDATE: BTCUSDT (BUY|SELL) LIMIT NEW 0.010/);
  });

  it('examples/liquidated-in-60-seconds.mjs: 150 USDT at 100x, liquidated within a minute', async () => {
    const stdout = await example('liquidated-in-60-seconds.mjs');
    expect(stdout).toMatch(/long 0.23 BTC at 60000.5 with 150 USDT at 100x; liquidation price 59\d{3}/);
    expect(stdout).toMatch(/LIQUIDATED at index \d+: 0.23 BTC sold at/);
  });

  it('examples/rolling-short.mjs: rolls the profit twice and the rebound liquidates it', async () => {
    const stdout = await example('rolling-short.mjs');
    expect(stdout).toMatch(/roll again: short [\d.]+ more: short [\d.]+ BTC/);
    expect(stdout).toMatch(/LIQUIDATED on the rebound/);
  });
});
