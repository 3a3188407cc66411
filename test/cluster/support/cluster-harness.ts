/**
 * Test harness for the cluster suites: a 3-node NATS cluster on free loopback ports under a temp
 * dir, engine nodes as child processes of the real CLI (`perpx engine-node`), and status queries.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { EngineNodeStatus } from '../../../src/cluster/engine-node.js';
import { killLocalNats, startLocalNats, type LocalNatsCluster } from '../../../src/cluster/local-nats.js';
import { statusSubject } from '../../../src/cluster/protocol.js';

const CLI = fileURLToPath(new URL('../../../src/cli/run.ts', import.meta.url));
const HOLDING_CHILD = fileURLToPath(new URL('./engine-node-child.ts', import.meta.url));
const PORT_OFFSETS = [0, 1, 2, 10, 11, 12, 20, 21, 22];

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 400) * 100;
    const checks = await Promise.all(PORT_OFFSETS.map((offset) => portFree(base + offset)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error('no free port range for the NATS cluster');
}

export interface TestCluster {
  readonly dir: string;
  readonly nats: LocalNatsCluster;
  readonly urls: readonly string[];
  readonly connection: NatsConnection;
  stop(): Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-cluster-'));
  const nats = await startLocalNats({ dir, basePort: await freeBasePort() });
  const connection = await connect({ servers: [...nats.urls], maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  return {
    dir, nats, urls: nats.urls, connection,
    stop: async () => {
      await connection.close().catch(() => undefined);
      await killLocalNats(nats);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface EngineNodeProcess {
  readonly nodeId: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnEngineNode(urls: readonly string[], nodeId: string, args: readonly string[] = []): EngineNodeProcess {
  const child = fork(CLI, ['engine-node', '--nats', urls.join(','), '--node-id', nodeId, ...args], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  return wrap(nodeId, child);
}

/** Node logs are JSON lines on stderr; they stay out of the test output unless PERPX_CLUSTER_TEST_LOGS=1. */
function wrap(nodeId: string, child: ChildProcess): EngineNodeProcess {
  child.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.PERPX_CLUSTER_TEST_LOGS === '1') process.stderr.write(`[${nodeId}] ${chunk.toString()}`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    nodeId, child, exited,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * An engine node (not through the CLI) that holds forever once a batch reaching `holdAfterSeq` is
 * in the stream, before applying or answering it; `held` resolves then.
 */
export function spawnHoldingEngineNode(urls: readonly string[], nodeId: string, holdAfterSeq: number): EngineNodeProcess & { held: Promise<number> } {
  const child = fork(HOLDING_CHILD, [], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, PERPX_TEST_NATS: urls.join(','), PERPX_TEST_NODE_ID: nodeId, PERPX_TEST_HOLD_AFTER_SEQ: String(holdAfterSeq) },
  });
  return { ...wrap(nodeId, child), held: new Promise((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /held (\d+)/.exec(chunk.toString());
      if (match !== null) resolve(Number(match[1]));
    });
  }) };
}

export async function nodeStatus(connection: NatsConnection, nodeId: string): Promise<EngineNodeStatus | undefined> {
  try {
    return (await connection.request(statusSubject(nodeId), '', { timeout: 1_000 })).json<EngineNodeStatus>();
  } catch {
    return undefined;
  }
}

/** Polls until `check` returns a value (not undefined), or fails after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function waitForRole(connection: NatsConnection, nodeId: string, role: EngineNodeStatus['role'],
  timeoutMs = 30_000): Promise<EngineNodeStatus> {
  return waitFor(`${nodeId} to be ${role}`, async () => {
    const status = await nodeStatus(connection, nodeId);
    return status?.role === role ? status : undefined;
  }, timeoutMs);
}
