/**
 * A throwaway PostgreSQL server for cluster tests, through scripts/cluster/postgres.sh (Debian's
 * PostgreSQL 15): its own data directory under a temporary folder and a free loopback port.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(import.meta.dirname, '../../../scripts/cluster/postgres.sh');

export class TestPostgres {
  private constructor(readonly dir: string, readonly port: number) {}

  static async start(): Promise<TestPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'perpx-pg-'));
    // As root the server runs as the postgres user, which must reach the data directory.
    chmodSync(dir, 0o755);
    const server = new TestPostgres(dir, await freePort());
    server.run('start');
    return server;
  }

  url(database = 'perpx'): string {
    return `postgres://perpx@127.0.0.1:${this.port}/${database}`;
  }

  run(command: 'start' | 'stop' | 'status'): string {
    return execFileSync('bash', [SCRIPT, command, this.dir, String(this.port)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /**
   * SIGKILL of the postmaster and every process it started (backends are their own process groups,
   * so not by group): a crash, no shutdown checkpoint. Returns once they are gone.
   */
  async kill(): Promise<void> {
    const postmaster = Number(readFileSync(join(this.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const pids = [postmaster, ...childrenOf(postmaster)];
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    while (pids.some(alive)) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  stopAndRemove(): void {
    try {
      this.run('stop');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Pids whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** A zombie (killed, not yet reaped) counts as gone. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
