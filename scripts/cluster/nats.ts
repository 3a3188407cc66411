/**
 * `node --import tsx scripts/cluster/nats.ts start|stop|status <dir> [basePort]`: the 3-node
 * JetStream cluster of src/cluster/local-nats.ts, detached (scripts/cluster/nats.sh calls this).
 */
import { jetStreamProblem, localNatsNodes, startLocalNats, stopLocalNats } from '../../src/cluster/local-nats.js';

const DEFAULT_BASE_PORT = 14222;
const [action, dir, base] = process.argv.slice(2);
if (action === undefined || dir === undefined || !['start', 'stop', 'status'].includes(action)) {
  console.error('usage: nats.sh start|stop|status <dir> [basePort (default 14222)]');
  process.exit(2);
}
const basePort = base === undefined ? DEFAULT_BASE_PORT : Number(base);
if (action === 'start') {
  const cluster = await startLocalNats({ dir, basePort, detached: true });
  console.log(cluster.urls.join(','));
} else if (action === 'stop') {
  stopLocalNats(dir, basePort);
} else {
  const problem = await jetStreamProblem(localNatsNodes(dir, basePort));
  console.log(problem ?? `ok: ${localNatsNodes(dir, basePort).map((node) => node.url).join(',')}`);
  process.exitCode = problem === undefined ? 0 : 1;
}
