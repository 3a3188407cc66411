/**
 * An engine node for the failover suite that can be held right after the stream acknowledged a
 * batch and before anything in it is applied or answered (PERPX_TEST_HOLD_AFTER_SEQ): killing it
 * there leaves commands in the log that no requester heard about, the case the idempotency window
 * rebuilt by the standby must answer. Prints "held <seq>" on stdout when it holds.
 */
import { EngineNode } from '../../../src/cluster/engine-node.js';

const [servers, nodeId, holdAfter] = [process.env.PERPX_TEST_NATS!, process.env.PERPX_TEST_NODE_ID!, Number(process.env.PERPX_TEST_HOLD_AFTER_SEQ)];
await EngineNode.start({
  servers: servers.split(','), nodeId, replicas: 3, leaseTtlMs: 2_000, tickIntervalMs: 0,
  testHooks: {
    afterAppend: async (lastSeq) => {
      if (lastSeq < holdAfter) return;
      process.stdout.write(`held ${lastSeq}\n`);
      await new Promise(() => undefined);
    },
  },
});
