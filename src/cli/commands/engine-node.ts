/**
 * @module cli/commands/engine-node
 * `perpx engine-node --nats <urls> --node-id <id> [--role auto|standby]`: one engine process of a
 * cluster on NATS JetStream (docs/cluster.md). Runs until SIGTERM/SIGINT, then lets the lease go.
 */
import type { Command } from 'commander';
import { DEFAULT_LEASE_TTL_MS } from '../../cluster/protocol.js';

interface EngineNodeCliOptions {
  nats: string;
  nodeId: string;
  role: string;
  replicas: string;
  leaseTtlMs: string;
  tickIntervalMs: string;
}

function positiveInt(value: string, name: string, allowZero = false): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < (allowZero ? 0 : 1)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  return parsed;
}

export function register(program: Command): void {
  program
    .command('engine-node')
    .description('run an engine leader / hot standby on a NATS JetStream command log')
    .requiredOption('--nats <urls>', 'comma-separated NATS server URLs')
    .requiredOption('--node-id <id>', 'this node\'s name (letters, digits, - and _)')
    .option('--role <role>', "'auto' (lead when the lease is free) or 'standby' (follow only)", 'auto')
    .option('--replicas <n>', 'replicas of the command stream and lease bucket when created', '3')
    .option('--lease-ttl-ms <ms>', 'leader lease TTL', String(DEFAULT_LEASE_TTL_MS))
    .option('--tick-interval-ms <ms>', 'the leader appends a Tick this often (0 = never)', '1000')
    .action(async (options: EngineNodeCliOptions) => {
      if (options.role !== 'auto' && options.role !== 'standby') throw new Error("--role must be 'auto' or 'standby'");
      if (!/^[A-Za-z0-9_-]+$/.test(options.nodeId)) throw new Error('--node-id may hold letters, digits, - and _ only');
      // Loaded here: the NATS client is not needed by any other command.
      const { EngineNode } = await import('../../cluster/engine-node.js');
      const node = await EngineNode.start({
        servers: options.nats.split(',').filter((url) => url !== ''), nodeId: options.nodeId, mode: options.role,
        replicas: positiveInt(options.replicas, 'replicas'), leaseTtlMs: positiveInt(options.leaseTtlMs, 'lease-ttl-ms'),
        tickIntervalMs: positiveInt(options.tickIntervalMs, 'tick-interval-ms', true),
      });
      const stop = (): void => {
        void node.close().finally(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
