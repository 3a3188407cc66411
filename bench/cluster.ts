/**
 * `npm run bench -- cluster [--json] [--quick] [--orders N] [--concurrency N]`: the same keyed order
 * flow (resting bids and IOC sells that trade, test/cluster/support/order-flow) through
 *   1. the engine alone, in this process (the ceiling),
 *   2. the embedded durable venue (file journal, fsync on),
 *   3. an engine node (`perpx engine-node`, a child process) on a 3-node NATS cluster, stream R1,
 *   4. the same with the stream R3,
 * with closed-loop clients (N requests in flight) over NATS, measuring orders/s, ack latency and
 * CPU per order of each process; then a failover on R3: SIGKILL the leader while clients submit,
 * the stall until the first acknowledgement from the new leader, and acknowledged commands missing
 * from the log afterwards (lostAcks, target 0). Needs nats-server (scripts/cluster/install-nats.sh).
 * The last line with --json is one JSON object.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { ClusterClient } from '../src/cluster/cluster-client.js';
import { EngineReplica } from '../src/cluster/engine-replica.js';
import { JetStreamCommandLog } from '../src/cluster/jetstream-command-log.js';
import { openDurableVenue, silentLogger } from '../src/journal/index.js';
import {
  spawnEngineNode, startTestCluster, waitForRole, type EngineNodeProcess, type TestCluster,
} from '../test/cluster/support/cluster-harness.js';
import { bootstrapCommands, depositCommands, tradingCommand, type KeyedCommand } from '../test/cluster/support/order-flow.js';

const ACCOUNTS = 200;
const ACCOUNT_IDS = Array.from({ length: ACCOUNTS }, (_, i) => i + 1);
/** Linux reports process CPU in clock ticks of 10 ms (USER_HZ = 100). */
const MS_PER_CLOCK_TICK = 10;

interface FlowFigures {
  readonly orders: number;
  readonly ordersPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU µs per order by process (client = this process). */
  readonly cpuUsPerOrder: Record<string, number>;
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function option(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  return index >= 0 && argv[index + 1] !== undefined ? Number(argv[index + 1]) : fallback;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** utime + stime of a process in ms, from /proc. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_CLOCK_TICK;
}

function selfCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function setupCommands(tag: string): KeyedCommand[] {
  return [...bootstrapCommands(ACCOUNTS, tag), ...depositCommands(ACCOUNT_IDS, tag)];
}

function flowCommands(tag: string, orders: number): KeyedCommand[] {
  return Array.from({ length: orders }, (_, i) => tradingCommand(ACCOUNT_IDS, tag, i));
}

type Submit = (item: KeyedCommand) => Promise<unknown>;

/** Closed loop: `concurrency` submitters, each sending its next command when the last is acknowledged. */
async function closedLoop(label: string, submit: Submit, commands: readonly KeyedCommand[], concurrency: number,
  processes: Record<string, number> = {}, onAck?: (index: number) => void): Promise<FlowFigures> {
  const latencies = new Float64Array(commands.length);
  const progress = new SingleBar({ format: `${label} [{bar}] {value}/{total} orders`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic);
  progress.start(commands.length, 0);
  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMsOf(pid)]));
  const selfBefore = selfCpuMs();
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < commands.length) {
      const index = next++;
      const sentAt = performance.now();
      await submit(commands[index]!);
      latencies[index] = performance.now() - sentAt;
      onAck?.(index);
      if ((++done & 255) === 0) progress.update(done);
    }
  }));
  const elapsedMs = performance.now() - started;
  progress.update(commands.length);
  progress.stop();
  const cpuUsPerOrder: Record<string, number> = { client: round(((selfCpuMs() - selfBefore) * 1000) / commands.length, 1) };
  for (const [name, pid] of Object.entries(processes)) cpuUsPerOrder[name] = round(((cpuMsOf(pid) - cpuBefore[name]!) * 1000) / commands.length, 1);
  latencies.sort();
  return {
    orders: commands.length, ordersPerSec: Math.round(commands.length / (elapsedMs / 1000)), p50Ms: round(percentile(latencies, 0.5), 3),
    p99Ms: round(percentile(latencies, 0.99), 3), cpuUsPerOrder,
  };
}

