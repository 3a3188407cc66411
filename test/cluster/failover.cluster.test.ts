/**
 * The engine leader and its hot standby on a real 3-node NATS JetStream cluster (R3), as child
 * processes of the real CLI: SIGKILL the leader mid-stream, fence a zombie writer, SIGKILL a NATS
 * node. Needs nats-server (scripts/cluster/install-nats.sh); run with `npm run test:cluster`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import type { EngineEvent } from '../../src/core/index.js';
import { ClusterClient, type ClusterSubmitOutcome } from '../../src/cluster/cluster-client.js';
import { joinRecords } from '../../src/cluster/command-batch.js';
import { LogFencedError } from '../../src/cluster/command-log.js';
import { EngineReplica } from '../../src/cluster/engine-replica.js';
import { COMMAND_STREAM, JetStreamCommandLog } from '../../src/cluster/jetstream-command-log.js';
import { encodeRecord, type JournalRecord } from '../../src/journal/index.js';
import {
  nodeStatus, spawnEngineNode, spawnHoldingEngineNode, startTestCluster, waitFor, waitForRole, type EngineNodeProcess, type TestCluster,
} from './support/cluster-harness.js';
import { bootstrapCommands, depositCommands, tradingCommand, type KeyedCommand } from './support/order-flow.js';

const ACCOUNTS = 20;
const ACCOUNT_IDS = Array.from({ length: ACCOUNTS }, (_, i) => i + 1);
const CONCURRENCY = 16;
const NODE_ARGS = ['--replicas', '3', '--lease-ttl-ms', '2000', '--tick-interval-ms', '0'];
/** Past the set-up (2 + 2 × ACCOUNTS commands) and a few hundred trading commands. */
const HOLD_AFTER_SEQ = 600;

interface Acked {
  readonly key: string;
  readonly outcome: ClusterSubmitOutcome;
}

/** Submits `commands` with CONCURRENCY requests in flight; calls onAck after each acknowledgement. */
async function submitAll(client: ClusterClient, commands: readonly KeyedCommand[], onAck?: (count: number) => void): Promise<Acked[]> {
  const acked: Acked[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < commands.length) {
      const { command, key } = commands[next++]!;
      acked.push({ key, outcome: await client.submit(command, key) });
      onAck?.(acked.length);
    }
  }));
  return acked;
}

interface Replayed {
  readonly replica: EngineReplica;
  readonly records: Map<number, JournalRecord>;
  readonly keyCounts: Map<string, number>;
}

/** replayStreamOnce, retried while the cluster cannot answer yet (a stream leader election after a kill). */
function replayStream(cluster: TestCluster): Promise<Replayed> {
  return waitFor('a replay of the command stream', () => replayStreamOnce(cluster).catch((error: unknown) => {
    if ((error as Error).name === 'AssertionError') throw error;
    return undefined;
  }));
}

/** Reads the whole command stream into a fresh replica, counting every key's occurrences. */
async function replayStreamOnce(cluster: TestCluster): Promise<Replayed> {
  const log = await JetStreamCommandLog.open({ connection: cluster.connection });
  const replica = new EngineReplica();
  const records = new Map<number, JournalRecord>();
  const keyCounts = new Map<string, number>();
  await log.catchUp((record) => {
    expect(records.has(record.seq), `seq ${record.seq} twice in the log`).toBe(false);
    records.set(record.seq, record);
    if (record.idempotencyKey !== undefined) keyCounts.set(record.idempotencyKey, (keyCounts.get(record.idempotencyKey) ?? 0) + 1);
    replica.apply(record);
  });
  await log.close();
  return { replica, records, keyCounts };
}

function countTrades(acked: readonly Acked[]): number {
  return acked.filter(({ outcome }) => !outcome.duplicate && outcome.events.some((event: EngineEvent) => event.type === 'Trade')).length;
}

