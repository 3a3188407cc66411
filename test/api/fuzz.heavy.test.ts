/**
 * Fuzz (heavy): 100,000 malformed requests over 64 keep-alive connections against the real server
 * process (`npm run test:heavy`). Zero 5xx, every answer JSON, no malformed request accepted, the
 * server stays up, and the ledger, books and open orders are unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { FUZZ_SERVER_ARGS, FuzzGenerator, fuzzSetup, runFuzz, stateOf } from './support/fuzz.js';
import { startServerProcess, type ServerProcess } from './support/server.js';

describe('API fuzz (heavy)', () => {
  let server: ServerProcess;
  let accounts: CreatedAccount[];

  beforeAll(async () => {
    server = await startServerProcess(FUZZ_SERVER_ARGS);
    accounts = await fuzzSetup(server);
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('survives 100,000 malformed requests without a 5xx or a state change', async () => {
    const before = await stateOf(server, accounts);
    const result = await runFuzz(server.url, new FuzzGenerator(20261125, accounts, server.token), 100_000, 64);
    console.log(`fuzz: ${result.requests} requests in ${result.ms} ms; statuses ${JSON.stringify([...result.byStatus].sort())}`);
    expect(result.serverErrors.slice(0, 20)).toEqual([]);
    expect(result.acceptedMutations.slice(0, 20)).toEqual([]);
    expect(result.nonJson.slice(0, 20)).toEqual([]);
    expect(await stateOf(server, accounts)).toEqual(before);
    expect(server.child.exitCode).toBeNull();
  });
});
