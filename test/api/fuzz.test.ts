/**
 * Fuzz (default suite, 5,000 requests; the 100,000-request run is fuzz.heavy.test.ts): malformed
 * requests over keep-alive connections with concurrency against the real server process. Zero
 * 5xx, every error a JSON {code,msg}, no malformed request accepted, the server stays up and the
 * ledger and order books are unchanged. Also raw garbage on the socket and on WebSocket control
 * messages.
 */
import { connect } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { FUZZ_SERVER_ARGS, FuzzGenerator, fuzzSetup, runFuzz, stateOf } from './support/fuzz.js';
import { publicFetch, startServerProcess, type ServerProcess } from './support/server.js';

describe('API fuzz (light)', () => {
  let server: ServerProcess;
  let accounts: CreatedAccount[];

  beforeAll(async () => {
    server = await startServerProcess(FUZZ_SERVER_ARGS);
    accounts = await fuzzSetup(server);
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('survives 5,000 malformed requests without a 5xx or a state change', async () => {
    const before = await stateOf(server, accounts);
    const result = await runFuzz(server.url, new FuzzGenerator(7, accounts, server.token), 5_000, 32);
    expect(result.serverErrors).toEqual([]);
    expect(result.acceptedMutations).toEqual([]);
    expect(result.nonJson).toEqual([]);
    expect(await stateOf(server, accounts)).toEqual(before);
    expect(server.child.exitCode).toBeNull();
  });

  it('survives garbage on raw sockets and on WebSocket control messages', async () => {
    const garbage = ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n', '\u0000\u0001\u0002\r\n\r\n',
      'POST /fapi/v1/order HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', `GET /${'a'.repeat(100_000)} HTTP/1.1\r\n\r\n`];
    const { port } = new URL(server.url);
    for (const text of garbage) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.resume();
      });
    }
    const ws = new WebSocket(`${server.wsUrl}/ws`);
    await new Promise((resolve) => ws.once('open', resolve));
    const replies: string[] = [];
    ws.on('message', (data: Buffer) => replies.push(data.toString()));
    const messages = ['{', '[]', '{"method":"SUBSCRIBE"}', '{"method":"SUBSCRIBE","params":["nope@depth"],"id":1}',
      '{"method":"SUBSCRIBE","params":"btcusdt@depth","id":2}', '{"method":"FLY","id":3}', '{"method":"SUBSCRIBE","params":[],"id":-1}',
      '{"method":"LIST_SUBSCRIPTIONS","id":4}', '{"method":"SET_PROPERTY","params":["combined","yes"],"id":5}', 'null'];
    for (const message of messages) ws.send(message);
    ws.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(replies.length).toBe(messages.length + 1);
    expect(replies.filter((reply) => reply.includes('"error"'))).toHaveLength(messages.length);
    ws.close();
    expect((await publicFetch(server.url, '/fapi/v1/ping')).status).toBe(200);
  });
});