describe('engine leader + hot standby on NATS JetStream R3', () => {
  let cluster: TestCluster;
  let client: ClusterClient;
  const nodes = new Map<string, EngineNodeProcess>();
  let holding: ReturnType<typeof spawnHoldingEngineNode>;

  beforeAll(async () => {
    cluster = await startTestCluster();
    holding = spawnHoldingEngineNode(cluster.urls, 'a', HOLD_AFTER_SEQ);
    nodes.set('a', holding);
    await waitForRole(cluster.connection, 'a', 'leader');
    nodes.set('b', spawnEngineNode(cluster.urls, 'b', NODE_ARGS));
    await waitForRole(cluster.connection, 'b', 'standby');
    client = await ClusterClient.connect(cluster.urls, { requestTimeoutMs: 1_500 });
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    for (const node of nodes.values()) await node.kill();
    await cluster?.stop();
  });

  it('loses no acknowledged command and applies none twice when the leader is SIGKILLed mid-stream', async () => {
    const setup = [...bootstrapCommands(ACCOUNTS, 'boot'), ...depositCommands(ACCOUNT_IDS, 'boot')];
    const setupAcks = await submitAll(client, setup);
    expect(setupAcks.every(({ outcome }) => !outcome.duplicate)).toBe(true);

    const flow = Array.from({ length: 2_400 }, (_, i) => tradingCommand(ACCOUNT_IDS, 'f1', i));
    // The leader holds once a batch past HOLD_AFTER_SEQ is in the stream, unapplied and unanswered:
    // SIGKILL it there, so the standby must answer those requesters' retries from the log.
    const heldAtSeq = holding.held.then(async (seq) => {
      await holding.kill('SIGKILL');
      return seq;
    });
    const acked = await submitAll(client, flow);
    expect(await heldAtSeq).toBeGreaterThanOrEqual(HOLD_AFTER_SEQ);
    const leader = await waitForRole(cluster.connection, 'b', 'leader');
    expect(leader.leaderTerms).toBe(1);
    expect(acked).toHaveLength(flow.length);
    expect(countTrades(acked)).toBeGreaterThan(500);

    const { replica, records, keyCounts } = await replayStream(cluster);
    // Every acknowledged command is in the log exactly once, at the seq its acknowledgement named.
    for (const { key, outcome } of [...setupAcks, ...acked]) {
      expect(keyCounts.get(key), key).toBe(1);
      expect(records.get(outcome.seq)?.idempotencyKey, key).toBe(key);
    }
    // Commands the old leader appended but never acknowledged were retried and answered from the window.
    const answeredFromLog = acked.filter(({ outcome }) => outcome.attempts > 1 && outcome.duplicate);
    expect(answeredFromLog.length).toBeGreaterThan(0);
    for (const { outcome } of answeredFromLog) expect(outcome.seq).toBeLessThanOrEqual(await heldAtSeq);

    const status = await nodeStatus(cluster.connection, 'b');
    expect(status?.lastSeq).toBe(replica.lastSeq);
    expect(status?.stateHash).toBe(replica.engine.stateHash());
    expect(replica.engine.checkInvariants()).toEqual([]);
  });

  it('brings the killed node back as a standby holding the leader\'s state hash', async () => {
    nodes.set('a', spawnEngineNode(cluster.urls, 'a', NODE_ARGS));
    await waitForRole(cluster.connection, 'a', 'standby');
    await submitAll(client, Array.from({ length: 200 }, (_, i) => tradingCommand(ACCOUNT_IDS, 'f2', i)));
    const leader = (await nodeStatus(cluster.connection, 'b'))!;
    const standby = await waitFor('the standby to catch up', async () => {
      const status = await nodeStatus(cluster.connection, 'a');
      return status !== undefined && status.lastSeq === leader.lastSeq ? status : undefined;
    });
    expect(standby.stateHash).toBe(leader.stateHash);
  });

  it('refuses a zombie writer\'s append by expected-last-sequence', async () => {
    const zombie = await JetStreamCommandLog.open({ connection: cluster.connection });
    const seen = new EngineReplica();
    await zombie.catchUp((record) => seen.apply(record));
    // The real leader appends after the zombie read the log...
    await client.submit(tradingCommand(ACCOUNT_IDS, 'z', 0).command, tradingCommand(ACCOUNT_IDS, 'z', 0).key);
    const jsm = await jetstreamManager(cluster.connection);
    const before = (await jsm.streams.info(COMMAND_STREAM)).state.last_seq;
    // ...so the zombie's batch, stamped after what it saw, must not land.
    const seq = seen.lastSeq + 1;
    const batch = joinRecords(seq, [encodeRecord(seq, seen.engine.clockMs, 'zombie:1', { type: 'Deposit', accountId: 1, amountE8: 1n })]);
    zombie.writerId = 'zombie-1';
    await expect(zombie.append(batch)).rejects.toBeInstanceOf(LogFencedError);
    expect((await jsm.streams.info(COMMAND_STREAM)).state.last_seq).toBe(before);
    await zombie.close();
    // The cluster carries on, and nobody applied the zombie's command.
    const after = await client.submit(tradingCommand(ACCOUNT_IDS, 'z', 1).command, tradingCommand(ACCOUNT_IDS, 'z', 1).key);
    expect(after.duplicate).toBe(false);
    const { keyCounts } = await replayStream(cluster);
    expect(keyCounts.has('zombie:1')).toBe(false);
  });

  it('keeps acknowledging when a NATS node (the stream leader) is SIGKILLed', async () => {
    const jsm = await jetstreamManager(cluster.connection);
    const streamLeader = (await jsm.streams.info(COMMAND_STREAM)).cluster?.leader;
    const victim = cluster.nats.nodes.findIndex((node) => node.name === streamLeader);
    expect(victim).toBeGreaterThanOrEqual(0);
    const flow = Array.from({ length: 1_000 }, (_, i) => tradingCommand(ACCOUNT_IDS, 'f3', i));
    let killed = false;
    const acked = await submitAll(client, flow, (count) => {
      if (!killed && count === 200) {
        killed = true;
        cluster.nats.processes[victim]!.kill('SIGKILL');
      }
    });
    expect(acked).toHaveLength(flow.length);
    const { replica, keyCounts } = await replayStream(cluster);
    for (const { key } of acked) expect(keyCounts.get(key), key).toBe(1);
    const leader = await waitFor('a leader', async () => {
      for (const id of ['a', 'b']) {
        const status = await nodeStatus(cluster.connection, id);
        if (status?.role === 'leader') return status;
      }
      return undefined;
    });
    expect(leader.lastSeq).toBe(replica.lastSeq);
    expect(leader.stateHash).toBe(replica.engine.stateHash());
    // Neither engine process gave up on the lost server: the other one follows at the same hash.
    for (const node of nodes.values()) expect(node.child.exitCode, node.nodeId).toBeNull();
    const other = leader.nodeId === 'a' ? 'b' : 'a';
    const standby = await waitFor('the standby to catch up', async () => {
      const status = await nodeStatus(cluster.connection, other);
      return status?.role === 'standby' && status.lastSeq === leader.lastSeq ? status : undefined;
    });
    expect(standby.stateHash).toBe(leader.stateHash);
  });
});