/**
 * The ceiling: the same commands stamped and applied in this process, no I/O. The first half of the
 * orders only warms the JIT up (the first thousands run 5× slower) and is not counted.
 */
function benchEngine(orders: number): FlowFigures {
  const replica = new EngineReplica();
  const setup = setupCommands('e').length + orders;
  const commands = [...setupCommands('e'), ...flowCommands('e', orders * 2)];
  let seq = 0;
  const atMs = Date.now();
  let started = 0;
  let cpuBefore = 0;
  for (const [index, { command }] of commands.entries()) {
    if (index === setup) {
      started = performance.now();
      cpuBefore = selfCpuMs();
    }
    replica.engine.apply({ ...command, seq: ++seq, atMs });
  }
  const elapsedMs = performance.now() - started;
  return {
    orders, ordersPerSec: Math.round(orders / (elapsedMs / 1000)), p50Ms: 0, p99Ms: 0,
    cpuUsPerOrder: { engine: round(((selfCpuMs() - cpuBefore) * 1000) / orders, 2) },
  };
}

async function benchEmbedded(orders: number, concurrency: number): Promise<FlowFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'perpx-bench-cluster-embedded-'));
  const venue = await openDurableVenue({ dataDir, tickIntervalMs: 0, logger: silentLogger });
  try {
    const submit: Submit = ({ command, key }) => venue.submit(command, { idempotencyKey: key });
    await closedLoop('embedded setup', submit, setupCommands('m'), concurrency);
    return await closedLoop('embedded durable venue', submit, flowCommands('m', orders), concurrency);
  } finally {
    await venue.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface ClusterRun {
  readonly cluster: TestCluster;
  readonly client: ClusterClient;
  readonly nodes: EngineNodeProcess[];
  stop(): Promise<void>;
}

async function startClusterRun(replicas: number, standby: boolean): Promise<ClusterRun> {
  const cluster = await startTestCluster();
  const args = ['--replicas', String(replicas), '--tick-interval-ms', '1000'];
  const nodes = [spawnEngineNode(cluster.urls, 'a', args)];
  await waitForRole(cluster.connection, 'a', 'leader');
  if (standby) {
    nodes.push(spawnEngineNode(cluster.urls, 'b', args));
    await waitForRole(cluster.connection, 'b', 'standby');
  }
  const client = await ClusterClient.connect(cluster.urls, { requestTimeoutMs: 2_000 });
  return {
    cluster, client, nodes,
    stop: async () => {
      await client.close();
      for (const node of nodes) await node.kill('SIGKILL');
      await cluster.stop();
    },
  };
}

function processesOf(run: ClusterRun): Record<string, number> {
  const processes: Record<string, number> = { engineLeader: run.nodes[0]!.child.pid! };
  run.cluster.nats.processes.forEach((child, i) => {
    processes[`nats${i + 1}`] = child.pid!;
  });
  return processes;
}

async function benchCluster(replicas: number, orders: number, concurrency: number): Promise<FlowFigures> {
  const run = await startClusterRun(replicas, false);
  try {
    const submit: Submit = ({ command, key }) => run.client.submit(command, key);
    await closedLoop(`R${replicas} setup`, submit, setupCommands('c'), concurrency);
    return await closedLoop(`engine node + JetStream R${replicas}`, submit, flowCommands('c', orders), concurrency, processesOf(run));
  } finally {
    await run.stop();
  }
}

interface FailoverFigures {
  readonly failoverStallMs: number;
  readonly lostAcks: number;
  readonly acked: number;
  readonly retriedCommands: number;
}

async function benchFailover(orders: number, concurrency: number): Promise<FailoverFigures> {
  const run = await startClusterRun(3, true);
  try {
    const acked: KeyedCommand[] = [];
    let retriedCommands = 0;
    let killedAtMs = 0;
    let firstAckAfterKillMs = 0;
    const submit: Submit = async (item) => {
      const sentAtMs = performance.now();
      const outcome = await run.client.submit(item.command, item.key);
      if (outcome.attempts > 1) retriedCommands++;
      acked.push(item);
      // Only the new leader can answer a request sent, or retried, after the old one died.
      if (killedAtMs > 0 && firstAckAfterKillMs === 0 && (sentAtMs > killedAtMs || outcome.attempts > 1)) firstAckAfterKillMs = performance.now();
    };
    await closedLoop('failover setup', submit, setupCommands('f'), concurrency);
    const killAfter = Math.floor(orders / 3);
    await closedLoop('failover: SIGKILL the leader', submit, flowCommands('f', orders), concurrency, {}, (index) => {
      if (killedAtMs === 0 && index >= killAfter) {
        killedAtMs = performance.now();
        run.nodes[0]!.child.kill('SIGKILL');
      }
    });
    const log = await JetStreamCommandLog.open({ connection: run.cluster.connection });
    const keys = new Set<string>();
    await log.catchUp((record) => {
      if (record.idempotencyKey !== undefined) keys.add(record.idempotencyKey);
    });
    await log.close();
    return {
      failoverStallMs: Math.round(firstAckAfterKillMs - killedAtMs), lostAcks: acked.filter(({ key }) => !keys.has(key)).length,
      acked: acked.length, retriedCommands,
    };
  } finally {
    await run.stop();
  }
}

export async function runClusterBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const orders = option(argv, '--orders', quick ? 5_000 : 30_000);
  const concurrency = option(argv, '--concurrency', 256);
  const log = (line: string): void => console.log(line);
  log(`cluster benchmark: node ${process.version}, ${orders} orders per run, ${concurrency} requests in flight`);
  const engine = benchEngine(orders * 2);
  log(`engine alone: ${engine.ordersPerSec} orders/s`);
  const embedded = await benchEmbedded(orders, concurrency);
  log(`embedded durable venue (fsync): ${embedded.ordersPerSec} orders/s, p50 ${embedded.p50Ms} ms, p99 ${embedded.p99Ms} ms`);
  const r1 = await benchCluster(1, orders, concurrency);
  log(`engine node + JetStream R1: ${r1.ordersPerSec} orders/s, p50 ${r1.p50Ms} ms, p99 ${r1.p99Ms} ms, CPU µs/order ${JSON.stringify(r1.cpuUsPerOrder)}`);
  const r3 = await benchCluster(3, orders, concurrency);
  log(`engine node + JetStream R3: ${r3.ordersPerSec} orders/s, p50 ${r3.p50Ms} ms, p99 ${r3.p99Ms} ms, CPU µs/order ${JSON.stringify(r3.cpuUsPerOrder)}`);
  const failover = await benchFailover(Math.min(orders, 9_000), Math.min(concurrency, 64));
  log(`failover (R3, SIGKILL the leader): stall ${failover.failoverStallMs} ms, lost acks ${failover.lostAcks}, retried ${failover.retriedCommands}`);
  if (json) {
    console.log(JSON.stringify({
      engineOrdersPerSec: engine.ordersPerSec, embeddedOrdersPerSec: embedded.ordersPerSec, embeddedP99Ms: embedded.p99Ms,
      clusterR1OrdersPerSec: r1.ordersPerSec, clusterR1P50Ms: r1.p50Ms, clusterR1P99Ms: r1.p99Ms,
      clusterR3OrdersPerSec: r3.ordersPerSec, clusterR3P50Ms: r3.p50Ms, clusterR3P99Ms: r3.p99Ms,
      failoverStallMs: failover.failoverStallMs, lostAcks: failover.lostAcks,
      cpuUsPerOrder: { engine: engine.cpuUsPerOrder, embedded: embedded.cpuUsPerOrder, r1: r1.cpuUsPerOrder, r3: r3.cpuUsPerOrder },
      failover, orders, concurrency, node: process.version, quick,
    }));
  }
}
