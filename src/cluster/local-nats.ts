/**
 * @module cluster/local-nats
 * A 3-node NATS JetStream cluster on loopback, for development, tests, benchmarks and CI
 * (scripts/cluster/nats.sh wraps it). Each node gets a config file and a store directory under one
 * data directory; ports are fixed from a base so the nodes find each other: client base+i, route
 * base+10+i, monitoring base+20+i. The health gate waits until every node reports JetStream
 * enabled and names the same meta leader: `/healthz` alone said ok on nodes that had not joined
 * the meta group yet.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NATS_NODE_COUNT = 3;
/** Route and monitoring ports sit at these offsets from the client port base. */
const ROUTE_PORT_OFFSET = 10;
const MONITOR_PORT_OFFSET = 20;
const HEALTH_POLL_MS = 100;
const HEALTH_TIMEOUT_MS = 30_000;

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** nats-server: $PERPX_NATS_SERVER, else the one scripts/cluster/install-nats.sh unpacked, else PATH. */
export function natsServerBinary(): string {
  const fromEnv = process.env.PERPX_NATS_SERVER;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const unpacked = join(REPO_ROOT, '.cache/nats/usr/sbin/nats-server');
  return existsSync(unpacked) ? unpacked : 'nats-server';
}

export interface LocalNatsNode {
  readonly name: string;
  readonly clientPort: number;
  readonly monitorPort: number;
  readonly url: string;
  readonly configPath: string;
}

export function localNatsNodes(dir: string, basePort: number): LocalNatsNode[] {
  return Array.from({ length: NATS_NODE_COUNT }, (_, i) => ({
    name: `n${i + 1}`,
    clientPort: basePort + i,
    monitorPort: basePort + MONITOR_PORT_OFFSET + i,
    url: `nats://127.0.0.1:${basePort + i}`,
    configPath: join(dir, `n${i + 1}.conf`),
  }));
}

function configOf(dir: string, basePort: number, index: number): string {
  const routes = Array.from({ length: NATS_NODE_COUNT }, (_, i) => `nats://127.0.0.1:${basePort + ROUTE_PORT_OFFSET + i}`)
    .filter((_, i) => i !== index);
  return [
    `server_name: n${index + 1}`,
    'host: 127.0.0.1',
    `port: ${basePort + index}`,
    `http: 127.0.0.1:${basePort + MONITOR_PORT_OFFSET + index}`,
    `jetstream { store_dir: "${join(dir, `n${index + 1}`)}" }`,
    'cluster {',
    '  name: perpx',
    `  listen: 127.0.0.1:${basePort + ROUTE_PORT_OFFSET + index}`,
    `  routes: [${routes.join(', ')}]`,
    '}',
    '',
  ].join('\n');
}

export interface StartOptions {
  readonly dir: string;
  readonly basePort: number;
  /** Detach the servers from this process (the shell script); tests keep them attached. */
  readonly detached?: boolean;
}

/** Spawns one node (also used to restart a killed one). Output goes to <dir>/<name>.log. */
export function spawnNatsNode(dir: string, node: LocalNatsNode, detached = false): ChildProcess {
  const log = openSync(join(dir, `${node.name}.log`), 'a');
  const child = spawn(natsServerBinary(), ['-c', node.configPath], { stdio: ['ignore', log, log], detached });
  writeFileSync(join(dir, `${node.name}.pid`), `${child.pid}\n`);
  if (detached) child.unref();
  return child;
}

export interface LocalNatsCluster {
  readonly nodes: readonly LocalNatsNode[];
  readonly urls: readonly string[];
  readonly processes: ChildProcess[];
}

/** Writes the configs, starts the three nodes and waits for the health gate. */
export async function startLocalNats(options: StartOptions): Promise<LocalNatsCluster> {
  mkdirSync(options.dir, { recursive: true });
  const nodes = localNatsNodes(options.dir, options.basePort);
  nodes.forEach((node, i) => writeFileSync(node.configPath, configOf(options.dir, options.basePort, i)));
  const processes = nodes.map((node) => spawnNatsNode(options.dir, node, options.detached === true));
  await waitForJetStream(nodes);
  return { nodes, urls: nodes.map((node) => node.url), processes };
}

interface JszReply {
  readonly disabled?: boolean;
  readonly server_name?: string;
  readonly meta_cluster?: {
    readonly leader?: string;
    readonly cluster_size?: number;
    readonly replicas?: readonly { readonly name: string; readonly current: boolean }[];
  };
}

async function jsz(node: LocalNatsNode): Promise<JszReply | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${node.monitorPort}/jsz`, { signal: AbortSignal.timeout(1_000) });
    return response.ok ? (await response.json()) as JszReply : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the given nodes are not ready yet, or undefined when every one reports JetStream and the same
 * meta leader, and that leader sees every other node as a current peer (an R3 stream cannot be
 * placed before: "no suitable peers for placement").
 */
export async function jetStreamProblem(nodes: readonly LocalNatsNode[]): Promise<string | undefined> {
  const leaders = new Set<string>();
  let currentPeers = -1;
  for (const node of nodes) {
    const reply = await jsz(node);
    if (reply === undefined) return `${node.name}: monitoring endpoint not answering`;
    if (reply.disabled === true) return `${node.name}: JetStream disabled`;
    const leader = reply.meta_cluster?.leader;
    if (leader === undefined || leader === '') return `${node.name}: no meta leader yet`;
    leaders.add(leader);
    if (leader === node.name) currentPeers = (reply.meta_cluster?.replicas ?? []).filter((peer) => peer.current).length;
  }
  if (leaders.size !== 1) return `nodes disagree on the meta leader (${[...leaders].join(', ')})`;
  if (currentPeers !== nodes.length - 1) return `the meta leader sees ${Math.max(0, currentPeers)} of ${nodes.length - 1} peers current`;
  return undefined;
}

export async function waitForJetStream(nodes: readonly LocalNatsNode[], timeoutMs = HEALTH_TIMEOUT_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let problem: string | undefined = 'not checked';
  while (performance.now() < deadline) {
    problem = await jetStreamProblem(nodes);
    if (problem === undefined) return;
    await new Promise((done) => setTimeout(done, HEALTH_POLL_MS));
  }
  throw new Error(`NATS cluster not healthy after ${timeoutMs} ms: ${problem}`);
}

/** Stops nodes started detached, by the pids in <dir>/<name>.pid. */
export function stopLocalNats(dir: string, basePort: number): void {
  for (const node of localNatsNodes(dir, basePort)) {
    const pidFile = join(dir, `${node.name}.pid`);
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** Kills attached nodes (tests) and waits for them to exit. */
export async function killLocalNats(cluster: LocalNatsCluster): Promise<void> {
  await Promise.all(cluster.processes.map((child) => new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  })));
}
